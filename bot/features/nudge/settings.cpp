#include "features/nudge/settings.hpp"

#include <yaml-cpp/yaml.h>

namespace mentorbot::features::nudge {

void read_settings(YamlChecker& c, const YAML::Node& root, Settings& into) {
  if (auto n = root["nudge_after_days"]) {
    if (auto v = c.integer(n, "nudge_after_days", 1, 365)) into.after_days = *v;
  }
  if (auto n = root["escalate_after_days"]) {
    if (auto v = c.integer(n, "escalate_after_days", 1, 365)) into.escalate_after_days = *v;
  }
  if (auto n = root["escalate_to"]) {
    if (auto v = c.strings(n, "escalate_to")) into.escalate_to = *v;
  }
  if (auto n = root["author_nudge_days"]) {
    if (auto v = c.integer(n, "author_nudge_days", 0, 365)) into.author_nudge_days = *v;
  }
}

}  // namespace mentorbot::features::nudge
