#include "core/yaml_check.hpp"

#include "core/nearest.hpp"

#include <yaml-cpp/yaml.h>

namespace mentorbot {

void YamlChecker::problem(const YAML::Node& node, const std::string& message) {
  auto m = node.Mark();
  problems_.push_back({m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, message});
}

void YamlChecker::only(const YAML::Node& map, const std::string& where, const std::set<std::string>& allowed) {
  for (const auto& kv : map) {
    auto key = kv.first.as<std::string>("");
    if (allowed.count(key)) continue;
    std::string said = "unknown key `" + key + "`" + (where.empty() ? "" : " in " + where);
    if (auto near = nearest(key, {allowed.begin(), allowed.end()})) {
      problem(kv.first, said + ": did you mean `" + *near + "`?");
      continue;
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    problem(kv.first, said + " (known: " + list + ")");
  }
}

bool YamlChecker::is_map(const YAML::Node& n, const std::string& key) {
  if (n.IsMap()) return true;
  problem(n, key + " must be a mapping (key: value lines)");
  return false;
}

std::optional<std::string> YamlChecker::string(const YAML::Node& n, const std::string& key) {
  if (n.IsScalar()) return n.as<std::string>();
  problem(n, key + " must be a text");
  return std::nullopt;
}

std::optional<bool> YamlChecker::boolean(const YAML::Node& n, const std::string& key) {
  bool v;
  if (n.IsScalar() && YAML::convert<bool>::decode(n, v)) return v;
  problem(n, key + " must be true or false");
  return std::nullopt;
}

std::optional<int> YamlChecker::integer(const YAML::Node& n, const std::string& key, int lo, int hi) {
  long long v;
  if (n.IsScalar() && YAML::convert<long long>::decode(n, v) && v >= lo && v <= hi) return static_cast<int>(v);
  problem(n, key + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlChecker::strings(const YAML::Node& n, const std::string& key) {
  if (n.IsScalar()) return std::vector<std::string>{n.as<std::string>()};
  if (!n.IsSequence()) {
    problem(n, key + " must be a list, such as [a, b]");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      problem(item, key + " must list texts");
      return std::nullopt;
    }
    out.push_back(item.as<std::string>());
  }
  return out;
}

YAML::Node load_yaml(const std::string& text, std::vector<YamlProblem>& problems) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    problems.push_back({e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
                        "not valid YAML: " + e.msg});
    return YAML::Node();
  }
}

}  // namespace mentorbot
