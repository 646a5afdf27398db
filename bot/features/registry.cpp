#include "features/registry.hpp"

#include "features/closing/closing.hpp"
#include "features/coins/coins.hpp"
#include "features/config_reload/config_reload.hpp"
#include "features/delivery_log/delivery_log.hpp"
#include "features/history_sync/history_sync.hpp"
#include "features/labels/labels.hpp"
#include "features/nudge/nudge.hpp"
#include "features/pipeline/pipeline.hpp"
#include "features/ping/ping.hpp"
#include "features/preview/preview.hpp"
#include "features/review/review.hpp"
#include "features/welcome/welcome.hpp"

namespace mentorbot::features {

void Registry::add(std::string_view pattern, std::string feature, Handler handler) {
  auto dot = pattern.find('.');
  Entry e;
  e.event = std::string(pattern.substr(0, dot));
  if (dot != std::string_view::npos) e.action = std::string(pattern.substr(dot + 1));
  e.feature = std::move(feature);
  e.handler = std::move(handler);
  entries_.push_back(std::move(e));
}

std::vector<const Registry::Entry*> Registry::handlers_for(std::string_view event, std::string_view action) const {
  std::vector<const Entry*> out;
  for (const auto& e : entries_) {
    if (e.event == event && (e.action.empty() || e.action == action)) out.push_back(&e);
  }
  return out;
}

std::set<std::string> Registry::events(std::string_view except) const {
  std::set<std::string> out;
  for (const auto& e : entries_) {
    if (e.feature != except) out.insert(e.event);
  }
  return out;
}

Registry build_registry(const FeatureSettings& settings) {
  using namespace github;
  Registry r;
  coins::Badges badges{settings.public_url};
  const auto* rules = settings.rules;
  r.on<PingEvent>("ping", "ping", ping::handle);
  // A new pull request hears from mentorbot in this order: welcome, label, review.
  r.on<PullRequestEvent>("pull_request", "welcome", welcome::handle);
  r.on<PullRequestEvent>("pull_request", "labels", labels::handle_pull_request);
  r.on<PullRequestEvent>("pull_request", "review",
                         [rules](const PullRequestEvent& e, Context& c) { review::handle(e, c, rules); });
  r.on<PullRequestEvent>("pull_request", "preview", preview::handle);
  r.on<PullRequestEvent>("pull_request.closed", "closing", closing::handle);
  r.on<PullRequestEvent>("pull_request.closed", "coins",
                         [badges](const PullRequestEvent& e, Context& c) { coins::handle_merge(e, c, badges); });
  r.on<PullRequestReviewEvent>("pull_request_review.submitted", "coins", coins::handle_review);
  r.on<PullRequestReviewEvent>("pull_request_review.dismissed", "coins", coins::handle_review);
  r.on<IssueCommentEvent>("issue_comment.created", "coins",
                          [badges](const IssueCommentEvent& e, Context& c) { coins::handle_command(e, c, badges); });
  r.on<PullRequestEvent>("pull_request", "nudge", nudge::handle_pull_request);
  r.on<PullRequestReviewEvent>("pull_request_review.submitted", "nudge", nudge::handle_review);
  r.on<PullRequestReviewCommentEvent>("pull_request_review_comment.created", "nudge", nudge::handle_review_comment);
  r.on<IssueCommentEvent>("issue_comment.created", "nudge", nudge::handle_issue_comment);
  r.on<PullRequestEvent>("pull_request", "pipeline", pipeline::handle_pull_request);
  r.on<PullRequestReviewEvent>("pull_request_review.submitted", "pipeline", pipeline::handle_review);
  r.on<PullRequestReviewCommentEvent>("pull_request_review_comment.created", "pipeline", pipeline::handle_review_comment);
  r.on<IssueCommentEvent>("issue_comment.created", "pipeline", pipeline::handle_issue_comment);
  r.on<InstallationEvent>("installation", "labels", labels::handle_installation);
  r.on<InstallationEvent>("installation_repositories.added", "labels", labels::handle_installation);
  // The config first: it cannot fail, and a history fetch that must be retried should not delay it.
  r.on<PushEvent>("push", "config", config_reload::handle);
  r.on<PushEvent>("push", "history", history_sync::handle);
  for (const char* event : delivery_log::events) r.on_any(event, "delivery_log", delivery_log::handle);
  return r;
}

}  // namespace mentorbot::features
