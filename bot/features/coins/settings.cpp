#include "features/coins/settings.hpp"

#include <yaml-cpp/yaml.h>

namespace mentorbot::features::coins {

void read_settings(YamlChecker& c, const YAML::Node& n, Settings& into) {
  if (!c.is_map(n, "coins")) return;
  c.only(n, "coins", {"enabled", "name", "later_merges", "next_step_labels"});
  if (n["enabled"]) {
    if (auto v = c.boolean(n["enabled"], "coins.enabled")) into.enabled = *v;
  }
  if (n["name"]) {
    if (auto v = c.string(n["name"], "coins.name")) into.name = *v;
  }
  if (n["later_merges"]) {
    if (auto v = c.boolean(n["later_merges"], "coins.later_merges")) into.later_merges = *v;
  }
  if (n["next_step_labels"]) {
    if (auto v = c.strings(n["next_step_labels"], "coins.next_step_labels")) {
      bool fine = v->size() <= 10;
      for (const auto& label : *v) fine = fine && !label.empty() && label.size() <= 50 && label.find('"') == std::string::npos;
      if (fine) {
        into.next_step_labels = *v;
      } else {
        c.problem(n["next_step_labels"], "coins.next_step_labels must be at most ten label names, without quotes");
      }
    }
  }
}

}  // namespace mentorbot::features::coins
