// The nudge: who counts as a maintainer answering, when a waiting newcomer's pull request gets
// its one reminder (or the needs-review label), and the sweep that plans it exactly once.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/nudge_sweeper.hpp"
#include "features/nudge/nudge.hpp"
#include "features/nudge/sweep.hpp"
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
const features::Words& words() {
  static const features::Words w(&templates(), "warm", {});
  return w;
}

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

template <class E>
std::optional<nudge::Response> response(const github::Event& e) {
  return nudge::maintainer_response(std::get<E>(e.payload));
}
using Review = github::PullRequestReviewEvent;
using ReviewComment = github::PullRequestReviewCommentEvent;
using IssueComment = github::IssueCommentEvent;

}  // namespace

TEST_CASE("nudge: a review or comment by an owner, member or collaborator is a maintainer's answer", "[nudge]") {
  for (const char* association : {"OWNER", "MEMBER", "COLLABORATOR"}) {
    INFO(association);
    auto r = response<Review>(with("pull_request_review", "pull_request_review/submitted.json", "review", association));
    REQUIRE(r);
    CHECK(r->repo == "Codertocat/Hello-World");
    CHECK(r->number == 2);
    CHECK(response<ReviewComment>(
        with("pull_request_review_comment", "pull_request_review_comment/created.json", "comment", association)));
  }
  for (const char* association : {"CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"}) {
    INFO(association);
    CHECK_FALSE(response<Review>(with("pull_request_review", "pull_request_review/submitted.json", "review", association)));
  }
  // The author answering their own pull request is not a maintainer's answer, even an owner's.
  CHECK_FALSE(response<Review>(with("pull_request_review", "pull_request_review/submitted.json", "review", "OWNER", "Codertocat")));
  // A comment on an issue (not a pull request) is not about a pull request at all.
  CHECK_FALSE(response<IssueComment>(with("issue_comment", "issue_comment/created.json", "comment", "OWNER")));
  // The same comment on a pull request is.
  auto v = json::parse(testing::fixture("issue_comment/created.json"));
  v.as_object()["issue"].as_object()["pull_request"] = json::object{{"url", "https://api.github.com/x"}};
  v.as_object()["comment"].as_object()["user"].as_object()["login"] = "maintainer";
  auto on_pr = response<IssueComment>(github::parse_event("d", "issue_comment", json::serialize(v)));
  REQUIRE(on_pr);
  CHECK(on_pr->number == json_int(v, {"issue", "number"}));
}

TEST_CASE("nudge: after nudge_after_days, one reminder to the reviewers, or the needs-review label", "[nudge]") {
  features::RepoConfig config;  // 7 days, no reviewers
  std::int64_t now = 100 * day;
  CHECK(nudge::decide(waiting(now - 6 * day), config, now, words()).empty());
  auto labelled = nudge::decide(waiting(now - 8 * day), config, now, words());
  REQUIRE(labelled.size() == 2);
  CHECK(std::get<store::outbox::LabelUpsert>(labelled[0].change).name == "needs-review");
  CHECK(labelled[1].key == "nudge:octo-org/shop#5");
  CHECK(std::get<store::outbox::Labels>(labelled[1].change).names == std::vector<std::string>{"needs-review"});

  config.reviewers = {"@octo-org/mentors", "alice", "not a login!"};
  config.nudge.after_days = 3;
  auto reminded = nudge::decide(waiting(now - 4 * day), config, now, words());
  REQUIRE(reminded.size() == 1);
  CHECK(reminded[0].key == "nudge:octo-org/shop#5");
  auto body = std::get<store::outbox::Comment>(reminded[0].change).body;
  CHECK_THAT(body, Catch::StartsWith("@octo-org/mentors, @alice, this pull request from a new contributor, @nina-dev, "
                                     "has been waiting 4 days"));

  auto answered = waiting(now - 30 * day);
  answered.responded_at = now - 29 * day;
  CHECK(nudge::decide(answered, config, now, words()).empty());
  auto done = waiting(now - 30 * day);
  done.nudged_at = now - 20 * day;
  CHECK(nudge::decide(done, config, now, words()).empty());
  auto closed = waiting(now - 30 * day);
  closed.closed_at = now - 1 * day;
  CHECK(nudge::decide(closed, config, now, words()).empty());
  CHECK(nudge::decide(waiting(now - 30 * day, "regular"), config, now, words()).empty());
}

