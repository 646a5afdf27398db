#include "core/repo_config.hpp"

#include <algorithm>
#include <tuple>

#include <kainjow/mustache.hpp>
#include <yaml-cpp/yaml.h>

#include "render/templates.hpp"


namespace mentorbot {
namespace {

void label(YamlChecker& c, const YAML::Node& n, const std::string& key, LabelSpec& into) {
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

ParsedConfig parse_repo_config(const std::string& yaml, const RepoConfig& base) {
  ParsedConfig out;
  out.config = base;
  out.config.extends.reset();
  YamlChecker c(out.problems);
  YAML::Node root = load_yaml(yaml, out.problems);
  if (!out.problems.empty() || root.IsNull()) return out;  // an empty file: the defaults  // an empty file: the defaults
  if (!c.is_map(root, "the file")) return out;
  auto& cfg = out.config;
  c.only(root, "", {"_extends", "tone", "newcomer_threshold", "nudge_after_days", "reviewers", "welcome", "review",
                    "coins", "labels", "templates"});
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
  if (auto n = root["nudge_after_days"]) {
    if (auto v = c.integer(n, "nudge_after_days", 1, 365)) cfg.nudge_after_days = *v;
  }
  if (auto n = root["reviewers"]) {
    if (auto v = c.strings(n, "reviewers")) cfg.reviewers = *v;
  }
  if (auto n = root["welcome"]; n && c.is_map(n, "welcome")) {
    c.only(n, "welcome", {"enabled"});
    if (n["enabled"]) {
      if (auto v = c.boolean(n["enabled"], "welcome.enabled")) cfg.welcome_enabled = *v;
    }
  }
  if (auto n = root["review"]; n && c.is_map(n, "review")) {
    c.only(n, "review", {"enabled", "max_suggestions", "disable", "rules"});
    if (n["enabled"]) {
      if (auto v = c.boolean(n["enabled"], "review.enabled")) cfg.review_enabled = *v;
    }
    if (n["max_suggestions"]) {
      if (auto v = c.integer(n["max_suggestions"], "review.max_suggestions", 0, 20)) cfg.max_suggestions = *v;
    }
    if (n["disable"]) {
      if (auto v = c.strings(n["disable"], "review.disable")) cfg.disabled_rules = *v;
    }
    if (n["rules"]) {
      if (n["rules"].IsSequence()) {
        cfg.extra_rules = features::review::parse_rules(n["rules"], "review.rules", out.problems);
      } else {
        c.problem(n["rules"], "review.rules must be a list of rules, in the format of rules/*.yml");
      }
    }
  }
  if (auto n = root["coins"]; n && c.is_map(n, "coins")) {
    c.only(n, "coins", {"enabled", "name", "later_merges"});
    if (n["enabled"]) {
      if (auto v = c.boolean(n["enabled"], "coins.enabled")) cfg.coins_enabled = *v;
    }
    if (n["name"]) {
      if (auto v = c.string(n["name"], "coins.name")) cfg.coin_name = *v;
    }
    if (n["later_merges"]) {
      if (auto v = c.boolean(n["later_merges"], "coins.later_merges")) cfg.coins_later_merges = *v;
    }
  }
  if (auto n = root["labels"]; n && c.is_map(n, "labels")) {
    c.only(n, "labels", {"first_timer", "needs_review"});
    if (n["first_timer"]) label(c, n["first_timer"], "labels.first_timer", cfg.first_timer_label);
    if (n["needs_review"]) label(c, n["needs_review"], "labels.needs_review", cfg.needs_review_label);
  }
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

}  // namespace mentorbot
