#include "features/pipeline/backfill.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "core/ascii.hpp"
#include "features/pipeline/pipeline.hpp"
#include "history/classify.hpp"

namespace mentorbot::features::pipeline {
namespace {


}  // namespace

std::vector<bool> newcomers(const std::vector<PastPullRequest>& prs, int threshold) {
  std::vector<std::size_t> order(prs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return prs[a].created_at < prs[b].created_at; });
  // When each author's pull requests were merged, to count those merged before one was opened
  // (as the webhooks count an author's merged work when a pull request opens).
  std::map<std::string, std::vector<std::int64_t>> merged_opened;
  for (const auto& pr : prs) {
    if (pr.merged_at) merged_opened[ascii_lower(pr.author)].push_back(*pr.merged_at);
  }
  std::vector<bool> out(prs.size(), false);
  for (auto i : order) {
    const auto& pr = prs[i];
    if (pr.author_is_bot || pr.author.ends_with("[bot]") || history::is_maintainer(pr.association)) continue;
    const auto& merged = merged_opened[ascii_lower(pr.author)];
    auto before = std::count_if(merged.begin(), merged.end(), [&](std::int64_t t) { return t < pr.created_at; });
    if (before >= threshold) continue;
    // A CONTRIBUTOR with nothing merged in the window became one before it: not new here.
    if (pr.association == "CONTRIBUTOR" && merged.empty()) continue;
    out[i] = true;
  }
  return out;
}

std::optional<store::pipeline::Entry> replayed(const PastPullRequest& pr, bool newcomer,
                                               std::optional<std::int64_t> installation) {
  if (pr.author_is_bot || pr.author.ends_with("[bot]")) return std::nullopt;
  std::vector<Step> steps = pr.steps;
  // Who merged or closed is not in the list; a person who could (it is never a response).
  if (pr.merged_at) {
    steps.push_back({Happening::merged, Actor::maintainer, *pr.merged_at});
  } else if (pr.closed_at) {
    steps.push_back({Happening::closed, Actor::maintainer, *pr.closed_at});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    if (a.at_ms != b.at_ms) return a.at_ms < b.at_ms;
    auto last = [](const Step& s) { return s.what == Happening::merged || s.what == Happening::closed; };
    return !last(a) && last(b);
  });
  State s = opened(pr.created_at);
  for (const auto& step : steps) s = apply(s, step);
  store::pipeline::Entry e;
  e.repo = pr.repo;
  e.number = pr.number;
  e.installation_id = installation;
  e.author = pr.author;
  e.title = pr.title;
  e.newcomer = newcomer;
  keep(e, s);
  e.draft = pr.draft;
  e.ready_at = pr.created_at;
  return e;
}

store::pipeline::Entry merged_with(store::pipeline::Entry e, const std::optional<store::pipeline::Entry>& kept) {
  if (!kept) return e;
  e.newcomer = kept->newcomer;
  e.author_nudged_at = kept->author_nudged_at;
  e.escalated_at = kept->escalated_at;
  if (!e.installation_id) e.installation_id = kept->installation_id;
  e.ready_at = std::max(e.ready_at, kept->ready_at);
  if (kept->first_response_at && (!e.first_response_at || *kept->first_response_at < *e.first_response_at)) {
    e.first_response_at = kept->first_response_at;
  }
  // Never backwards: what the webhooks saw after the list was read (a merge, a close, a later
  // turn) stands over the replayed history.
  bool kept_closed = kept->closed_at.has_value() && !e.closed_at;
  if (kept_closed || kept->turn_since > e.turn_since) {
    e.turn = kept->turn;
    e.turn_since = kept->turn_since;
    e.merged_at = kept->merged_at;
    e.closed_at = kept->closed_at;
    e.draft = kept->draft;
  }
  return e;
}

}  // namespace mentorbot::features::pipeline
