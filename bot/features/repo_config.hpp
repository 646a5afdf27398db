#pragma once
// A repository's .github/mentorbot.yml (SPEC, "Repository configuration"): parsed and checked
// with line numbers, merged over the defaults, and (with `_extends`) over a base file. The
// settings every feature reads are here; a feature's own section lives with the feature
// (features/<name>/settings.hpp), one optional section each, as triagebot's.
#include <functional>
#include <map>
#include <optional>
#include <set>
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
  // Where the file says what the loader checks against other files (0: it does not say it).
  int tone_line = 0, extends_line = 0;
  std::map<std::string, int> template_lines;  // the templates it sets inline, at their lines
  // A tone that is not built in: one the org's .github repository must define.
  std::optional<std::string> org_tone;
};

// Checks `yaml` and applies it over `base`. Unknown keys and wrong types are problems; the
// settings that are fine still apply. `tones`: every tone there is (the built-in ones and the
// org's); without it, a tone that is not built in is taken as the org's (the loader checks it
// against the org's tone sets), unless `guess_typos` and it looks like a typo of a built-in one
// (check-config FILE, which cannot see the org).
ParsedConfig parse_repo_config(const std::string& yaml, const RepoConfig& base = {},
                               const std::vector<std::string>* tones = nullptr, bool guess_typos = false);

inline constexpr const char* repo_config_path = ".github/mentorbot.yml";
inline constexpr const char* words_dir = ".github/mentorbot";  // NAME.md templates, tones/NAME/NAME.md

// True for the files that shape mentorbot's words and settings: .github/mentorbot.yml and what
// is under .github/mentorbot/.
bool is_config_path(const std::string& path);

// A file of a repository's default branch; nullopt when there is none. Throws when it cannot
// tell (GitHub unavailable).
using FetchFile = std::function<std::optional<std::string>(const std::string& repo, const std::string& path)>;

struct DirEntry {
  std::string name;
  bool dir = false;
};
// A repository's files at one point of its history: a file's text, a folder's entries
// (nullopt: no such file or folder). Each throws when GitHub cannot tell.
struct RepoFiles {
  FetchFile read;
  std::function<std::optional<std::vector<DirEntry>>(const std::string& repo, const std::string& path)> list;
};

// A problem (or, `warning`, a doubt about the words) in one file.
struct FileProblem {
  std::string repo;
  std::string path;
  int line = 0;  // 0: the file as a whole
  int column = 0;
  std::string message;
  bool warning = false;
};

struct LoadedConfig {
  RepoConfig config;
  std::vector<std::string> sources;   // the repositories whose files were consulted
  std::vector<std::string> warnings;  // non-empty: something was wrong, and the defaults apply
  std::vector<FileProblem> problems;  // every problem and warning, file by file, in order
  std::map<std::string, std::string> template_from;  // a template's name -> "repo:path" of the words used
  std::set<std::string> checked;                     // "repo:path" of every file read and checked
  bool broken() const { return !warnings.empty(); }
};

// The config of `repo` (owner/name): its .github/mentorbot.yml, or else the one in the owner's
// `.github` repository, following `_extends` ("repo", "owner/repo" or "owner/repo:path",
// at most three deep). A broken file anywhere means the defaults, with a warning that says
// where and what.
//
// The words: a template is the first of, nearest first, each file's .github/mentorbot/NAME.md
// and its inline `templates:` (along the `_extends` chain), the org's .github/mentorbot/NAME.md,
// the org's tone set (.github/mentorbot/tones/TONE/NAME.md in its .github repository, for a
// tone that is not built in), and the built-in tone (warm for an org's tone).
LoadedConfig load_repo_config(const std::string& repo, const RepoFiles& files, const RepoConfig& defaults = {});
// The same without folders (no template files, no org tones).
LoadedConfig load_repo_config(const std::string& repo, const FetchFile& fetch, const RepoConfig& defaults = {});

// A maintainer's template is at most 64 KiB with sections at most 32 deep (the Mustache library
// recurses per section); otherwise what is wrong, in words.
inline constexpr std::size_t max_template_bytes = 64 * 1024;
inline constexpr int max_section_depth = 32;
std::optional<std::string> template_too_big(const std::string& text);

// Files beside the templates that are not templates: README.md (notes for people) and dot files
// (.gitkeep).
inline bool not_a_template(const std::string& file_name) {
  return file_name == "README.md" || file_name.starts_with(".");
}

// A template file's own problems and doubts: its name (`.github/mentorbot/NAME.md` or
// `tones/TONE/NAME.md`), its Mustache with the line of the error, and what lint_words says.
std::vector<FileProblem> check_template_file(const std::string& repo, const std::string& path, const std::string& text);
// The doubts about a file's inline `templates:` (what lint_words says of each).
std::vector<FileProblem> check_inline_templates(const std::string& repo, const std::string& path,
                                                const ParsedConfig& parsed);

}  // namespace mentorbot::features
