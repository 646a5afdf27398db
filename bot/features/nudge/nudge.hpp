#pragma once
// nudge: a newcomer's pull request that has had no word from a maintainer (no review, no
// comment by an OWNER, MEMBER or COLLABORATOR) for `nudge_after_days` gets one polite reminder
// to the configured reviewers, or the `needs-review` label when none are configured; never a
// second one. The webhooks keep the store's list of waiting pull requests current (here); a
// periodic sweep asks `decide` about each (sweep.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/context.hpp"
#include "features/words.hpp"
#include "store/pull_requests.hpp"

namespace mentorbot::features::nudge {

// Pure: is this a maintainer's first word on a pull request? Returns its repo and number.
struct Response {
  std::string repo;
  std::int64_t number = 0;
};
std::optional<Response> maintainer_response(const github::PullRequestReviewEvent& event);
std::optional<Response> maintainer_response(const github::PullRequestReviewCommentEvent& event);
std::optional<Response> maintainer_response(const github::IssueCommentEvent& event);

// Pure: the pull request to keep waiting for review (a newcomer's, opened, reopened or marked
// ready), or nothing.
std::optional<store::pull_requests::Tracked> to_track(const github::PullRequestEvent& event,
                                                      const history::Classification& author);

// Pure: the writes for one waiting pull request, or none when it has not waited long enough.
std::vector<store::outbox::Write> decide(const store::pull_requests::Tracked& pr, const RepoConfig& config,
                                         std::int64_t now_ms, const Words& words);
// "@org/mentors, @alice" from the configured reviewers; anything that is not a login or a team
// is left out (it would not mention anyone, or would mention the wrong one).
std::string mention_list(const std::vector<std::string>& reviewers);

void handle_pull_request(const github::PullRequestEvent& event, Context& context);  // opened, reopened, ready, closed
void handle_review(const github::PullRequestReviewEvent& event, Context& context);
void handle_review_comment(const github::PullRequestReviewCommentEvent& event, Context& context);
void handle_issue_comment(const github::IssueCommentEvent& event, Context& context);

}  // namespace mentorbot::features::nudge
