#include "store/pipeline_numbers.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "core/ascii.hpp"

namespace mentorbot::store::pipeline {
namespace {

constexpr std::int64_t hour_s = 3600;
constexpr std::int64_t day_s = 24 * hour_s;
constexpr std::int64_t day_ms = day_s * 1000;

bool opened_in(const Entry& e, Window w) { return e.opened_at >= w.since_ms && e.opened_at < w.until_ms; }

// Seconds from opened (or ready) to the first response; never negative (a word on a draft).
std::int64_t response_s(const Entry& e) {
  return std::max<std::int64_t>(0, (*e.first_response_at - e.ready_at) / 1000);
}

// When an unanswered pull request stopped waiting: its close, or now.
std::int64_t waited_s(const Entry& e, std::int64_t now_ms) {
  return std::max<std::int64_t>(0, (e.closed_at.value_or(now_ms) - e.ready_at) / 1000);
}

// The value at rank ceil(q * n) of sorted values (nearest rank), for 0 < q <= 1.
std::int64_t rank(const std::vector<std::int64_t>& sorted, int percent) {
  auto n = static_cast<std::int64_t>(sorted.size());
  auto r = (percent * n + 99) / 100;
  return sorted[static_cast<std::size_t>(std::clamp<std::int64_t>(r, 1, n) - 1)];
}

ResponseTimes times_of(const std::vector<const Entry*>& prs, std::int64_t now_ms) {
  ResponseTimes t;
  t.histogram.assign(histogram_bounds_s().size() + 1, 0);
  std::vector<std::int64_t> answered;
  for (const auto* e : prs) {
    if (e->first_response_at) {
      auto s = response_s(*e);
      answered.push_back(s);
      ++t.counted;
      if (s <= 2 * day_s) ++t.within_2_days;
      const auto& bounds = histogram_bounds_s();
      auto bucket = std::lower_bound(bounds.begin(), bounds.end(), s) - bounds.begin();
      ++t.histogram[static_cast<std::size_t>(bucket)];
    } else if (!e->draft && waited_s(*e, now_ms) > 2 * day_s) {
      ++t.counted;
    }
  }
  std::sort(answered.begin(), answered.end());
  t.responded = static_cast<std::int64_t>(answered.size());
  if (!answered.empty()) {
    t.median_s = rank(answered, 50);
    t.p90_s = rank(answered, 90);
  }
  if (t.counted > 0) t.within_2_days_share = static_cast<double>(t.within_2_days) / static_cast<double>(t.counted);
  return t;
}


}  // namespace

const std::vector<std::int64_t>& histogram_bounds_s() {
  static const std::vector<std::int64_t> bounds = {hour_s, 4 * hour_s, day_s, 2 * day_s, 7 * day_s, 30 * day_s};
  return bounds;
}

Numbers numbers_of(const std::vector<Entry>& rows, Window window, std::int64_t now_ms) {
  Numbers n;
  n.window = window;
  n.now_ms = now_ms;
  std::vector<const Entry*> newcomer_prs;
  std::vector<const Entry*> regular_prs;
  // Each person's pull requests per repository, oldest first (rows come in any order).
  std::map<std::pair<std::string, std::string>, std::vector<const Entry*>> people;
  for (const auto& e : rows) {
    people[{ascii_lower(e.repo), ascii_lower(e.author)}].push_back(&e);
    if (e.newcomer && e.turn == "first_response" && !e.draft && !e.closed_at) n.waiting.push_back(e);
    if (!opened_in(e, window)) continue;
    (e.newcomer ? newcomer_prs : regular_prs).push_back(&e);
    if (!e.newcomer) continue;
    if (e.merged_at) {
      ++n.acceptance.merged;
    } else if (e.closed_at) {
      ++n.acceptance.closed;
    }
  }
  n.newcomers = times_of(newcomer_prs, now_ms);
  n.regulars = times_of(regular_prs, now_ms);
  if (auto decided = n.acceptance.merged + n.acceptance.closed; decided > 0) {
    n.acceptance.ratio = static_cast<double>(n.acceptance.merged) / static_cast<double>(decided);
  }
  std::stable_sort(n.waiting.begin(), n.waiting.end(),
                   [](const Entry& a, const Entry& b) { return a.ready_at < b.ready_at; });

  for (auto& [who, prs] : people) {
    std::stable_sort(prs.begin(), prs.end(), [](const Entry* a, const Entry* b) { return a->opened_at < b->opened_at; });
    auto first = std::find_if(prs.begin(), prs.end(), [](const Entry* e) { return e->newcomer; });
    if (first == prs.end() || !opened_in(**first, window)) continue;
    ++n.stages.opened;
    std::vector<std::int64_t> merges;
    bool responded = false;
    for (auto it = first; it != prs.end(); ++it) {
      if ((*it)->first_response_at) responded = true;
      if ((*it)->merged_at) merges.push_back(*(*it)->merged_at);
    }
    std::sort(merges.begin(), merges.end());
    if (responded) ++n.stages.responded;
    if (!merges.empty()) ++n.stages.merged;
    if (merges.size() >= 2 && merges[1] - merges[0] <= 90 * day_ms) ++n.stages.returned;
  }
  return n;
}

std::optional<std::int64_t> usual_first_response_s(const std::vector<Entry>& rows, Window window, int min_points) {
  std::vector<std::int64_t> times;  // the unanswered as "never": past any answer
  constexpr auto never = std::numeric_limits<std::int64_t>::max();
  for (const auto& e : rows) {
    if (!e.newcomer || !opened_in(e, window) || (e.draft && !e.first_response_at)) continue;
    // Answered while it was still a draft: no measure of how long a ready one waits.
    if (e.first_response_at && *e.first_response_at < e.ready_at) continue;
    times.push_back(e.first_response_at ? response_s(e) : never);
  }
  if (times.empty() || static_cast<std::int64_t>(times.size()) < min_points) return std::nullopt;
  std::sort(times.begin(), times.end());
  // "Most": more than half were answered within it (the value at rank n/2 + 1).
  auto median = times[times.size() / 2];
  if (median == never) return std::nullopt;
  return median;
}

}  // namespace mentorbot::store::pipeline
