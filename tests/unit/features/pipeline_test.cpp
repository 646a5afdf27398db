// pipeline: what each event is to a pull request's row (from real payloads), and how rows start.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/pipeline/pipeline.hpp"
#include "github/event.hpp"
#include "support/files.hpp"

using namespace mentorbot;
using namespace mentorbot::features::pipeline;
namespace json = boost::json;

namespace {

template <class E>
E event(const std::string& name, const std::string& fixture, const std::function<void(json::object&)>& change) {
  auto v = json::parse(testing::fixture(fixture));
  change(v.as_object());
  return std::get<E>(github::parse_event("d", name, json::serialize(v)).payload);
}

void set_user(json::object& user, const std::string& login, const std::string& type = "User") {
  user["login"] = login;
  user["type"] = type;
}

constexpr std::int64_t now = 1'900'000'000'000;

}  // namespace

TEST_CASE("pipeline: a review, a comment and a merge, as the payloads tell them", "[pipeline]") {
  // The fixture's pull request is Codertocat's; here a maintainer asks for changes.
  auto review = event<github::PullRequestReviewEvent>("pull_request_review", "pull_request_review/submitted.json",
                                                      [](json::object& o) {
                                                        auto& r = o["review"].as_object();
                                                        set_user(r["user"].as_object(), "omar");
                                                        r["author_association"] = "MEMBER";
                                                        r["state"] = "changes_requested";
                                                      });
  auto s = step_of(review, now);
  REQUIRE(s);
  CHECK(s->what == Happening::changes_requested);
  CHECK(s->who == Actor::maintainer);
  CHECK(s->at_ms == 1'557'933'638'000);  // submitted_at 2019-05-15T15:20:38Z, not now

  // The author's own comment on their pull request's conversation.
  auto own = event<github::IssueCommentEvent>("issue_comment", "issue_comment/created.json", [](json::object& o) {
    o["issue"].as_object()["pull_request"] = json::object{{"url", "https://api.github.com/repos/x/y/pulls/1"}};
  });
  s = step_of(own, now);
  REQUIRE(s);
  CHECK(s->who == Actor::author);
  CHECK(s->what == Happening::commented);
  // On an issue, not a pull request: nothing.
  auto on_issue = event<github::IssueCommentEvent>("issue_comment", "issue_comment/created.json", [](json::object&) {});
  CHECK_FALSE(step_of(on_issue, now));
  // A bot's comment is a bot's.
  auto bot = event<github::IssueCommentEvent>("issue_comment", "issue_comment/created.json", [](json::object& o) {
    o["issue"].as_object()["pull_request"] = json::object{{"url", "https://api.github.com/repos/x/y/pulls/1"}};
    set_user(o["comment"].as_object()["user"].as_object(), "mentorbot[bot]", "Bot");
  });
  CHECK(step_of(bot, now)->who == Actor::bot);

  auto merged = event<github::PullRequestEvent>("pull_request", "pull_request/closed.merged.json", [](json::object& o) {
    o["pull_request"].as_object()["merged_at"] = "2026-11-22T10:00:00Z";
  });
  s = step_of(merged, now);
  REQUIRE(s);
  CHECK(s->what == Happening::merged);
  CHECK(s->at_ms == 1'795'341'600'000);
  auto edited = event<github::PullRequestEvent>("pull_request", "pull_request/edited.json", [](json::object&) {});
  CHECK_FALSE(step_of(edited, now));
}

TEST_CASE("pipeline: a row starts when a person opens a pull request, and only then", "[pipeline]") {
  store::pipeline::Entry opening;
  opening.repo = "octo/site";
  opening.number = 7;
  opening.author = "nina";
  opening.newcomer = true;
  // A comment on a pull request mentorbot never saw opened: no row.
  CHECK_FALSE(next(std::nullopt, std::nullopt, {Happening::commented, Actor::maintainer, 5}));
  CHECK_FALSE(next(std::nullopt, opening, {Happening::commented, Actor::maintainer, 5}));
  auto row = next(std::nullopt, opening, {Happening::opened, Actor::author, 1});
  REQUIRE(row);
  CHECK(row->turn == "first_response");
  CHECK(row->opened_at == 1);
  CHECK(row->newcomer);
  // Answered only by a bot: still waiting for a first human response.
  row = next(row, std::nullopt, {Happening::commented, Actor::bot, 2});
  CHECK(row->turn == "first_response");
  CHECK_FALSE(row->first_response_at);
  row = next(row, std::nullopt, {Happening::commented, Actor::maintainer, 3});
  CHECK(row->turn == "author");
  CHECK(row->first_response_at == 3);
  // Opened again (a redelivery under another id): the row keeps what it knows.
  row = next(row, opening, {Happening::opened, Actor::author, 1});
  CHECK(row->turn == "author");
  CHECK(row->first_response_at == 3);
}

TEST_CASE("pipeline: a draft waits for nobody until it is marked ready, and its wait starts then", "[pipeline]") {
  mentorbot::store::pipeline::Entry row;
  row.turn = "first_response";
  row.opened_at = row.turn_since = row.ready_at = 1'000;
  row.draft = true;
  auto ready = mentorbot::features::pipeline::marked(row, false, 9'000);
  CHECK_FALSE(ready.draft);
  CHECK(ready.ready_at == 9'000);
  CHECK(ready.turn_since == 9'000);
  CHECK(ready.opened_at == 1'000);
  // Back to a draft and ready again once someone has answered: the turn's clock is its own.
  auto answered = ready;
  answered.turn = "author";
  answered.turn_since = 10'000;
  answered.draft = true;
  auto again = mentorbot::features::pipeline::marked(answered, false, 12'000);
  CHECK(again.ready_at == 12'000);
  CHECK(again.turn_since == 10'000);
  // Marked ready when it was not a draft: nothing moves.
  CHECK(mentorbot::features::pipeline::marked(again, false, 20'000).ready_at == 12'000);
}
