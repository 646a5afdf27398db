#pragma once
// The words preview: when a pull request changes .github/mentorbot.yml or a file under
// .github/mentorbot/, one comment (edited on every push, never posted again) shows the problems
// check-config finds, with links to their lines, and what mentorbot would say with the pull
// request's files: the welcome, a review with one suggestion, the first-merge coin and the
// closing note; and, when the words change, how they differ from the default branch's.
// `mentorbot render --repo-dir` and `check-config --repo-dir` show the same offline.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "features/context.hpp"
#include "features/repo_config.hpp"
#include "github/event.hpp"
#include "render/templates.hpp"

namespace mentorbot::features::preview {

// What a person reads about a problem's place: a link to the line, or `path` line N offline.
using Where = std::function<std::string(const FileProblem&)>;

struct Input {
  LoadedConfig head;                 // the pull request's files
  std::optional<LoadedConfig> base;  // the default branch's (none: nothing to compare)
  std::string base_name;             // "main": how the comparison names it
  bool was_broken = false;           // the preview said there were problems before
};

// One thing mentorbot would say, as the preview shows it.
struct Sample {
  std::string title;
  std::string text;
};
std::vector<Sample> samples(const LoadedConfig& config, const render::Templates& templates);

// Each problem (then each doubt) as `file:line:column: message`, as check-config prints them.
std::vector<std::string> problem_lines(const LoadedConfig& config);

// The preview comment's Markdown. Mentions in the words are defused: the preview pings no one.
std::string body(const Input& input, const render::Templates& templates, const Where& where);

// The pull request's files that shape the words.
std::vector<std::string> config_paths(const std::vector<github::ChangedFile>& files);

bool wants_preview(const github::PullRequestEvent& e);

struct Previous {
  bool posted = false;
  std::string of;    // the key of the comment that was made
  std::string body;  // the latest words planned on it
  int failed = 0;    // comments GitHub never took (too long, say): the next one gets a new key
};
Previous previous_from(const std::vector<store::outbox::Row>& rows);

// `body` nullopt: the pull request changes none of the files (any more).
std::vector<store::outbox::Write> decide(const github::PullRequestEvent& e, const std::optional<std::string>& body,
                                         const Previous& previous, const std::string& delivery);

void handle(const github::PullRequestEvent& e, Context& context);

}  // namespace mentorbot::features::preview
