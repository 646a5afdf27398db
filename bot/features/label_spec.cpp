#include "features/label_spec.hpp"

#include <cctype>

#include <yaml-cpp/yaml.h>

#include "core/hash.hpp"

namespace mentorbot::features {
namespace {

void read_label(YamlChecker& c, const YAML::Node& n, const std::string& key, LabelSpec& into) {
  if (!c.is_map(n, key)) return;
  c.only(n, key, {"name", "color", "description"});
  if (n["name"]) {
    if (auto v = c.string(n["name"], key + ".name")) into.name = *v;
  }
  if (n["color"]) {
    if (auto v = c.string(n["color"], key + ".color")) {
      auto color = *v;
      if (!color.empty() && color[0] == '#') color.erase(0, 1);
      bool hex = color.size() == 6 && color.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
      if (hex) {
        into.color = color;
      } else {
        c.problem(n["color"], key + ".color must be six hex digits, such as 7057ff");
      }
    }
  }
  if (n["description"]) {
    if (auto v = c.string(n["description"], key + ".description")) into.description = *v;
  }
}

}  // namespace

void read_label_settings(YamlChecker& c, const YAML::Node& n, LabelSettings& into) {
  if (!c.is_map(n, "labels")) return;
  c.only(n, "labels", {"first_timer", "needs_review"});
  if (n["first_timer"]) read_label(c, n["first_timer"], "labels.first_timer", into.first_timer);
  if (n["needs_review"]) read_label(c, n["needs_review"], "labels.needs_review", into.needs_review);
}

store::outbox::Write label_upsert(std::int64_t installation, const std::string& repo, const LabelSpec& label) {
  std::string color = label.color;
  for (auto& c : color) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // as GitHub answers
  return {"label-ensure:" + repo + ":" + short_hash(label.name + "\n" + color + "\n" + label.description), installation,
          repo, 0, store::outbox::LabelUpsert{label.name, color, label.description}};
}

}  // namespace mentorbot::features
