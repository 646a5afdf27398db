#include "features/nudge/turns.hpp"

#include "features/nudge/nudge.hpp"

namespace mentorbot::features::nudge {
namespace {

constexpr std::int64_t day_ms = 24LL * 60 * 60 * 1000;

bool may_nudge(const store::pipeline::Entry& row) {
  return row.newcomer && !row.draft && !row.closed_at && row.installation_id.has_value();
}

render::Data data_of(const store::pipeline::Entry& row, std::int64_t days) {
  render::Data data;
  data.set("author", shown_login(row.author));
  data.set("repo", row.repo);
  render::Data p;
  p.set("number", std::to_string(row.number));
  p.set("title", row.title);
  data.set("pr", p);
  data.set("days", std::to_string(days));
  return data;
}

}  // namespace

std::optional<store::outbox::Write> decide_escalation(const store::pipeline::Entry& row, const RepoConfig& config,
                                                      std::int64_t now_ms, const Words& words) {
  if (!may_nudge(row) || row.turn != "first_response" || row.escalated_at) return std::nullopt;
  auto team = mention_list(config.nudge.escalate_to);
  if (team.empty()) return std::nullopt;
  auto waited = now_ms - row.ready_at;
  if (waited < config.nudge.escalate_after_days * day_ms) return std::nullopt;
  auto data = data_of(row, waited / day_ms);
  data.set("team", team);
  return store::outbox::Write{"escalation:" + row.repo + "#" + std::to_string(row.number), *row.installation_id,
                              row.repo, row.number, store::outbox::Comment{words("escalation", data)}};
}

std::optional<store::outbox::Write> decide_author_nudge(const store::pipeline::Entry& row, const RepoConfig& config,
                                                        std::int64_t now_ms, const Words& words) {
  if (!may_nudge(row) || row.turn != "author" || row.author_nudged_at) return std::nullopt;
  if (config.nudge.author_nudge_days <= 0) return std::nullopt;  // turned off
  auto waited = now_ms - row.turn_since;
  if (waited < config.nudge.author_nudge_days * day_ms) return std::nullopt;
  return store::outbox::Write{"author-nudge:" + row.repo + "#" + std::to_string(row.number), *row.installation_id,
                              row.repo, row.number,
                              store::outbox::Comment{words("author_nudge", data_of(row, waited / day_ms))}};
}

}  // namespace mentorbot::features::nudge
