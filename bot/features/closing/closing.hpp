#pragma once
// closing: one kind note when a newcomer's pull request is closed without being merged:
// thanks, what happens next, and where the good first issues are. Never for regulars, bots,
// or a pull request that was merged (that one earns a coin).
#include <optional>
#include <string>

#include "features/pull_request.hpp"

namespace mentorbot::features::closing {

struct Plan {
  std::string key;  // closed:owner/repo#N
  bool closed_by_author = false;
};

// Pure.
std::optional<Plan> decide(const github::Event& event, const PullRequest& pr, const history::Classification& who);
void handle(Context& context);

}  // namespace mentorbot::features::closing
