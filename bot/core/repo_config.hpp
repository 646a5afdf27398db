#pragma once
// A repository's .github/mentorbot.yml (SPEC, "Repository configuration"): parsed and checked
// with line numbers, merged over the defaults, and (with `_extends`) over a base file.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/yaml_check.hpp"
#include "features/review/rules.hpp"

namespace mentorbot {

struct LabelSpec {
  std::string name;
  std::string color;  // six hex digits, no '#'
  std::string description;
};

struct RepoConfig {
  std::string tone = "warm";
  int newcomer_threshold = 3;
  int nudge_after_days = 7;
  std::vector<std::string> reviewers;  // "@org/mentors", "@login"
  bool welcome_enabled = true;
  bool review_enabled = true;
  int max_suggestions = 2;
  std::vector<std::string> disabled_rules;
  std::vector<features::review::Rule> extra_rules;  // review.rules (same format as rules/*.yml)
  bool coins_enabled = true;
  std::string coin_name = "challenge coin";
  bool coins_later_merges = true;  // a short thank-you with the count on every merge after the first
  LabelSpec first_timer_label{"first-time contributor", "7057ff", "Their first pull request to this repository"};
  LabelSpec needs_review_label{"needs-review", "fbca04", "Waiting for a first response from a maintainer"};
  std::map<std::string, std::string> templates;  // name -> Mustache source
  std::optional<std::string> extends;            // _extends, as written
};

using ConfigProblem = YamlProblem;

struct ParsedConfig {
  std::vector<ConfigProblem> problems;  // empty: the file is good
  // The settings the file makes, over `base` (the defaults, or what `_extends` gave).
  RepoConfig config;
};

// Checks `yaml` and applies it over `base`. Unknown keys and wrong types are problems; the
// settings that are fine still apply.
ParsedConfig parse_repo_config(const std::string& yaml, const RepoConfig& base = {});

inline constexpr const char* repo_config_path = ".github/mentorbot.yml";

// A file of a repository's default branch; nullopt when there is none. Throws when it cannot
// tell (GitHub unavailable).
using FetchFile = std::function<std::optional<std::string>(const std::string& repo, const std::string& path)>;

struct LoadedConfig {
  RepoConfig config;
  std::vector<std::string> sources;   // the repositories whose files were consulted
  std::vector<std::string> warnings;  // non-empty: something was wrong, and the defaults apply
};

// The config of `repo` (owner/name): its .github/mentorbot.yml, or else the one in the owner's
// `.github` repository, following `_extends` ("repo", "owner/repo" or "owner/repo:path",
// at most three deep). A broken file anywhere means the defaults, with a warning that says
// where and what.
LoadedConfig load_repo_config(const std::string& repo, const FetchFile& fetch, const RepoConfig& defaults = {});
}  // namespace mentorbot
