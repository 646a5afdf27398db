// The coin ledger and the sprints in the store: each key once, in ledger order, sprints by window.
#include <catch2/catch.hpp>

#include "store/coins.hpp"
#include "support/awards.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"

using namespace mentorbot;
using store::coins::Award;
using store::coins::Sprint;

using testing::award;

TEST_CASE("ledger: a sprint counts its window, its repositories or org, and its participants", "[coins][sprints]") {
  Sprint s;
  s.starts_at = 100;
  s.ends_at = 200;
  s.repos = {"octo/site"};
  CHECK(s.counts(award("a", "merge", 100)));
  CHECK(s.counts(award("a", "merge", 199)));
  CHECK_FALSE(s.counts(award("a", "merge", 200)));
  CHECK_FALSE(s.counts(award("a", "merge", 99)));
  CHECK(s.counts(award("a", "merge", 150, false, "Octo/Site")));
  CHECK_FALSE(s.counts(award("a", "merge", 150, false, "octo/other")));
  s.org = "octo";
  CHECK(s.counts(award("a", "merge", 150, false, "octo/other")));
  CHECK_FALSE(s.counts(award("a", "merge", 150, false, "octopus/site")));
  s.participants = {"Ana"};
  CHECK(s.counts(award("ana", "merge", 150)));
  CHECK_FALSE(s.counts(award("bo", "merge", 150)));
}

TEST_CASE("ledger: the ledger awards each key once, in order, and finds the running sprint", "[coins][store]") {
  testing::TestDatabase database;
  auto s = store::Store::open(database.url());
  auto first = award("ana", "merge", 10, true);
  bool added = false, again = true;
  s->writes().run([&](store::Db& db) {
    added = store::coins::award(db, first);
    again = store::coins::award(db, first);
    store::coins::award(db, award("ana", "mentor", 20));
    store::coins::award(db, award("bo", "merge", 30, false, "octo/other"));
  });
  CHECK(added);
  CHECK_FALSE(again);
  s->read([&](store::Db& db) {
    CHECK(store::coins::count(db, "ana", "octo/site") == 2);
    CHECK(store::coins::count(db, "ana", "octo/site", "merge") == 1);
    CHECK(store::coins::total(db, "ANA") == 2);
    CHECK(store::coins::exists(db, first.key));
    auto after = store::coins::since(db, 0, 10);
    REQUIRE(after.size() == 3);
    CHECK(after[0].login == "ana");
    CHECK(after[0].first_timer);
    CHECK(store::coins::since(db, after[1].id, 10).size() == 1);
    CHECK(store::coins::last_id(db) == after[2].id);
  });
  Sprint past, now;
  past.slug = "past";
  past.name = "Past";
  past.starts_at = 0;
  past.ends_at = 25;
  past.repos = {"octo/site"};
  now = past;
  now.slug = "now";
  now.starts_at = 25;
  now.ends_at = 100;
  now.org = "octo";
  now.repos = {};
  bool created = false, duplicate = true;
  s->writes().run([&](store::Db& db) {
    created = store::coins::create_sprint(db, past);
    duplicate = store::coins::create_sprint(db, past);
    store::coins::create_sprint(db, now);
  });
  CHECK(created);
  CHECK_FALSE(duplicate);
  s->read([&](store::Db& db) {
    CHECK(store::coins::current_sprint(db, 50)->slug == "now");
    CHECK_FALSE(store::coins::current_sprint(db, 100));
    CHECK(store::coins::find_sprint(db, "now")->org == "octo");
    CHECK(store::coins::awards(db, store::coins::find_sprint(db, "past")).size() == 2);
    CHECK(store::coins::awards(db, store::coins::find_sprint(db, "now")).size() == 1);
    CHECK(store::coins::awards(db, std::nullopt).size() == 3);
    CHECK(store::coins::sprints(db).front().slug == "now");
  });
}

