#include "features/repo_config.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <kainjow/mustache.hpp>
#include <yaml-cpp/yaml.h>

#include "core/nearest.hpp"
#include "render/templates.hpp"

namespace mentorbot::features {

namespace {

bool tone_name(const std::string& v) {
  return !v.empty() && v.size() <= 40 && std::all_of(v.begin(), v.end(), [](unsigned char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
  });
}

void read_tone(YamlChecker& c, const YAML::Node& n, const std::string& v, const std::vector<std::string>* tones,
               bool guess_typos, ParsedConfig& out) {
  std::vector<std::string> builtin(std::begin(render::tones), std::end(render::tones));
  const auto& known = tones ? *tones : builtin;
  if (std::find(known.begin(), known.end(), v) != known.end()) {
    out.config.tone = v;
    if (std::find(builtin.begin(), builtin.end(), v) == builtin.end()) out.org_tone = v;
    return;
  }
  auto near = nearest(v, known);
  if (!tones && !(guess_typos && near) && tone_name(v)) {  // not a typo: a tone the org's .github repository must have
    out.config.tone = v;
    out.org_tone = v;
    return;
  }
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  c.problem(n, "unknown tone `" + v + "`" + (near ? ": did you mean `" + *near + "`?" : " (known: " + list + ")"));
}

}  // namespace

ParsedConfig parse_repo_config(const std::string& yaml, const RepoConfig& base, const std::vector<std::string>* tones,
                               bool guess_typos) {
  ParsedConfig out;
  out.config = base;
  out.config.extends.reset();
  YamlChecker c(out.problems);
  YAML::Node root = load_yaml(yaml, out.problems);
  if (!out.problems.empty() || root.IsNull()) return out;  // an empty file: the defaults
  if (!c.is_map(root, "the file")) return out;
  auto& cfg = out.config;
  std::set<std::string> keys = {"_extends", "tone", "newcomer_threshold", "reviewers", "welcome", "review",
                                "coins", "labels", "templates"};
  keys.insert(std::begin(nudge::setting_keys), std::end(nudge::setting_keys));
  c.only(root, "", keys);
  if (auto n = root["_extends"]) {
    cfg.extends = c.string(n, "_extends");
    out.extends_line = n.Mark().line + 1;
  }
  if (auto n = root["tone"]) {
    if (auto v = c.string(n, "tone")) {
      out.tone_line = n.Mark().line + 1;
      read_tone(c, n, *v, tones, guess_typos, out);
    }
  }
  if (auto n = root["newcomer_threshold"]) {
    if (auto v = c.integer(n, "newcomer_threshold", 0, 1000)) cfg.newcomer_threshold = *v;
  }
  nudge::read_settings(c, root, cfg.nudge);
  if (auto n = root["reviewers"]) {
    if (auto v = c.strings(n, "reviewers")) cfg.reviewers = *v;
  }
  if (auto n = root["welcome"]) welcome::read_settings(c, n, cfg.welcome);
  if (auto n = root["review"]) review::read_settings(c, n, cfg.review, out.problems);
  if (auto n = root["coins"]) coins::read_settings(c, n, cfg.coins);
  if (auto n = root["labels"]) read_label_settings(c, n, cfg.labels);
  if (auto n = root["templates"]; n && c.is_map(n, "templates")) {
    c.only(n, "templates", {std::begin(render::template_names), std::end(render::template_names)});
    for (const auto& kv : n) {
      auto key = kv.first.as<std::string>("");
      auto v = c.string(kv.second, "templates." + key);
      if (!v) continue;
      if (auto too_big = template_too_big(*v)) {
        c.problem(kv.second, "templates." + key + " " + *too_big);
        continue;
      }
      kainjow::mustache::mustache check(*v);
      if (check.is_valid()) {
        cfg.templates[key] = *v;
        out.template_lines[key] = kv.first.Mark().line + 1;
      } else {
        c.problem(kv.second, "templates." + key + " is not a valid Mustache template: " + check.error_message());
      }
    }
  }
  std::stable_sort(out.problems.begin(), out.problems.end(), [](const ConfigProblem& a, const ConfigProblem& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return out;
}

std::optional<std::string> template_too_big(const std::string& text) {
  if (text.size() > max_template_bytes) {
    return "is " + std::to_string(text.size()) + " bytes; a template is at most " +
           std::to_string(max_template_bytes / 1024) + " KiB";
  }
  int depth = 0, deepest = 0;
  for (auto at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
    if (at + 2 >= text.size()) break;
    char c = text[at + 2];
    if (c == '#' || c == '^') deepest = std::max(deepest, ++depth);
    if (c == '/') depth = std::max(0, depth - 1);
  }
  if (deepest > max_section_depth) {
    return "nests sections " + std::to_string(deepest) + " deep; at most " + std::to_string(max_section_depth);
  }
  return std::nullopt;
}

bool is_config_path(const std::string& path) {
  return path == repo_config_path || path.starts_with(std::string(words_dir) + "/");
}

}  // namespace mentorbot::features
