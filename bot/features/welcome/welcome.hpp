#pragma once
// welcome: one comment for a first-timer, a first-time contributor or a newcomer (words differ
// by class), never for regulars, never when nobody can tell (unknown), never for bots, never
// twice for the same pull request (its key is the PR). Drafts wait for ready_for_review.
// The words move to the tone templates with the mentoring review (issue 5).
#include <cstdint>
#include <optional>
#include <string>

#include "features/registry.hpp"
#include "history/classify.hpp"

namespace mentorbot::features::welcome {

struct Plan {
  std::string key;  // welcome:owner/repo#N
  std::int64_t installation_id = 0;
  std::string repo;
  std::int64_t number = 0;
  std::string author;
  history::Status status = history::Status::unknown;
  std::string body;
};

// Is this an event that may be welcomed at all (before anyone asks who the author is)?
bool wants_welcome(const github::Event& event);
// Pure: what to post, given who the author is.
std::optional<Plan> decide(const github::Event& event, const history::Classification& who);
void handle(Context& context);

}  // namespace mentorbot::features::welcome
