#pragma once
// Review rules are data (rules/*.yml, and `review.rules` in a repository's config). Each rule
// names what it looks for (`when`), who it is for (`audience`), and the kind words it leaves
// (`suggestion`, an optional open `question`). Evaluating them is pure: pull request facts in,
// findings out; choosing which findings a person sees is `select`.
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/yaml_check.hpp"
#include "github/changes.hpp"

namespace mentorbot::features::review {

enum class Audience { newcomer, everyone };
enum class Trigger { added_line, pr, commit_message };
enum class PrCheck { no_description, no_tests_touched, changed_lines_over };

struct Rule {
  std::string id;
  std::string summary;
  Audience audience = Audience::newcomer;
  int priority = 50;  // higher comes first when only a couple of suggestions are shown
  Trigger trigger = Trigger::added_line;
  std::string pattern;                        // added_line, commit_message: the regex as written
  std::shared_ptr<const std::regex> regex;    // compiled
  std::vector<std::string> files;             // globs a file must match (empty: every file)
  std::vector<std::string> not_files;         // globs that exclude a file
  std::vector<std::string> tests;             // no_tests_touched: what counts as a test file
  PrCheck check = PrCheck::no_description;
  int threshold = 0;                          // changed_lines_over: lines; no_description: characters
  std::string suggestion;                     // Mustache
  std::string question;                       // Mustache; empty: none
  std::string source;                         // "rules/todo.yml:1", for messages
};

// Rules from YAML: a single rule (a mapping) or a list of them. Problems name the line; a rule
// with a problem is left out.
std::vector<Rule> parse_rules(const YAML::Node& node, const std::string& source, std::vector<YamlProblem>& problems);
std::vector<Rule> parse_rules(const std::string& yaml, const std::string& source, std::vector<YamlProblem>& problems);
// Every rules/*.yml in `dir`, in file-name order. Throws std::runtime_error listing the problems.
std::vector<Rule> load_rules(const std::filesystem::path& dir);
// MENTORBOT_RULES, or rules/ in the source tree, or ./rules.
std::filesystem::path locate_rules();

// What the rules look at: the description, the files with their patches, the commits.
struct PullRequestFacts {
  std::string body;
  std::vector<github::ChangedFile> files;
  std::vector<github::PullCommit> commits;
};

struct Finding {
  std::string rule;
  Audience audience = Audience::newcomer;
  int priority = 0;
  std::string path;  // empty for a finding about the whole pull request
  int line = 0;      // 0 for a finding about the whole pull request
  std::string message;
  std::string question;
};

// Every finding, in rule order then file and line order. Throws render::TemplateError when a
// rule's words do not render.
std::vector<Finding> evaluate(const std::vector<Rule>& rules, const PullRequestFacts& facts);

struct Selection {
  std::vector<Finding> inline_comments;  // on a line
  std::vector<Finding> notes;            // about the whole pull request (in the summary)
  std::vector<std::string> questions;    // open questions for the summary
  bool empty() const { return inline_comments.empty() && notes.empty(); }
};

// What a person sees, at most `most` findings. A newcomer: the most useful first, one per rule,
// and the open question of the first one that has one. Anyone else: only the `everyone`
// findings, in order, no questions.
Selection select(const std::vector<Finding>& findings, bool newcomer, int most);

}  // namespace mentorbot::features::review
