#pragma once
// pipeline: every pull request a person opens gets a row in the store's pipeline, and each event
// on it moves the row by `turn.hpp`: whose turn it is, when a person first answered, when it was
// merged or closed. The numbers of issue 13 (time to first response, newcomers by stage) are read
// from these rows. The steps are pure (`step_of`, `next`); the handlers only hand them to the
// transaction that finishes the delivery.
#include <optional>

#include "features/context.hpp"
#include "features/pipeline/turn.hpp"
#include "store/pipeline.hpp"

namespace mentorbot::features::pipeline {

// Pure: what an event is to the pipeline, with the time it happened (from the payload; `now_ms`
// when the payload has none), or nothing.
std::optional<Step> step_of(const github::PullRequestEvent& event, std::int64_t now_ms);
std::optional<Step> step_of(const github::PullRequestReviewEvent& event, std::int64_t now_ms);
std::optional<Step> step_of(const github::PullRequestReviewCommentEvent& event, std::int64_t now_ms);
std::optional<Step> step_of(const github::IssueCommentEvent& event, std::int64_t now_ms);

// Pure: the row after `step`. A pull request opened while mentorbot listens starts a row
// (`opening`: its first row, with whether its author was new here); a step on a pull request
// without a row (opened before mentorbot, or by a bot) changes nothing: nullopt.
std::optional<store::pipeline::Entry> next(std::optional<store::pipeline::Entry> row,
                                           const std::optional<store::pipeline::Entry>& opening, const Step& step);

// Pure: the state's turn and times written into the row (the rest of the row stays).
void keep(store::pipeline::Entry& row, const State& state);

// Pure: the row marked a draft or ready for review at `at_ms`; a draft's wait for a first
// response starts when it is marked ready.
store::pipeline::Entry marked(store::pipeline::Entry row, bool draft, std::int64_t at_ms);

void handle_pull_request(const github::PullRequestEvent& event, Context& context);
void handle_review(const github::PullRequestReviewEvent& event, Context& context);
void handle_review_comment(const github::PullRequestReviewCommentEvent& event, Context& context);
void handle_issue_comment(const github::IssueCommentEvent& event, Context& context);

}  // namespace mentorbot::features::pipeline
