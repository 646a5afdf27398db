#pragma once
// The nudges' settings in .github/mentorbot.yml, at the top as Probot apps' users write them:
//   nudge_after_days: 7          # the one reminder to the top-level `reviewers`
//   escalate_after_days: 14      # still no first reply: one note to `escalate_to`
//   escalate_to: ["@org/maintainers"]   # nobody: no escalation
//   author_nudge_days: 14        # the author's turn this long: one kind note to them; 0: never
#include <string>
#include <vector>

#include "core/yaml_check.hpp"

namespace mentorbot::features::nudge {

struct Settings {
  int after_days = 7;
  int escalate_after_days = 14;
  std::vector<std::string> escalate_to;
  int author_nudge_days = 14;
};

inline constexpr const char* setting_keys[] = {"nudge_after_days", "escalate_after_days", "escalate_to",
                                               "author_nudge_days"};

// Reads those of the top-level keys that are there.
void read_settings(YamlChecker& check, const YAML::Node& root, Settings& into);

}  // namespace mentorbot::features::nudge
