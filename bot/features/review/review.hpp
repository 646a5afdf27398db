#pragma once
// review: one review (event COMMENT) per pull request, its inline comments on the added lines
// the rules found. Newcomers get at most `max_suggestions`, the most useful first, and an open
// question; everyone else only the `everyone` rules, and no review when nothing applies. On
// synchronize the summary is edited (never a second review) and an inline comment already made
// on a line is never made again.
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "features/context.hpp"
#include "features/review/rules.hpp"
#include "features/review/settings.hpp"
#include "features/words.hpp"

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

// Is this an event the review looks at (before anything is fetched)?
bool wants_review(const github::PullRequestEvent& event);

struct Facts {
  bool newcomer = false;
  std::vector<Finding> findings;  // what the rules in force found on the change
  Previous previous;
};

// Pure: the writes that say what the findings call for, given what was said before.
std::vector<store::outbox::Write> decide(const github::PullRequestEvent& event, const Settings& settings,
                                         const Facts& facts, const Words& words);

// `rules`: the built-in rules (rules/*.yml).
void handle(const github::PullRequestEvent& event, Context& context, const std::vector<Rule>* rules);

}  // namespace mentorbot::features::review
