#include "features/registry.hpp"

#include "features/closing/closing.hpp"
#include "features/coins/coins.hpp"
#include "features/config/config_reload.hpp"
#include "features/delivery_log/delivery_log.hpp"
#include "features/history/history.hpp"
#include "features/labels/labels.hpp"
#include "features/nudge/nudge.hpp"
#include "features/ping/ping.hpp"
#include "features/review/review.hpp"
#include "features/welcome/welcome.hpp"

namespace mentorbot::features {

void Registry::on(std::string_view pattern, std::string feature, Handler handler) {
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

Registry build_registry() {
  Registry r;
  r.on("ping", "ping", ping::handle);
  // A new pull request hears from mentorbot in this order: welcome, label, review.
  r.on("pull_request", "welcome", welcome::handle);
  r.on("pull_request", "labels", labels::handle_pull_request);
  r.on("pull_request", "review", review::handle);
  r.on("pull_request.closed", "closing", closing::handle);
  r.on("pull_request.closed", "coins", coins::handle_merge);
  r.on("pull_request_review.submitted", "coins", coins::handle_review);
  r.on("pull_request_review.dismissed", "coins", coins::handle_review);
  r.on("issue_comment.created", "coins", coins::handle_command);
  r.on("pull_request", "nudge", nudge::handle_pull_request);
  r.on("pull_request_review.submitted", "nudge", nudge::handle_response);
  r.on("pull_request_review_comment.created", "nudge", nudge::handle_response);
  r.on("issue_comment.created", "nudge", nudge::handle_response);
  r.on("installation", "labels", labels::handle_installation);
  r.on("installation_repositories.added", "labels", labels::handle_installation);
  // The config first: it cannot fail, and a history fetch that must be retried should not delay it.
  r.on("push", "config", config_reload::handle);
  r.on("push", "history", history_sync::handle);
  for (const char* event : delivery_log::events) r.on(event, "delivery_log", delivery_log::handle);
  return r;
}

}  // namespace mentorbot::features
