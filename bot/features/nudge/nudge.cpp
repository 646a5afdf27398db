#include "features/nudge/nudge.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "core/clock.hpp"
#include "features/label_spec.hpp"

namespace mentorbot::features::nudge {
namespace {

constexpr std::int64_t day_ms = 24LL * 60 * 60 * 1000;

// A word from someone who runs the repository, who is neither a bot nor the author.
std::optional<Response> from_maintainer(const github::RepositoryEvent& e, std::int64_t number, const github::User& who,
                                        const std::string& association, const github::User& author) {
  if (!history::is_maintainer(association) || who.bot || who.login == author.login) return std::nullopt;
  return Response{e.repository.full_name, number};
}

// Opened, reopened or marked ready by a person (a draft waits): the pull request waits for review.
bool starts_waiting(const github::PullRequestEvent& e) {
  const auto& pr = e.pull_request;
  if (e.action != "opened" && e.action != "reopened" && e.action != "ready_for_review") return false;
  return !pr.draft && !pr.author.bot && e.installation;
}

void keep_responded(Context& context, const std::optional<Response>& response) {
  if (!response) return;
  context.handover.step([r = *response, now = unix_ms()](store::Db& db, Plan&) {
    store::pull_requests::responded(db, r.repo, r.number, now);
  });
}

}  // namespace

std::optional<Response> maintainer_response(const github::PullRequestReviewEvent& e) {
  if (e.action != "submitted") return std::nullopt;
  return from_maintainer(e, e.pull_request.number, e.review.user, e.review.association, e.pull_request.author);
}

std::optional<Response> maintainer_response(const github::PullRequestReviewCommentEvent& e) {
  if (e.action != "created") return std::nullopt;
  return from_maintainer(e, e.pull_request.number, e.comment.user, e.comment.association, e.pull_request.author);
}

std::optional<Response> maintainer_response(const github::IssueCommentEvent& e) {
  if (e.action != "created" || !e.issue.is_pull_request) return std::nullopt;  // an issue, not a PR
  return from_maintainer(e, e.issue.number, e.comment.user, e.comment.association, e.issue.author);
}

std::optional<store::pull_requests::Tracked> to_track(const github::PullRequestEvent& e,
                                                      const history::Classification& author) {
  if (!starts_waiting(e) || !history::is_new(author.status)) return std::nullopt;
  const auto& pr = e.pull_request;
  store::pull_requests::Tracked t;
  t.repo = e.repository.full_name;
  t.number = pr.number;
  t.installation_id = *e.installation;
  t.author = pr.author.login;
  t.status = std::string(history::to_string(author.status));
  return t;
}

std::string mention_list(const std::vector<std::string>& reviewers) {
  // "@login" or "@org/team" (the @ optional): a team's slug is letters, digits, '_', '.' and '-'.
  auto team_slug = [](std::string_view slug) {
    return !slug.empty() && slug.size() <= 100 && std::all_of(slug.begin(), slug.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '_' || c == '.' || c == '-';
    });
  };
  std::string out;
  for (std::string_view r : reviewers) {
    if (r.starts_with('@')) r.remove_prefix(1);
    auto slash = r.find('/');
    auto owner = std::string(r.substr(0, slash));
    if (!plain_login(owner) || (slash != std::string_view::npos && !team_slug(r.substr(slash + 1)))) continue;
    out += (out.empty() ? "@" : ", @") + std::string(r);
  }
  return out;
}

std::vector<store::outbox::Write> decide(const store::pull_requests::Tracked& pr, const RepoConfig& config,
                                         std::int64_t now_ms, const Words& words) {
  std::vector<store::outbox::Write> out;
  if (pr.closed_at || pr.responded_at || pr.nudged_at || !history::is_new(pr.status)) return out;
  std::int64_t waited = now_ms - pr.waiting_since;
  if (waited < config.nudge.after_days * day_ms) return out;
  auto key = "nudge:" + pr.repo + "#" + std::to_string(pr.number);
  auto reviewers = mention_list(config.reviewers);
  if (reviewers.empty()) {
    const auto& label = config.labels.needs_review;
    out.push_back(label_upsert(pr.installation_id, pr.repo, label));
    out.push_back({key, pr.installation_id, pr.repo, pr.number, store::outbox::Labels{{label.name}}});
    return out;
  }
  render::Data data;
  data.set("author", shown_login(pr.author));
  data.set("repo", pr.repo);
  render::Data p;
  p.set("number", std::to_string(pr.number));
  data.set("pr", p);
  data.set("days", std::to_string(waited / day_ms));
  data.set("reviewers", reviewers);
  out.push_back({key, pr.installation_id, pr.repo, pr.number, store::outbox::Comment{words("nudge", data)}});
  return out;
}

void handle_pull_request(const github::PullRequestEvent& e, Context& context) {
  auto now = unix_ms();
  if (e.action == "closed") {
    context.handover.step([repo = e.repository.full_name, number = e.pull_request.number, now](store::Db& db, Plan&) {
      store::pull_requests::closed(db, repo, number, now);
    });
    return;
  }
  if (!starts_waiting(e)) return;
  const auto& config = context.sources.read_config(*e.installation, e.repository.full_name);
  auto tracked = to_track(e, context.sources.classify_author(e, config.newcomer_threshold));
  if (!tracked) return;
  context.handover.step([t = *tracked, now](store::Db& db, Plan&) { store::pull_requests::opened(db, t, now); });
}

void handle_review(const github::PullRequestReviewEvent& e, Context& context) {
  keep_responded(context, maintainer_response(e));
}

void handle_review_comment(const github::PullRequestReviewCommentEvent& e, Context& context) {
  keep_responded(context, maintainer_response(e));
}

void handle_issue_comment(const github::IssueCommentEvent& e, Context& context) {
  keep_responded(context, maintainer_response(e));
}

}  // namespace mentorbot::features::nudge
