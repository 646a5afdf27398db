#include "features/review/settings.hpp"

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace mentorbot::features::review {

void read_settings(YamlChecker& c, const YAML::Node& n, Settings& into, std::vector<YamlProblem>& problems) {
  if (!c.is_map(n, "review")) return;
  c.only(n, "review", {"enabled", "max_suggestions", "disable", "rules"});
  if (n["enabled"]) {
    if (auto v = c.boolean(n["enabled"], "review.enabled")) into.enabled = *v;
  }
  if (n["max_suggestions"]) {
    if (auto v = c.integer(n["max_suggestions"], "review.max_suggestions", 0, 20)) into.max_suggestions = *v;
  }
  if (n["disable"]) {
    if (auto v = c.strings(n["disable"], "review.disable")) into.disabled_rules = *v;
  }
  if (n["rules"]) {
    if (n["rules"].IsSequence()) {
      into.extra_rules = parse_rules(n["rules"], "review.rules", problems);
    } else {
      c.problem(n["rules"], "review.rules must be a list of rules, in the format of rules/*.yml");
    }
  }
}

std::vector<Rule> rules_for(const std::vector<Rule>* built_in, const Settings& settings) {
  std::vector<Rule> out;
  auto wanted = [&settings](const Rule& r) {
    const auto& off = settings.disabled_rules;
    return std::find(off.begin(), off.end(), r.id) == off.end();
  };
  auto own = [&settings](const Rule& r) {
    return std::any_of(settings.extra_rules.begin(), settings.extra_rules.end(),
                       [&r](const Rule& mine) { return mine.id == r.id; });
  };
  if (built_in) {
    for (const auto& r : *built_in) {
      if (wanted(r) && !own(r)) out.push_back(r);
    }
  }
  for (const auto& r : settings.extra_rules) {
    if (wanted(r)) out.push_back(r);
  }
  return out;
}

}  // namespace mentorbot::features::review
