#pragma once
// The welcome's section of .github/mentorbot.yml:
//   welcome:
//     enabled: true
//     expected_response: "We review pull requests on Tuesdays."  # said when the numbers cannot
//     response_samples: 10   # newcomers' pull requests in 90 days before the numbers speak
#include <string>

#include "core/yaml_check.hpp"

namespace mentorbot::features::welcome {

struct Settings {
  bool enabled = true;
  std::string expected_response;  // empty: say nothing when the numbers cannot
  int response_samples = 10;
};

// Reads the `welcome` mapping over `into`; problems name the line.
void read_settings(YamlChecker& check, const YAML::Node& section, Settings& into);

}  // namespace mentorbot::features::welcome
