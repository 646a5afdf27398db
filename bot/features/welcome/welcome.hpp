#pragma once
// welcome: one comment for a first-timer, a first-time contributor or a newcomer (the words
// differ by class), never for regulars, never when nobody can tell (unknown), never for bots,
// never twice for the same pull request (its key is the PR). Drafts wait for ready_for_review.
// The words are templates/<tone>/welcome.md, with one specific, encouraging observation
// about the change.
#include <optional>
#include <string>
#include <vector>

#include "features/context.hpp"
#include "features/welcome/settings.hpp"
#include "features/words.hpp"

namespace mentorbot::features::welcome {

// Is this an event that may be welcomed at all (before anyone asks who the author is)?
bool wants_welcome(const github::PullRequestEvent& event);

// One specific, encouraging thing to notice about the change; the template words it.
struct Observation {
  enum class Kind { none, tests, docs, focused, small, description } kind = Kind::none;
  std::string file;  // focused: the one file changed
};
// Pure. `files` null: GitHub could not list them (the payload's counts still tell a little).
Observation observe(const github::PullRequest& pr, const std::vector<github::ChangedFile>* files);
// The template variables for it: `noticed` (any), and `noticed_tests`, `noticed_docs`,
// `noticed_focused` (with `noticed_file`, a code span), `noticed_small`, `noticed_description`.
void add_observation(render::Data& data, const Observation& o);

// Pure: the welcome comment (keyed welcome:owner/repo#N), or nothing. `usual_reply_s`: within
// how long most newcomers' pull requests here got a first human reply (the store's numbers, when
// there are enough), said as `expected_reply` ("2 days"); without it, the maintainers'
// `expected_response` text, or nothing: never a promise the numbers do not back.
std::optional<store::outbox::Write> decide(const github::PullRequestEvent& event, const Settings& settings,
                                           const history::Classification& author, const Observation& noticed,
                                           const Words& words, std::optional<std::int64_t> usual_reply_s = std::nullopt);

void handle(const github::PullRequestEvent& event, Context& context);

}  // namespace mentorbot::features::welcome
