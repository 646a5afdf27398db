// The newcomer pipeline's numbers on hand-made histories: who counts at which stage, time to
// first response with bots and authors left out (the rows never hold them: features/pipeline
// sees to that, tested there), windows, drafts and a pull request reopened.
#include <catch2/catch.hpp>

#include "store/pipeline_numbers.hpp"

using namespace mentorbot;
using store::pipeline::Entry;

namespace {

constexpr std::int64_t hour = 3600LL * 1000;
constexpr std::int64_t day = 24 * hour;
constexpr std::int64_t t0 = 1'700'000'000'000;  // the window starts here

Entry pr(const char* repo, std::int64_t number, const char* author, bool newcomer, std::int64_t opened) {
  Entry e;
  e.repo = repo;
  e.number = number;
  e.author = author;
  e.title = "pull request " + std::to_string(number);
  e.newcomer = newcomer;
  e.turn = "first_response";
  e.opened_at = opened;
  e.turn_since = opened;
  e.ready_at = opened;
  return e;
}
Entry answered(Entry e, std::int64_t after) {
  e.first_response_at = e.ready_at + after;
  e.turn = "review";
  return e;
}
Entry merged(Entry e, std::int64_t at) {
  e.merged_at = at;
  e.closed_at = at;
  e.turn = "merged";
  return e;
}
Entry closed(Entry e, std::int64_t at) {
  e.closed_at = at;
  e.turn = "closed";
  return e;
}

const store::pipeline::Window window{t0, t0 + 30 * day};
const std::int64_t now = t0 + 40 * day;

}  // namespace

TEST_CASE("pipeline numbers: a newcomer whose first pull request came before the window is not counted again",
          "[pipeline][numbers]") {
  auto before = closed(pr("octo/site", 1, "ana", true, t0 - 5 * day), t0 - 4 * day);
  auto again = pr("octo/site", 2, "Ana", true, t0 + day);
  auto elsewhere = pr("octo/docs", 3, "ana", true, t0 + day);
  auto n = store::pipeline::numbers_of({before, again, elsewhere}, window, now);
  CHECK(n.stages.opened == 1);  // octo/docs only: in octo/site she arrived before the window
  CHECK(n.acceptance.closed == 0);  // the window's pull requests only
}

TEST_CASE("pipeline numbers: newcomers by stage, one per person and repository", "[pipeline][numbers]") {
  std::vector<Entry> rows = {
      // ana: answered, merged, and a second merged 20 days later: every stage.
      merged(answered(pr("octo/site", 1, "ana", true, t0 + day), 2 * hour), t0 + 3 * day),
      merged(pr("octo/site", 5, "Ana", false, t0 + 10 * day), t0 + 23 * day),
      // ben: two newcomer pull requests, one answered: one newcomer, responded, never merged.
      pr("octo/site", 2, "ben", true, t0 + 2 * day),
      closed(answered(pr("octo/site", 3, "ben", true, t0 + 3 * day), day), t0 + 9 * day),
      // cai: merged without a word from anyone (a maintainer merged it straight away).
      merged(pr("octo/site", 4, "cai", true, t0 + 4 * day), t0 + 4 * day + hour),
      // dee: the same person new in a second repository counts there too.
      answered(pr("octo/docs", 1, "ana", true, t0 + 5 * day), 3 * day),
      // eve: opened before the window: not a newcomer of this window, whatever happens after.
      merged(answered(pr("octo/site", 9, "eve", true, t0 - day), hour), t0 + 2 * day),
      // fay: a second merge 100 days after the first is not "came back".
      merged(pr("octo/site", 6, "fay", true, t0 + 6 * day), t0 + 7 * day),
      merged(pr("octo/site", 60, "fay", false, t0 + 100 * day), t0 + 107 * day),
      // a regular's pull request is no newcomer at any stage.
      merged(answered(pr("octo/site", 7, "reg", false, t0 + 7 * day), 10 * hour), t0 + 8 * day),
  };
  auto n = store::pipeline::numbers_of(rows, window, now);
  CHECK(n.stages.opened == 5);     // ana (site), ben, cai, ana (docs), fay
  CHECK(n.stages.responded == 3);  // ana (site), ben, ana (docs)
  CHECK(n.stages.merged == 3);     // ana (site), cai, fay
  CHECK(n.stages.returned == 1);   // ana (site)
  // Acceptance: of the newcomers' pull requests opened in the window and decided.
  CHECK(n.acceptance.merged == 3);
  CHECK(n.acceptance.closed == 1);
  CHECK(n.acceptance.ratio == Approx(0.75));
}

