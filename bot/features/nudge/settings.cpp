#include "features/nudge/settings.hpp"

#include <yaml-cpp/yaml.h>

namespace mentorbot::features::nudge {

void read_settings(YamlChecker& c, const YAML::Node& n, Settings& into) {
  if (auto v = c.integer(n, "nudge_after_days", 1, 365)) into.after_days = *v;
}

}  // namespace mentorbot::features::nudge
