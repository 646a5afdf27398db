#pragma once
// review: one review (event COMMENT) per pull request, its inline comments on the added lines
// the rules found. Newcomers get at most `max_suggestions`, the most useful first, and an open
// question; everyone else only the `everyone` rules, and no review when nothing applies. On
// synchronize the summary is edited (never a second review) and an inline comment already made
// on a line is never made again.
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "features/pull_request.hpp"
#include "store/outbox.hpp"

namespace mentorbot::features::review {

// What the bot said on this pull request before, read from the outbox.
struct Previous {
  bool reviewed = false;
  std::string summary;  // the latest summary planned
  std::set<std::tuple<std::string, int, std::string>> commented;  // path, line, rule
  std::set<std::string> rules_commented;
  int inline_count = 0;
};
Previous previous_from(const std::vector<store::outbox::Row>& rows);

// Renders template `name` with `data` (the repository's tone and overrides).
using Words = std::function<std::string(const std::string& name, const render::Data& data)>;

// Is this an event the review looks at (before anything is fetched)?
bool wants_review(const github::Event& event);

// Pure: the writes that say what `findings` call for, given what was said before.
std::vector<store::outbox::Write> decide(const PullRequest& pr, bool newcomer, const RepoConfig& config,
                                         const std::vector<Finding>& findings, const Previous& previous,
                                         const Words& words);

// The rules in force for a repository: the built-in ones and its own (its own win on the same
// id), less the ones it disabled.
std::vector<Rule> rules_for(const std::vector<Rule>* built_in, const RepoConfig& config);

void handle(Context& context);

}  // namespace mentorbot::features::review
