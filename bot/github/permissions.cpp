#include "github/permissions.hpp"

#include <array>

namespace mentorbot::github {
namespace {

using boost::beast::http::verb;

constexpr std::array endpoint_table{
    Endpoint{verb::post, "/app/installations/{id}/access_tokens", "", Access::none, "installation tokens (App JWT)"},
    Endpoint{verb::post, "/app-manifests/{code}/conversions", "", Access::none, "registration from the manifest"},
    Endpoint{verb::get, "/repos/{owner}/{repo}/contents/{path*}", "contents", Access::read,
             ".github/mentorbot.yml, the repository's and the org's"},
    Endpoint{verb::get, "/repos/{owner}/{repo}/pulls/{number}/files", "pull_requests", Access::read,
             "the diff the review reads"},
    Endpoint{verb::get, "/repos/{owner}/{repo}/pulls/{number}/commits", "pull_requests", Access::read,
             "who wrote a pull request's commits"},
    Endpoint{verb::get, "/repos/{owner}/{repo}/pulls", "pull_requests", Access::read,
             "the backfill: a window's pull requests"},
    Endpoint{verb::get, "/repos/{owner}/{repo}/pulls/{number}/reviews", "pull_requests", Access::read,
             "finding a review already posted; the backfill's reviews"},
    Endpoint{verb::post, "/repos/{owner}/{repo}/pulls/{number}/reviews", "pull_requests", Access::write,
             "the review with its suggestions"},
    Endpoint{verb::put, "/repos/{owner}/{repo}/pulls/{number}/reviews/{id}", "pull_requests", Access::write,
             "editing the review summary after a push"},
    Endpoint{verb::get, "/repos/{owner}/{repo}/pulls/{number}/comments", "pull_requests", Access::read,
             "finding an inline comment already posted; the backfill's review comments"},
    Endpoint{verb::post, "/repos/{owner}/{repo}/pulls/{number}/comments", "pull_requests", Access::write,
             "an inline suggestion on a new line after a push"},
    Endpoint{verb::get, "/repos/{owner}/{repo}/issues/{number}/comments", "issues", Access::read,
             "finding a comment already posted; the backfill's comments"},
    Endpoint{verb::post, "/repos/{owner}/{repo}/issues/{number}/comments", "issues", Access::write,
             "welcome, coin, closing note, nudge and /coin replies"},
    Endpoint{verb::patch, "/repos/{owner}/{repo}/issues/comments/{id}", "issues", Access::write,
             "editing the words preview after a push"},
    Endpoint{verb::post, "/repos/{owner}/{repo}/issues/{number}/labels", "issues", Access::write,
             "the first-time contributor and needs-review labels"},
    Endpoint{verb::get, "/repos/{owner}/{repo}/labels/{name}", "issues", Access::read, "the configured labels"},
    Endpoint{verb::post, "/repos/{owner}/{repo}/labels", "issues", Access::write, "making a configured label"},
    Endpoint{verb::patch, "/repos/{owner}/{repo}/labels/{name}", "issues", Access::write,
             "putting a label's colour and description right"},
    Endpoint{verb::get, "/search/issues", "pull_requests", Access::read, "an author's merged pull requests; good first issues"},
};

constexpr std::array subscription_table{
    Subscription{"pull_request", "pull_requests"},
    Subscription{"pull_request_review", "pull_requests"},
    Subscription{"pull_request_review_comment", "pull_requests"},
    Subscription{"issue_comment", "issues"},
    Subscription{"push", "contents"},
};

// "/repos/{owner}/{repo}/labels/{name}" against "/repos/o/r/labels/good%20first": one segment
// per {…}, the rest of the path for {…*}.
bool matches(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    auto p_end = pattern.find('/');
    auto segment = pattern.substr(0, p_end);
    auto t_end = path.find('/');
    auto value = path.substr(0, t_end);
    if (segment.starts_with('{') && segment.ends_with("*}")) return !path.empty();
    if (segment.starts_with('{')) {
      if (value.empty()) return false;
    } else if (segment != value) {
      return false;
    }
    pattern = p_end == std::string_view::npos ? std::string_view{} : pattern.substr(p_end);
    path = t_end == std::string_view::npos ? std::string_view{} : path.substr(t_end);
  }
  return path.empty();
}

}  // namespace

std::span<const Endpoint> endpoints() { return endpoint_table; }

std::optional<Endpoint> endpoint_for(verb method, std::string_view target) {
  auto path = target.substr(0, target.find('?'));
  for (const auto& e : endpoint_table) {
    if (e.method == method && matches(e.pattern, path)) return e;
  }
  return std::nullopt;
}

std::span<const Subscription> subscriptions() { return subscription_table; }

bool delivered_without_subscription(std::string_view event) {
  return event == "installation" || event == "installation_repositories" || event == "ping";
}

std::map<std::string, std::string> permissions_needed() {
  std::map<std::string, std::string> out{{"metadata", "read"}, {"contents", "read"}};  // contents: the git mirror
  auto need = [&](std::string_view name, Access access) {
    auto& level = out[std::string(name)];
    if (access == Access::write || level.empty()) level = access == Access::write ? "write" : "read";
  };
  for (const auto& e : endpoint_table) {
    if (e.access != Access::none) need(e.permission, e.access);
  }
  for (const auto& s : subscription_table) need(s.permission, Access::read);
  return out;
}

}  // namespace mentorbot::github
