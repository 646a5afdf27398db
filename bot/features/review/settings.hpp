#pragma once
// The review's section of .github/mentorbot.yml:
// `review: { enabled, max_suggestions, disable: [rule ids], rules: [extra rules] }`.
#include <string>
#include <vector>

#include "core/yaml_check.hpp"
#include "features/review/rules.hpp"

namespace mentorbot::features::review {

struct Settings {
  bool enabled = true;
  int max_suggestions = 2;  // for newcomers; regulars get every `everyone` finding
  std::vector<std::string> disabled_rules;
  std::vector<Rule> extra_rules;  // same format as rules/*.yml
};

void read_settings(YamlChecker& check, const YAML::Node& section, Settings& into, std::vector<YamlProblem>& problems);

// The rules in force for a repository: the built-in ones and its own (its own win on the same
// id), less the ones it disabled.
std::vector<Rule> rules_for(const std::vector<Rule>* built_in, const Settings& settings);

}  // namespace mentorbot::features::review
