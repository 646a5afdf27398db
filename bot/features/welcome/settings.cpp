#include "features/welcome/settings.hpp"

#include <yaml-cpp/yaml.h>

namespace mentorbot::features::welcome {

void read_settings(YamlChecker& c, const YAML::Node& n, Settings& into) {
  if (!c.is_map(n, "welcome")) return;
  c.only(n, "welcome", {"enabled", "expected_response", "response_samples"});
  if (n["enabled"]) {
    if (auto v = c.boolean(n["enabled"], "welcome.enabled")) into.enabled = *v;
  }
  if (n["expected_response"]) {
    if (auto v = c.string(n["expected_response"], "welcome.expected_response")) {
      if (v->size() > 300) {
        c.problem(n["expected_response"], "welcome.expected_response is longer than 300 characters: one sentence is enough");
      } else {
        into.expected_response = *v;
      }
    }
  }
  if (n["response_samples"]) {
    if (auto v = c.integer(n["response_samples"], "welcome.response_samples", 1, 10000)) into.response_samples = *v;
  }
}

}  // namespace mentorbot::features::welcome
