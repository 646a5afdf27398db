#pragma once
// nudge: a newcomer's pull request that has had no word from a maintainer (no review, no
// comment by an OWNER, MEMBER or COLLABORATOR) for `nudge_after_days` gets one polite reminder
// to the configured reviewers, or the `needs-review` label when none are configured; never a
// second one. The webhooks keep the store's list of waiting pull requests current; a periodic
// sweep (app/nudge_sweeper) asks `decide` about each.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/pull_request.hpp"
#include "store/pull_requests.hpp"

namespace mentorbot::features::nudge {

// Pure: is this event a maintainer's first word on a pull request? Returns its repo and number.
struct Response {
  std::string repo;
  std::int64_t number = 0;
};
std::optional<Response> maintainer_response(const github::Event& event);

// Pure: the writes for one waiting pull request, or none when it has not waited long enough.
std::vector<store::outbox::Write> decide(const store::pull_requests::Tracked& pr, const RepoConfig& config,
                                         std::int64_t now_ms, const render::Templates* templates);
// "@org/mentors, @alice" from the configured reviewers; anything that is not a login or a team
// is left out (it would not mention anyone, or would mention the wrong one).
std::string mention_list(const std::vector<std::string>& reviewers);

void handle_pull_request(Context& context);  // opened, reopened, ready_for_review, closed
void handle_response(Context& context);      // reviews and comments

}  // namespace mentorbot::features::nudge
