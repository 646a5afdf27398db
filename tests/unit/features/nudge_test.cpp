// The nudge: who counts as a maintainer answering, when a waiting newcomer's pull request gets
// its one reminder (or the needs-review label), and the sweep that plans it exactly once.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/nudge_sweeper.hpp"
#include "features/nudge/nudge.hpp"
#include "render/templates.hpp"
#include "store/outbox.hpp"
#include "store/store.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;
namespace nudge = mentorbot::features::nudge;
using store::pull_requests::Tracked;

namespace {

constexpr std::int64_t day = 24LL * 60 * 60 * 1000;

const render::Templates& templates() { return testing::source_templates(); }

github::Event with(const std::string& name, const std::string& fixture, const std::string& object,
                   const std::string& association, const std::string& login = "maintainer") {
  auto v = json::parse(testing::fixture(fixture));
  auto& o = v.as_object()[object].as_object();
  o["author_association"] = association;
  o["user"].as_object()["login"] = login;
  return github::parse_event("d", name, json::serialize(v));
}

Tracked waiting(std::int64_t since, const std::string& status = "first_time_contributor") {
  Tracked t;
  t.repo = "octo-org/shop";
  t.number = 5;
  t.installation_id = 3;
  t.author = "nina-dev";
  t.status = status;
  t.waiting_since = since;
  return t;
}

using testing::FixedConfig;

}  // namespace

TEST_CASE("nudge: a review or comment by an owner, member or collaborator is a maintainer's answer", "[nudge]") {
  for (const char* association : {"OWNER", "MEMBER", "COLLABORATOR"}) {
    INFO(association);
    auto r = nudge::maintainer_response(with("pull_request_review", "pull_request_review/submitted.json", "review", association));
    REQUIRE(r);
    CHECK(r->repo == "Codertocat/Hello-World");
    CHECK(r->number == 2);
    CHECK(nudge::maintainer_response(
        with("pull_request_review_comment", "pull_request_review_comment/created.json", "comment", association)));
  }
  for (const char* association : {"CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"}) {
    INFO(association);
    CHECK_FALSE(nudge::maintainer_response(
        with("pull_request_review", "pull_request_review/submitted.json", "review", association)));
  }
  // The author answering their own pull request is not a maintainer's answer, even an owner's.
  CHECK_FALSE(nudge::maintainer_response(
      with("pull_request_review", "pull_request_review/submitted.json", "review", "OWNER", "Codertocat")));
  // A comment on an issue (not a pull request) is not about a pull request at all.
  CHECK_FALSE(nudge::maintainer_response(with("issue_comment", "issue_comment/created.json", "comment", "OWNER")));
  // The same comment on a pull request is.
  auto v = json::parse(testing::fixture("issue_comment/created.json"));
  v.as_object()["issue"].as_object()["pull_request"] = json::object{{"url", "https://api.github.com/x"}};
  v.as_object()["comment"].as_object()["user"].as_object()["login"] = "maintainer";
  auto on_pr = nudge::maintainer_response(github::parse_event("d", "issue_comment", json::serialize(v)));
  REQUIRE(on_pr);
  CHECK(on_pr->number == json_int(v, {"issue", "number"}));
}

TEST_CASE("nudge: after nudge_after_days, one reminder to the reviewers, or the needs-review label", "[nudge]") {
  RepoConfig config;  // 7 days, no reviewers
  std::int64_t now = 100 * day;
  CHECK(nudge::decide(waiting(now - 6 * day), config, now, &templates()).empty());
  auto labelled = nudge::decide(waiting(now - 8 * day), config, now, &templates());
  REQUIRE(labelled.size() == 2);
  CHECK(labelled[0].kind == "label_ensure");
  CHECK(labelled[1].key == "nudge:octo-org/shop#5");
  CHECK(json::parse(labelled[1].payload) == json::parse(R"({"labels":["needs-review"]})"));

  config.reviewers = {"@octo-org/mentors", "alice", "not a login!"};
  config.nudge_after_days = 3;
  auto reminded = nudge::decide(waiting(now - 4 * day), config, now, &templates());
  REQUIRE(reminded.size() == 1);
  CHECK(reminded[0].kind == "comment");
  CHECK(reminded[0].key == "nudge:octo-org/shop#5");
  auto body = json_string(json::parse(reminded[0].payload), {"body"}).value_or("");
  CHECK_THAT(body, Catch::StartsWith("@octo-org/mentors, @alice, this pull request from a new contributor, @nina-dev, "
                                     "has been waiting 4 days"));

  auto answered = waiting(now - 30 * day);
  answered.responded_at = now - 29 * day;
  CHECK(nudge::decide(answered, config, now, &templates()).empty());
  auto done = waiting(now - 30 * day);
  done.nudged_at = now - 20 * day;
  CHECK(nudge::decide(done, config, now, &templates()).empty());
  CHECK(nudge::decide(waiting(now - 30 * day, "regular"), config, now, &templates()).empty());
}

TEST_CASE("nudge: the sweep plans each reminder once, and never for an answered or closed pull request", "[nudge]") {
  testing::TempDir dir;
  auto store = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  std::int64_t now = 100 * day;
  store->writes().run([&](store::Db& db) {
    auto a = waiting(0);
    store::pull_requests::opened(db, a, now - 10 * day);
    auto b = waiting(0);
    b.number = 6;
    store::pull_requests::opened(db, b, now - 10 * day);
    store::pull_requests::responded(db, "octo-org/shop", 6, now - 9 * day);
    auto c = waiting(0);
    c.number = 7;
    store::pull_requests::opened(db, c, now - 10 * day);
    store::pull_requests::closed(db, "octo-org/shop", 7, now - 1 * day);
    auto d = waiting(0);
    d.number = 8;
    store::pull_requests::opened(db, d, now - 2 * day);
  });
  FixedConfig configs;
  boost::asio::io_context io;
  int notified = 0;
  app::NudgeSweeper sweeper(io.get_executor(), *store, &configs, &templates(), {}, [&] { ++notified; });
  CHECK(sweeper.sweep(now) == 1);
  CHECK(notified == 1);
  CHECK(sweeper.sweep(now + day) == 0);  // never a second one
  auto planned = store->read([](store::Db& db) { return store::outbox::for_pull_request(db, "octo-org/shop", 5); });
  REQUIRE(planned.size() == 1);  // the label_ensure beside it is about the repository (number 0)
  CHECK(planned[0].key == "nudge:octo-org/shop#5");
  CHECK(planned[0].state == "pending");
  for (int n : {6, 7, 8}) {
    CHECK(store->read([n](store::Db& db) { return store::outbox::for_pull_request(db, "octo-org/shop", n); }).empty());
  }
  // Reopening keeps the nudge: still never a second one.
  store->writes().run([&](store::Db& db) { store::pull_requests::opened(db, waiting(0), now + 20 * day); });
  CHECK(sweeper.sweep(now + 40 * day) == 1);  // #8's turn has come; #5's never comes again
  CHECK(store->read([](store::Db& db) { return store::outbox::for_pull_request(db, "octo-org/shop", 5); }).size() == 1);
  CHECK(store->read([](store::Db& db) { return store::outbox::for_pull_request(db, "octo-org/shop", 8); }).size() == 1);
}
