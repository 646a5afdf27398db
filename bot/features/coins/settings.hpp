#pragma once
// The coins' section of .github/mentorbot.yml: `coins: { enabled, name, later_merges,
// next_step_labels }`.
#include <string>
#include <vector>

#include "core/yaml_check.hpp"

namespace mentorbot::features::coins {

struct Settings {
  bool enabled = true;
  std::string name = "challenge coin";
  bool later_merges = true;  // a short thank-you with the count on every merge after the first
  // The first-merge coin suggests up to three open, unassigned issues with any of these labels;
  // empty: none.
  std::vector<std::string> next_step_labels = {"good first issue"};
};

void read_settings(YamlChecker& check, const YAML::Node& section, Settings& into);

}  // namespace mentorbot::features::coins
