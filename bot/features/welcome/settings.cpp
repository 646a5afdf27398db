#include "features/welcome/settings.hpp"

#include <yaml-cpp/yaml.h>

namespace mentorbot::features::welcome {

void read_settings(YamlChecker& c, const YAML::Node& n, Settings& into) {
  if (!c.is_map(n, "welcome")) return;
  c.only(n, "welcome", {"enabled"});
  if (n["enabled"]) {
    if (auto v = c.boolean(n["enabled"], "welcome.enabled")) into.enabled = *v;
  }
}

}  // namespace mentorbot::features::welcome
