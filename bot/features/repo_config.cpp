#include "features/repo_config.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <kainjow/mustache.hpp>
#include <yaml-cpp/yaml.h>

#include "render/templates.hpp"

namespace mentorbot::features {

ParsedConfig parse_repo_config(const std::string& yaml, const RepoConfig& base) {
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
  if (auto n = root["_extends"]) cfg.extends = c.string(n, "_extends");
  if (auto n = root["tone"]) {
    if (auto v = c.string(n, "tone")) {
      if (std::find(std::begin(render::tones), std::end(render::tones), *v) != std::end(render::tones)) {
        cfg.tone = *v;
      } else {
        c.problem(n, "tone must be warm, concise or playful");
      }
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
      kainjow::mustache::mustache check(*v);
      if (check.is_valid()) {
        cfg.templates[key] = *v;
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

namespace {

std::string owner_of(const std::string& repo) { return repo.substr(0, repo.find('/')); }

RepoConfig resolve(const std::string& text, const std::string& repo, const std::string& path, int depth,
                   std::vector<std::string>& seen, const FetchFile& fetch, const RepoConfig& defaults,
                   LoadedConfig& out) {
  std::string where = repo + ":" + path;
  auto first = parse_repo_config(text, defaults);
  if (!first.problems.empty()) {
    const auto& p = first.problems.front();
    out.warnings.push_back(where + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + p.message +
                           (first.problems.size() > 1 ? " (and " + std::to_string(first.problems.size() - 1) +
                                                            " more problem(s); see mentorbot check-config)"
                                                      : ""));
    return defaults;
  }
  if (!first.config.extends) return first.config;

  // "_extends: other", "owner/other" or "owner/other:path/to/file.yml".
  std::string target = *first.config.extends, target_path = repo_config_path;
  if (auto colon = target.find(':'); colon != std::string::npos) {
    target_path = target.substr(colon + 1);
    target = target.substr(0, colon);
  }
  if (target.find('/') == std::string::npos) target = owner_of(repo) + "/" + target;
  std::string target_where = target + ":" + target_path;
  if (depth >= 3 || std::find(seen.begin(), seen.end(), target_where) != seen.end()) {
    out.warnings.push_back(where + ": _extends " + target_where + " goes " + (depth >= 3 ? "more than three deep" : "round in a circle"));
    return defaults;
  }
  seen.push_back(target_where);
  out.sources.push_back(target);
  auto base_text = fetch(target, target_path);
  if (!base_text) {
    out.warnings.push_back(where + ": _extends names " + target_where + ", which does not exist");
    return defaults;
  }
  auto base = resolve(*base_text, target, target_path, depth + 1, seen, fetch, defaults, out);
  if (!out.warnings.empty()) return defaults;  // a warning is a broken file somewhere down the chain
  return parse_repo_config(text, base).config;
}

}  // namespace

LoadedConfig load_repo_config(const std::string& repo, const FetchFile& fetch, const RepoConfig& defaults) {
  LoadedConfig out;
  out.config = defaults;
  std::string from = repo;
  out.sources.push_back(repo);
  auto text = fetch(repo, repo_config_path);
  std::string org = owner_of(repo) + "/.github";
  if (!text && org != repo) {
    from = org;
    out.sources.push_back(org);
    text = fetch(org, repo_config_path);
  }
  if (!text) return out;
  std::vector<std::string> seen{from + ":" + repo_config_path};
  out.config = resolve(*text, from, repo_config_path, 0, seen, fetch, defaults, out);
  return out;
}

}  // namespace mentorbot::features