TEST_CASE("nudge: which pull requests start waiting for review", "[nudge]") {
  struct Row {
    std::string action;
    history::Status status;
    bool draft, bot, installed;
    bool tracked;
  };
  using history::Status;
  std::vector<Row> table = {
      {"opened", Status::first_time_contributor, false, false, true, true},
      {"reopened", Status::newcomer, false, false, true, true},
      {"ready_for_review", Status::first_timer, false, false, true, true},
      {"opened", Status::regular, false, false, true, false},
      {"opened", Status::unknown, false, false, true, false},
      {"opened", Status::first_timer, true, false, true, false},  // a draft waits for ready_for_review
      {"opened", Status::first_timer, false, true, true, false},  // a bot's
      {"opened", Status::first_timer, false, false, false, false},  // not an App's hook
      {"synchronize", Status::first_timer, false, false, true, false},
      {"closed", Status::first_timer, false, false, true, false},
  };
  for (const auto& r : table) {
    INFO(r.action << " " << history::to_string(r.status));
    github::PullRequestEvent e;
    e.action = r.action;
    e.repository.full_name = "octo-org/shop";
    e.pull_request.number = 5;
    e.pull_request.author.login = "nina-dev";
    e.pull_request.draft = r.draft;
    e.pull_request.author.bot = r.bot;
    if (r.installed) e.installation = 3;
    auto t = nudge::to_track(e, {r.status, ""});
    CHECK(t.has_value() == r.tracked);
    if (!t) continue;
    CHECK(t->repo == "octo-org/shop");
    CHECK(t->installation_id == 3);
    CHECK(t->status == history::to_string(r.status));
  }
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
  boost::asio::io_context io;
  int notified = 0;
  app::NudgeSweeper sweeper(io.get_executor(), *store, nullptr, &templates(), {}, [&] { ++notified; });
  CHECK(sweeper.sweep(now) == 1);
  CHECK(notified == 1);
  CHECK(sweeper.sweep(now + day) == 0);  // never a second one
  auto planned = store->read([](store::Db& db) { return store::outbox::writes_on(db, "octo-org/shop", 5); });
  REQUIRE(planned.size() == 1);  // the label_ensure beside it is about the repository (number 0)
  CHECK(planned[0].write.key == "nudge:octo-org/shop#5");
  CHECK(planned[0].state == store::outbox::State::pending);
  for (int n : {6, 7, 8}) {
    CHECK(store->read([n](store::Db& db) { return store::outbox::writes_on(db, "octo-org/shop", n); }).empty());
  }
  // Reopening keeps the nudge: still never a second one.
  store->writes().run([&](store::Db& db) { store::pull_requests::opened(db, waiting(0), now + 20 * day); });
  CHECK(sweeper.sweep(now + 40 * day) == 1);  // #8's turn has come; #5's never comes again
  CHECK(store->read([](store::Db& db) { return store::outbox::writes_on(db, "octo-org/shop", 5); }).size() == 1);
  CHECK(store->read([](store::Db& db) { return store::outbox::writes_on(db, "octo-org/shop", 8); }).size() == 1);
}

TEST_CASE("nudge: a reviewers list of any length is read safely", "[nudge]") {
  CHECK(nudge::mention_list({std::string(20'000, 'a')}).empty());  // no login is that long
  CHECK(nudge::mention_list({"@octo-org/" + std::string(20'000, 'm')}).empty());
  CHECK(nudge::mention_list({"@octo-org/mentors", "alice", "-bad", "a--b", "org/", "bob/team one"}) ==
        "@octo-org/mentors, @alice");
}
