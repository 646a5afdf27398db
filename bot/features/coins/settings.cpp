#include "features/coins/settings.hpp"

#include <yaml-cpp/yaml.h>

namespace mentorbot::features::coins {

void read_settings(YamlChecker& c, const YAML::Node& n, Settings& into) {
  if (!c.is_map(n, "coins")) return;
  c.only(n, "coins", {"enabled", "name", "later_merges"});
  if (n["enabled"]) {
    if (auto v = c.boolean(n["enabled"], "coins.enabled")) into.enabled = *v;
  }
  if (n["name"]) {
    if (auto v = c.string(n["name"], "coins.name")) into.name = *v;
  }
  if (n["later_merges"]) {
    if (auto v = c.boolean(n["later_merges"], "coins.later_merges")) into.later_merges = *v;
  }
}

}  // namespace mentorbot::features::coins
