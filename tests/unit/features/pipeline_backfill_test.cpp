// The backfill's replay: a pull request's past, read from the REST API, becomes the row the
// webhooks would have made; who was new is read from the whole window.
#include <catch2/catch.hpp>

#include "features/pipeline/backfill.hpp"

using namespace mentorbot::features::pipeline;

namespace {

PastPullRequest past(std::int64_t number, const char* author, const char* association, std::int64_t created) {
  PastPullRequest pr;
  pr.repo = "octo/site";
  pr.number = number;
  pr.author = author;
  pr.association = association;
  pr.title = "change " + std::to_string(number);
  pr.created_at = created;
  return pr;
}

}  // namespace

TEST_CASE("backfill: a pull request's past replayed through the turns", "[pipeline][backfill]") {
  auto pr = past(7, "nina", "FIRST_TIME_CONTRIBUTOR", 1'000);
  // Out of order, as three lists give them: a bot, the author, then a maintainer's request.
  pr.steps = {{Happening::changes_requested, Actor::maintainer, 5'000},
              {Happening::commented, Actor::bot, 2'000},
              {Happening::commented, Actor::author, 3'000},
              {Happening::approved, Actor::maintainer, 9'000},
              {Happening::commented, Actor::author, 7'000}};
  pr.merged_at = 9'000;  // merged the moment it was approved: the merge comes last
  pr.closed_at = 9'000;
  auto row = replayed(pr, true, 42);
  REQUIRE(row);
  CHECK(row->first_response_at == 5'000);  // the bot's word and the author's are no response
  CHECK(row->turn == "merged");
  CHECK(row->merged_at == 9'000);
  CHECK(row->newcomer);
  CHECK(row->installation_id == 42);
  CHECK(row->ready_at == 1'000);

  auto open = past(8, "omar", "NONE", 1'000);
  open.steps = {{Happening::commented, Actor::maintainer, 4'000}};
  row = replayed(open, false, 42);
  REQUIRE(row);
  CHECK(row->turn == "author");
  CHECK(row->turn_since == 4'000);
  CHECK_FALSE(row->closed_at);

  auto bot = past(9, "dependabot[bot]", "NONE", 1'000);
  CHECK_FALSE(replayed(bot, false, 42));

  // A row the webhooks made keeps their classification and the notes already sent.
  mentorbot::store::pipeline::Entry kept = *replayed(open, true, 42);
  kept.author_nudged_at = 6'000;
  auto merged = merged_with(*replayed(open, false, std::nullopt), kept);
  CHECK(merged.newcomer);
  CHECK(merged.author_nudged_at == 6'000);
  CHECK(merged.installation_id == 42);

  // Never backwards: merged by the time the row is saved, though the list said open.
  auto live = kept;
  live.turn = "merged";
  live.turn_since = 8'000;
  live.merged_at = 8'000;
  live.closed_at = 8'000;
  auto after = merged_with(*replayed(open, false, 42), live);
  CHECK(after.turn == "merged");
  CHECK(after.merged_at == 8'000);
  CHECK(after.closed_at == 8'000);
  CHECK(after.first_response_at == 4'000);
}

TEST_CASE("backfill: who was new, from the whole window", "[pipeline][backfill]") {
  std::vector<PastPullRequest> prs;
  auto merged = [](PastPullRequest p) {
    p.merged_at = p.created_at + 10;
    return p;
  };
  prs.push_back(merged(past(1, "ana", "CONTRIBUTOR", 100)));  // listed newest first or not: any order
  prs.push_back(merged(past(2, "ana", "CONTRIBUTOR", 200)));
  prs.push_back(merged(past(3, "ana", "CONTRIBUTOR", 300)));
  prs.push_back(past(4, "ana", "CONTRIBUTOR", 400));          // three merged before it: a regular now
  prs.push_back(past(5, "omar", "MEMBER", 100));              // a maintainer
  prs.push_back(past(6, "old-hand", "CONTRIBUTOR", 100));     // a contributor from before the window
  prs.push_back(past(7, "renovate[bot]", "NONE", 100));
  prs.push_back(past(8, "first", "FIRST_TIME_CONTRIBUTOR", 100));
  CHECK(newcomers(prs, 3) == std::vector<bool>{true, true, true, false, false, false, false, true});
  CHECK(newcomers(prs, 1) == std::vector<bool>{true, false, false, false, false, false, false, true});
}
