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

namespace {

// yaml-cpp finds an unclosed [ or { at the end of the file; a person wants the line that opened
// it. Brackets inside quotes and comments are skipped.
std::optional<YamlProblem> unclosed_bracket(const std::string& text) {
  struct Open {
    char c;
    int line, column;
  };
  std::vector<Open> open;
  int line = 1, column = 0;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      comment = true;
    } else if (c == '[' || c == '{') {
      open.push_back({c, line, column});
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    }
  }
  if (open.empty()) return std::nullopt;
  const auto& o = open.back();
  return YamlProblem{o.line, o.column,
                     std::string("not valid YAML: this ") + o.c + " is never closed with " + (o.c == '[' ? "]" : "}")};
}

}  // namespace

YAML::Node load_yaml(const std::string& text, std::vector<YamlProblem>& problems) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    if (e.msg.find("flow not found") != std::string::npos) {
      if (auto p = unclosed_bracket(text)) {
        problems.push_back(*p);
        return YAML::Node();
      }
    }
    problems.push_back({e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
                        "not valid YAML: " + e.msg});
    return YAML::Node();
  }
}

}  // namespace mentorbot
