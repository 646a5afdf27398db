#pragma once
// Whose turn it is on a newcomer's pull request: waiting for a first human response, for the
// author, for review again, approved, merged or closed, moved by the events mentorbot already
// receives. Bots (the `[bot]` suffix, `type: Bot`, mentorbot itself) and the author never count
// as a response (CHAOSS, "Time to First Response"). Pure, so a table of event sequences is its
// test (tests/unit/features/pipeline_turn_test.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot::features::pipeline {

enum class Turn { first_response, author, review, approved, merged, closed };
std::string_view to_string(Turn turn);
std::optional<Turn> turn_named(std::string_view name);

// Who did something on the pull request.
enum class Actor { author, maintainer, other_human, bot };
// From GitHub's fields: a bot first (mentorbot's own comments come from a bot account), then the
// author, then the people who run the repository (OWNER, MEMBER, COLLABORATOR).
Actor actor_of(bool is_bot, std::string_view login, std::string_view association, std::string_view author_login);

enum class Happening {
  opened,             // also "ready for review": the turn starts
  reopened,
  pushed,             // new commits (synchronize)
  commented,          // an issue comment, a review comment, or a review with comments only
  changes_requested,  // a review asking for changes
  approved,           // an approving review
  merged,
  closed,             // closed without a merge
};

struct Step {
  Happening what = Happening::opened;
  Actor who = Actor::author;
  std::int64_t at_ms = 0;
};

struct State {
  Turn turn = Turn::first_response;
  std::int64_t opened_at = 0;
  std::int64_t turn_since = 0;  // when the current turn began
  std::optional<std::int64_t> first_response_at;  // the first word from a person other than the author
  std::optional<std::int64_t> merged_at;
  std::optional<std::int64_t> closed_at;  // merged or not
};

// A pull request opened at `at_ms`: its first human response is awaited.
State opened(std::int64_t at_ms);
// The state after `step`. Steps by bots change nothing; a merged pull request stays merged.
State apply(State state, const Step& step);

}  // namespace mentorbot::features::pipeline
