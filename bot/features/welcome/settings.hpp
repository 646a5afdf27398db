#pragma once
// The welcome's section of .github/mentorbot.yml: `welcome: { enabled: true }`.
#include "core/yaml_check.hpp"

namespace mentorbot::features::welcome {

struct Settings {
  bool enabled = true;
};

// Reads the `welcome` mapping over `into`; problems name the line.
void read_settings(YamlChecker& check, const YAML::Node& section, Settings& into);

}  // namespace mentorbot::features::welcome
