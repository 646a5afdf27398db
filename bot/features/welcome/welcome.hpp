#pragma once
// welcome: one comment for a first-timer, a first-time contributor or a newcomer (the words
// differ by class), never for regulars, never when nobody can tell (unknown), never for bots,
// never twice for the same pull request (its key is the PR). Drafts wait for ready_for_review.
// The words are templates/<tone>/welcome.md, with one specific, encouraging observation
// about the change.
#include <cstdint>
#include <optional>
#include <string>

#include "features/pull_request.hpp"

namespace mentorbot::features::welcome {

struct Plan {
  std::string key;  // welcome:owner/repo#N
  std::int64_t installation_id = 0;
  std::string repo;
  std::int64_t number = 0;
};

// Is this an event that may be welcomed at all (before anyone asks who the author is)?
bool wants_welcome(const github::Event& event);
// Pure: whether to welcome, given who the author is and what the repository wants.
std::optional<Plan> decide(const github::Event& event, const PullRequest& pr, const history::Classification& who,
                           const RepoConfig& config);
// One specific, encouraging thing to notice about the change; the template words it.
struct Observation {
  enum class Kind { none, tests, docs, focused, small, description } kind = Kind::none;
  std::string file;  // focused: the one file changed
};
// Pure.
Observation observe(const PullRequest& pr, const review::PullRequestFacts& facts);
// The template variables for it: `noticed` (any), and `noticed_tests`, `noticed_docs`,
// `noticed_focused` (with `noticed_file`, a code span), `noticed_small`, `noticed_description`.
void add_observation(render::Data& data, const Observation& o);

void handle(Context& context);

}  // namespace mentorbot::features::welcome
