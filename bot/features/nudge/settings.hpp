#pragma once
// The nudge's setting in .github/mentorbot.yml: `nudge_after_days: 7` (at the top, as Probot
// apps' users write it; the reminder goes to the top-level `reviewers`).
#include "core/yaml_check.hpp"

namespace mentorbot::features::nudge {

struct Settings {
  int after_days = 7;
};

// Reads the top-level `nudge_after_days` node.
void read_settings(YamlChecker& check, const YAML::Node& after_days, Settings& into);

}  // namespace mentorbot::features::nudge
