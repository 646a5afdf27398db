#pragma once
// closing: one kind note when a newcomer's pull request is closed without being merged:
// thanks, what happens next, and where the good first issues are. Never for regulars, bots,
// or a pull request that was merged (that one earns a coin).
#include <optional>

#include "features/context.hpp"
#include "features/words.hpp"

namespace mentorbot::features::closing {

// Pure: the note (keyed closed:owner/repo#N), or nothing.
std::optional<store::outbox::Write> decide(const github::PullRequestEvent& event, const history::Classification& author,
                                           const Words& words);

void handle(const github::PullRequestEvent& event, Context& context);

}  // namespace mentorbot::features::closing
