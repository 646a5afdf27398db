#include "features/pipeline/pipeline.hpp"

#include "core/clock.hpp"

namespace mentorbot::features::pipeline {
namespace {

State state_of(const store::pipeline::Entry& e) {
  State s;
  s.turn = turn_named(e.turn).value_or(Turn::first_response);
  s.opened_at = e.opened_at;
  s.turn_since = e.turn_since;
  s.first_response_at = e.first_response_at;
  s.merged_at = e.merged_at;
  s.closed_at = e.closed_at;
  return s;
}


// A pull request marked draft or ready for review, and when.
struct Drafting {
  bool draft = false;
  std::int64_t at_ms = 0;
};

// The step inside the delivery's transaction: the row as stored, moved, kept.
void hand_over(Context& context, const std::string& repo, std::int64_t number, std::optional<Step> step,
               std::optional<store::pipeline::Entry> opening = std::nullopt,
               std::optional<Drafting> drafting = std::nullopt) {
  if (!step && !drafting) return;
  context.handover.step([repo, number, step, opening = std::move(opening), drafting](store::Db& db, Plan&) {
    auto row = store::pipeline::find(db, repo, number);
    if (step) row = next(std::move(row), opening, *step);
    if (row && drafting) row = marked(std::move(*row), drafting->draft, drafting->at_ms);
    if (row) store::pipeline::save(db, *row);
  });
}

Actor actor(const github::User& who, const std::string& association, const github::User& author) {
  return actor_of(who.bot, who.login, association, author.login);
}

}  // namespace

std::optional<Step> step_of(const github::PullRequestEvent& e, std::int64_t now_ms) {
  const auto& pr = e.pull_request;
  // Who did it: the sender (the author opens and pushes, a maintainer or a merge queue merges).
  Actor who = actor_of(e.sender.bot, e.sender.login, "", pr.author.login);
  if (who == Actor::other_human) who = Actor::maintainer;  // a person who could merge or push here
  if (e.action == "opened" || e.action == "ready_for_review") return Step{Happening::opened, who, pr.created_at.value_or(now_ms)};
  if (e.action == "reopened") return Step{Happening::reopened, who, pr.updated_at.value_or(now_ms)};
  if (e.action == "synchronize") return Step{Happening::pushed, who, pr.updated_at.value_or(now_ms)};
  if (e.action == "closed") {
    if (pr.merged) return Step{Happening::merged, who, pr.merged_at.value_or(pr.closed_at.value_or(now_ms))};
    return Step{Happening::closed, who, pr.closed_at.value_or(now_ms)};
  }
  return std::nullopt;
}

std::optional<Step> step_of(const github::PullRequestReviewEvent& e, std::int64_t now_ms) {
  if (e.action != "submitted") return std::nullopt;
  Happening what = e.review.state == "approved"            ? Happening::approved
                   : e.review.state == "changes_requested" ? Happening::changes_requested
                                                            : Happening::commented;
  return Step{what, actor(e.review.user, e.review.association, e.pull_request.author),
              e.review.submitted_at.value_or(now_ms)};
}

std::optional<Step> step_of(const github::PullRequestReviewCommentEvent& e, std::int64_t now_ms) {
  if (e.action != "created") return std::nullopt;
  return Step{Happening::commented, actor(e.comment.user, e.comment.association, e.pull_request.author),
              e.comment.created_at.value_or(now_ms)};
}

std::optional<Step> step_of(const github::IssueCommentEvent& e, std::int64_t now_ms) {
  if (e.action != "created" || !e.issue.is_pull_request) return std::nullopt;  // an issue's, not a pull request's
  return Step{Happening::commented, actor(e.comment.user, e.comment.association, e.issue.author),
              e.comment.created_at.value_or(now_ms)};
}

std::optional<store::pipeline::Entry> next(std::optional<store::pipeline::Entry> row,
                                           const std::optional<store::pipeline::Entry>& opening, const Step& step) {
  if (!row) {
    if (!opening || step.what != Happening::opened) return std::nullopt;
    row = opening;
    keep(*row, opened(step.at_ms));
    row->ready_at = step.at_ms;
    return row;
  }
  keep(*row, apply(state_of(*row), step));
  return row;
}

void keep(store::pipeline::Entry& e, const State& s) {
  e.turn = std::string(to_string(s.turn));
  e.opened_at = s.opened_at;
  e.turn_since = s.turn_since;
  e.first_response_at = s.first_response_at;
  e.merged_at = s.merged_at;
  e.closed_at = s.closed_at;
}

store::pipeline::Entry marked(store::pipeline::Entry row, bool draft, std::int64_t at_ms) {
  if (row.draft && !draft) {
    // Ready for review: its wait for a first response starts now.
    row.ready_at = at_ms;
    if (row.turn == to_string(Turn::first_response)) row.turn_since = at_ms;
  }
  row.draft = draft;
  return row;
}

void handle_pull_request(const github::PullRequestEvent& e, Context& context) {
  const auto& pr = e.pull_request;
  auto now = unix_ms();
  auto step = step_of(e, now);
  std::optional<Drafting> drafting;
  if (e.action == "opened") drafting = Drafting{pr.draft, pr.created_at.value_or(now)};
  if (e.action == "ready_for_review") drafting = Drafting{false, pr.updated_at.value_or(now)};
  if (e.action == "converted_to_draft") drafting = Drafting{true, pr.updated_at.value_or(now)};
  std::optional<store::pipeline::Entry> opening;
  if (step && step->what == Happening::opened && !pr.author.bot) {
    // A person's pull request starts its row, with whether its author was new here.
    store::pipeline::Entry row;
    row.repo = e.repository.full_name;
    row.number = pr.number;
    row.installation_id = e.installation;
    row.author = pr.author.login;
    row.title = pr.title;
    if (e.installation) {
      const auto& config = context.sources.read_config(*e.installation, e.repository.full_name);
      row.newcomer = history::is_new(context.sources.classify_author(e, config.newcomer_threshold).status);
    }
    opening = std::move(row);
  }
  hand_over(context, e.repository.full_name, pr.number, step, std::move(opening), drafting);
}

void handle_review(const github::PullRequestReviewEvent& e, Context& context) {
  hand_over(context, e.repository.full_name, e.pull_request.number, step_of(e, unix_ms()));
}

void handle_review_comment(const github::PullRequestReviewCommentEvent& e, Context& context) {
  hand_over(context, e.repository.full_name, e.pull_request.number, step_of(e, unix_ms()));
}

void handle_issue_comment(const github::IssueCommentEvent& e, Context& context) {
  hand_over(context, e.repository.full_name, e.issue.number, step_of(e, unix_ms()));
}

}  // namespace mentorbot::features::pipeline
