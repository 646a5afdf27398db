#include "features/nudge/nudge.hpp"

#include <regex>

#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "features/labels/labels.hpp"
#include "render/escape.hpp"

namespace mentorbot::features::nudge {
namespace {

constexpr std::int64_t day_ms = 24LL * 60 * 60 * 1000;

}  // namespace

std::optional<Response> maintainer_response(const github::Event& e) {
  const json::value* response = nullptr;  // the review or the comment
  const json::value* pull = nullptr;      // the pull request (an issue, for issue comments)
  if ((e.name == "pull_request_review" && e.action == "submitted") ||
      (e.name == "pull_request_review_comment" && e.action == "created")) {
    response = json_find(e.payload, {e.name == "pull_request_review" ? "review" : "comment"});
    pull = json_find(e.payload, {"pull_request"});
  } else if (e.name == "issue_comment" && e.action == "created") {
    if (!json_find(e.payload, {"issue", "pull_request"})) return std::nullopt;  // an issue, not a PR
    response = json_find(e.payload, {"comment"});
    pull = json_find(e.payload, {"issue"});
  }
  if (!response || !pull) return std::nullopt;
  auto association = json_string(*response, {"author_association"}).value_or("");
  auto who = json_string(*response, {"user", "login"}).value_or("");
  bool bot = github::is_bot(json_find(*response, {"user"}));
  if (!history::is_maintainer(association) || bot || who == json_string(*pull, {"user", "login"}).value_or("")) return std::nullopt;
  auto repo = e.repo();
  auto number = json_int(*pull, {"number"});
  if (!repo || !number) return std::nullopt;
  return Response{*repo, *number};
}

std::string mention_list(const std::vector<std::string>& reviewers) {
  static const std::regex handle(R"(^@?([A-Za-z0-9](-?[A-Za-z0-9])*(/[A-Za-z0-9_.-]+)?)$)");
  std::string out;
  for (const auto& r : reviewers) {
    std::smatch m;
    if (!std::regex_match(r, m, handle)) continue;
    out += (out.empty() ? "@" : ", @") + m[1].str();
  }
  return out;
}

std::vector<store::outbox::Write> decide(const store::pull_requests::Tracked& pr, const RepoConfig& config,
                                         std::int64_t now_ms, const render::Templates* templates) {
  std::vector<store::outbox::Write> out;
  if (pr.closed_at || pr.responded_at || pr.nudged_at || !history::is_new(pr.status)) return out;
  std::int64_t waited = now_ms - pr.waiting_since;
  if (waited < config.nudge_after_days * day_ms) return out;
  auto key = pr.repo + "#" + std::to_string(pr.number);
  auto reviewers = mention_list(config.reviewers);
  if (reviewers.empty()) {
    out.push_back(labels::ensure(pr.installation_id, pr.repo, config.needs_review_label));
    json::object payload{{"labels", json::array{json::value(config.needs_review_label.name)}}};
    out.push_back({"nudge:" + key, pr.installation_id, pr.repo, pr.number, "labels", json::serialize(payload)});
    return out;
  }
  render::Data data;
  data.set("author", plain_login(pr.author) ? pr.author : render::defuse_mentions(pr.author));
  data.set("repo", pr.repo);
  render::Data p;
  p.set("number", std::to_string(pr.number));
  data.set("pr", p);
  data.set("days", std::to_string(waited / day_ms));
  data.set("reviewers", reviewers);
  json::object payload{{"body", words(templates, config, "nudge", data)}};
  out.push_back({"nudge:" + key, pr.installation_id, pr.repo, pr.number, "comment", json::serialize(payload)});
  return out;
}

void handle_pull_request(Context& context) {
  const auto& e = context.event;
  auto pr = pull_request_of(e);
  if (!pr) return;
  auto now = unix_ms();
  if (e.action == "closed") {
    context.record([repo = pr->repo, number = pr->number, now](store::Db& db) {
      store::pull_requests::closed(db, repo, number, now);
    });
    return;
  }
  if (e.action != "opened" && e.action != "reopened" && e.action != "ready_for_review") return;
  if (pr->draft || pr->author_is_bot) return;
  const auto& who = author_of(context);
  if (!history::is_new(who.status)) return;
  store::pull_requests::Tracked t;
  t.repo = pr->repo;
  t.number = pr->number;
  t.installation_id = pr->installation;
  t.author = pr->author;
  t.status = std::string(history::to_string(who.status));
  context.record([t, now](store::Db& db) { store::pull_requests::opened(db, t, now); });
}

void handle_response(Context& context) {
  auto response = maintainer_response(context.event);
  if (!response) return;
  auto now = unix_ms();
  context.record([r = *response, now](store::Db& db) { store::pull_requests::responded(db, r.repo, r.number, now); });
}

}  // namespace mentorbot::features::nudge
