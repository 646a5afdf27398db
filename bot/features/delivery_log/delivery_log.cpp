#include "features/delivery_log/delivery_log.hpp"

#include <spdlog/spdlog.h>

#include "core/overloaded.hpp"

namespace mentorbot::features::delivery_log {
namespace {

struct Line {
  std::string where = "?";
  std::string by = "?";
  std::string author;
  std::string association;
};

Line about(const github::RepositoryEvent& e, std::int64_t number, const github::User& author) {
  Line l;
  l.where = e.repository.full_name + (number ? "#" + std::to_string(number) : "");
  if (!e.sender.login.empty()) l.by = e.sender.login;
  l.author = author.login;
  return l;
}

}  // namespace

std::string describe(const github::Event& event) {
  Line said = std::visit(
      Overloaded{
          [](const github::PullRequestEvent& e) {
            auto l = about(e, e.pull_request.number, e.pull_request.author);
            l.association = e.pull_request.association;
            return l;
          },
          [](const github::PullRequestReviewEvent& e) {
            auto l = about(e, e.pull_request.number, e.pull_request.author);
            l.association = e.pull_request.association;
            return l;
          },
          [](const github::PullRequestReviewCommentEvent& e) {
            auto l = about(e, e.pull_request.number, e.pull_request.author);
            l.association = e.pull_request.association;
            return l;
          },
          [](const github::IssueCommentEvent& e) { return about(e, e.issue.number, e.issue.author); },
          [](const github::PushEvent& e) { return about(e, 0, {}); },
          [](const github::InstallationEvent& e) {
            Line l;
            l.where = e.account.empty() ? "?" : e.account;
            if (!e.sender.login.empty()) l.by = e.sender.login;
            return l;
          },
          [](const github::PingEvent&) { return Line{}; },
          [](const github::OtherEvent&) { return Line{}; },
      },
      event.payload);
  std::string out = event.qualified_name() + " " + said.where + " by " + said.by;
  if (!said.author.empty() && said.author != said.by) out += " (author " + said.author + ")";
  if (!said.association.empty()) out += " [" + said.association + "]";
  return out;
}

void handle(const github::Event& event, Context& context) {
  spdlog::info("delivery {}: {}", context.delivery, describe(event));
}

}  // namespace mentorbot::features::delivery_log
