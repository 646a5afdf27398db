#pragma once
// A repository's .github/mentorbot.yml (SPEC, "Repository configuration"): parsed and checked
// with line numbers, merged over the defaults, and (with `_extends`) over a base file. The
// settings every feature reads are here; a feature's own section lives with the feature
// (features/<name>/settings.hpp), one optional section each, as triagebot's.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/yaml_check.hpp"
#include "features/coins/settings.hpp"
#include "features/label_spec.hpp"
#include "features/nudge/settings.hpp"
#include "features/review/settings.hpp"
#include "features/welcome/settings.hpp"

namespace mentorbot::features {

struct RepoConfig {
  std::string tone = "warm";
  int newcomer_threshold = 3;
  std::vector<std::string> reviewers;            // "@org/mentors", "@login": the nudge's and the mentor coins'
  std::map<std::string, std::string> templates;  // name -> Mustache source
  std::optional<std::string> extends;            // _extends, as written
  LabelSettings labels;
  welcome::Settings welcome;
  review::Settings review;
  coins::Settings coins;
  nudge::Settings nudge;
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

}  // namespace mentorbot::features
