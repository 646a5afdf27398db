// Whose turn it is on a newcomer's pull request: event sequences and the state they leave.
#include <catch2/catch.hpp>

#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/pipeline/turn.hpp"
#include "github/event.hpp"
#include "support/files.hpp"

using namespace mentorbot::features::pipeline;

namespace {

using H = Happening;
using A = Actor;

struct Row {
  const char* story;
  std::vector<std::pair<H, A>> steps;  // one a minute after the opening
  Turn turn;
  std::optional<int> first_response_minute;
  int turn_since_minute;
};

constexpr std::int64_t minute = 60'000;

}  // namespace

TEST_CASE("pipeline: whose turn it is after each sequence of events", "[pipeline]") {
  const std::vector<Row> table{
      {"opened, nothing since", {}, Turn::first_response, std::nullopt, 0},
      {"only a bot answered", {{H::commented, A::bot}, {H::approved, A::bot}}, Turn::first_response, std::nullopt, 0},
      {"only the author spoke", {{H::commented, A::author}, {H::pushed, A::author}}, Turn::first_response, std::nullopt, 0},
      {"a maintainer asked something", {{H::commented, A::maintainer}}, Turn::author, 1, 1},
      {"a maintainer asked, the author answered", {{H::commented, A::maintainer}, {H::commented, A::author}},
       Turn::review, 1, 2},
      {"changes requested, the author pushed", {{H::changes_requested, A::maintainer}, {H::pushed, A::author}},
       Turn::review, 1, 2},
      {"changes requested, a bot commented", {{H::changes_requested, A::maintainer}, {H::commented, A::bot}},
       Turn::author, 1, 1},
      {"another person's comment is a response; the reviewers' turn still", {{H::commented, A::other_human}},
       Turn::review, 1, 1},
      {"another person's approval is a response, not an approval", {{H::approved, A::other_human}}, Turn::review, 1, 1},
      {"approved by a maintainer", {{H::commented, A::maintainer}, {H::commented, A::author}, {H::approved, A::maintainer}},
       Turn::approved, 1, 3},
      {"approved, then the author pushed again", {{H::approved, A::maintainer}, {H::pushed, A::author}}, Turn::review, 1, 2},
      {"approved, the author thanked them", {{H::approved, A::maintainer}, {H::commented, A::author}}, Turn::approved, 1, 1},
      {"merged", {{H::approved, A::maintainer}, {H::merged, A::maintainer}}, Turn::merged, 1, 2},
      {"merged by a bot (a merge queue): merged, and still nobody responded", {{H::merged, A::bot}}, Turn::merged,
       std::nullopt, 1},
      {"closed by a bot (a stale sweep)", {{H::closed, A::bot}}, Turn::closed, std::nullopt, 1},
      {"closed without a word", {{H::closed, A::author}}, Turn::closed, std::nullopt, 1},
      {"closed, then a comment: nothing moves", {{H::closed, A::maintainer}, {H::commented, A::maintainer}},
       Turn::closed, std::nullopt, 1},
      {"closed and reopened before any answer", {{H::closed, A::author}, {H::reopened, A::author}},
       Turn::first_response, std::nullopt, 2},
      {"answered, closed and reopened", {{H::commented, A::maintainer}, {H::closed, A::author}, {H::reopened, A::author}},
       Turn::review, 1, 3},
      {"merged stays merged", {{H::merged, A::maintainer}, {H::reopened, A::author}, {H::closed, A::author}},
       Turn::merged, std::nullopt, 1},
      {"a maintainer pushed to the branch", {{H::pushed, A::maintainer}}, Turn::review, 1, 1},
  };
  for (const auto& row : table) {
    INFO(row.story);
    State s = opened(0);
    std::int64_t at = 0;
    for (const auto& [what, who] : row.steps) s = apply(s, {what, who, at += minute});
    CHECK(to_string(s.turn) == to_string(row.turn));
    CHECK(s.first_response_at == (row.first_response_minute ? std::optional<std::int64_t>(*row.first_response_minute * minute)
                                                            : std::nullopt));
    CHECK(s.turn_since == row.turn_since_minute * minute);
    CHECK(s.opened_at == 0);
    CHECK(s.merged_at.has_value() == (row.turn == Turn::merged));
    CHECK(s.closed_at.has_value() == (row.turn == Turn::merged || row.turn == Turn::closed));
  }
}

TEST_CASE("pipeline: who acted, from GitHub's fields", "[pipeline]") {
  CHECK(actor_of(true, "mentorbot", "NONE", "nina") == Actor::bot);
  CHECK(actor_of(false, "dependabot[bot]", "CONTRIBUTOR", "nina") == Actor::bot);
  CHECK(actor_of(false, "Nina", "CONTRIBUTOR", "nina") == Actor::author);  // logins compare without case
  CHECK(actor_of(false, "nina", "OWNER", "nina") == Actor::author);        // an owner's own pull request
  CHECK(actor_of(false, "omar", "member", "nina") == Actor::maintainer);
  CHECK(actor_of(false, "omar", "COLLABORATOR", "nina") == Actor::maintainer);
  CHECK(actor_of(false, "omar", "CONTRIBUTOR", "nina") == Actor::other_human);
  CHECK(actor_of(false, "omar", "NONE", "nina") == Actor::other_human);
}

TEST_CASE("pipeline: turns by name, both ways", "[pipeline]") {
  for (auto t : {Turn::first_response, Turn::author, Turn::review, Turn::approved, Turn::merged, Turn::closed}) {
    CHECK(turn_named(to_string(t)) == t);
  }
  CHECK_FALSE(turn_named("waiting").has_value());
}

TEST_CASE("pipeline: a pull request's times come from its payload", "[pipeline]") {
  auto v = boost::json::parse(testing::fixture("pull_request/opened.json"));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["closed_at"] = "2019-05-16T09:00:00Z";
  auto e = std::get<mentorbot::github::PullRequestEvent>(
      mentorbot::github::parse_event("d", "pull_request", boost::json::serialize(v)).payload);
  CHECK(e.pull_request.created_at == 1'557'933'633'000);  // 2019-05-15T15:20:33Z
  CHECK(e.pull_request.updated_at == 1'557'933'633'000);
  CHECK(e.pull_request.closed_at == 1'557'997'200'000);
}