TEST_CASE("pipeline numbers: time to first response, median, p90 and the share within two days",
          "[pipeline][numbers]") {
  std::vector<Entry> rows;
  // Ten newcomers' pull requests answered after 1..10 hours, one after 3 days.
  for (int i = 1; i <= 10; ++i) rows.push_back(answered(pr("octo/site", i, "new", true, t0 + i * hour), i * hour));
  rows.push_back(answered(pr("octo/site", 11, "new", true, t0 + day), 3 * day));
  // Unanswered: one still waiting for 5 days (counts against "within 2 days"), one opened a day
  // before now (too soon to count), one closed unanswered after an hour (never counted).
  rows.push_back(pr("octo/site", 12, "new", true, now - 5 * day));
  rows.push_back(pr("octo/site", 13, "new", true, now - day));
  rows.push_back(closed(pr("octo/site", 14, "new", true, t0 + 2 * day), t0 + 2 * day + hour));
  // A regular answered in 30 minutes.
  rows.push_back(answered(pr("octo/site", 20, "reg", false, t0), hour / 2));
  // A draft answered before it was ready: zero, not negative.
  auto draft = pr("octo/site", 15, "new", true, t0 + 3 * day);
  draft.ready_at = t0 + 4 * day;
  draft.first_response_at = t0 + 3 * day + hour;
  draft.turn = "review";
  rows.push_back(draft);
  store::pipeline::Window all{t0, now + 1};
  auto n = store::pipeline::numbers_of(rows, all, now);
  CHECK(n.newcomers.responded == 12);
  // 0, 1 h … 10 h, 3 d: the nearest-rank median is the 6th (5 h), p90 the 11th (10 h).
  CHECK(n.newcomers.median_s == 5 * 3600);
  CHECK(n.newcomers.p90_s == 10 * 3600);
  CHECK(n.newcomers.counted == 13);  // 12 answered + the one waiting for 5 days
  CHECK(n.newcomers.within_2_days == 11);
  REQUIRE(n.newcomers.within_2_days_share);
  CHECK(*n.newcomers.within_2_days_share == Approx(11.0 / 13.0));
  CHECK(n.regulars.responded == 1);
  CHECK(n.regulars.median_s == 1800);
  // The histogram: ≤1h: 0 and 1 h; 1–4 h: 2, 3, 4 h; 4 h–1 d: 5…10 h; 2–7 d: 3 days.
  CHECK(n.newcomers.histogram == std::vector<std::int64_t>{2, 3, 6, 0, 1, 0, 0});
  // Waiting now: the two open, unanswered newcomers' pull requests, oldest first.
  REQUIRE(n.waiting.size() == 2);
  CHECK(n.waiting[0].number == 12);
  CHECK(n.waiting[1].number == 13);
}

TEST_CASE("pipeline numbers: the window, drafts and a reopened pull request", "[pipeline][numbers]") {
  auto before = answered(pr("octo/site", 1, "old", true, t0 - 10 * day), hour);
  auto after = answered(pr("octo/site", 2, "late", true, t0 + 31 * day), hour);
  auto inside = answered(pr("octo/site", 3, "mid", true, t0 + 5 * day), 4 * day);
  // Reopened after a close: open again, still unanswered, so it waits (from its row's ready_at).
  auto reopened = pr("octo/site", 4, "rey", true, t0 + 6 * day);
  auto draft = pr("octo/site", 5, "dra", true, t0 + 7 * day);
  draft.draft = true;
  auto n = store::pipeline::numbers_of({before, after, inside, reopened, draft}, window, now);
  CHECK(n.stages.opened == 3);  // mid, rey, dra
  CHECK(n.newcomers.responded == 1);
  CHECK(n.newcomers.median_s == 4 * 24 * 3600);
  // A draft is not waiting for anyone, and its wait does not count against anyone.
  REQUIRE(n.waiting.size() == 1);
  CHECK(n.waiting[0].number == 4);
  CHECK(n.newcomers.counted == 2);  // mid (answered late) and rey (waiting for over two days)
  CHECK(n.newcomers.within_2_days == 0);
  CHECK_FALSE(n.acceptance.ratio);  // nothing decided
}

TEST_CASE("what a welcome may promise: only what most newcomers got", "[pipeline][numbers]") {
  std::vector<Entry> rows;
  for (int i = 0; i < 9; ++i) rows.push_back(answered(pr("octo/site", i, "new", true, t0 + i * day), 30 * hour));
  store::pipeline::Window last_90{t0, t0 + 90 * day};
  CHECK_FALSE(store::pipeline::usual_first_response_s(rows, last_90, 10));  // 9 data points
  rows.push_back(answered(pr("octo/site", 9, "new", true, t0 + 9 * day), 50 * hour));
  CHECK(store::pipeline::usual_first_response_s(rows, last_90, 10) == 30 * 3600);
  // Regulars are not newcomers.
  for (int i = 20; i < 40; ++i) rows.push_back(answered(pr("octo/site", i, "reg", false, t0 + day), hour));
  CHECK(store::pipeline::usual_first_response_s(rows, last_90, 10) == 30 * 3600);
  // Exactly half answered is not "most".
  std::vector<Entry> half;
  for (int i = 0; i < 5; ++i) half.push_back(answered(pr("octo/site", 60 + i, "new", true, t0 + day), hour));
  for (int i = 0; i < 5; ++i) half.push_back(pr("octo/site", 70 + i, "new", true, t0 + day));
  CHECK_FALSE(store::pipeline::usual_first_response_s(half, last_90, 10));
  half.push_back(answered(pr("octo/site", 80, "new", true, t0 + day), hour));
  CHECK(store::pipeline::usual_first_response_s(half, last_90, 10) == 3600);
  // Answered while still a draft: left out, not a zero.
  auto early = answered(pr("octo/site", 81, "new", true, t0 + day), hour);
  early.ready_at = t0 + 2 * day;
  half.push_back(early);
  CHECK(store::pipeline::usual_first_response_s(half, last_90, 12) == std::nullopt);  // 11 count
  // Eleven never answered: more than half never got a reply, so nothing is promised.
  for (int i = 40; i < 51; ++i) rows.push_back(closed(pr("octo/site", i, "new", true, t0 + 2 * day), t0 + 20 * day));
  CHECK_FALSE(store::pipeline::usual_first_response_s(rows, last_90, 10));
}
