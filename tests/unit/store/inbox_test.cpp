#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "store/inbox.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace mentorbot;
using namespace mentorbot::store;

namespace {

struct Fixture {
  testing::TestDatabase database;
  std::unique_ptr<Store> store = Store::open(database.url());

  inbox::Inserted add(const std::string& guid, const std::string& body = R"({"action":"opened"})",
                      std::optional<std::string> repo = std::string("o/r"), std::optional<std::int64_t> number = 1) {
    inbox::NewDelivery d;
    d.guid = guid;
    d.event = "pull_request";
    d.action = "opened";
    d.repo = repo;
    d.number = number;
    d.received_at = 1000;
    inbox::Inserted out{};
    store->writes().run_with_payload(std::make_shared<const std::string>(body), inbox::describe(d),
                                     [&](Db& db, const PayloadPlace& ref) { out = inbox::insert(db, d, ref); });
    return out;
  }
  std::vector<inbox::Claimed> claim(int limit, std::int64_t now = 2000, const inbox::Claimant& who = {"me", 30'000}) {
    std::vector<inbox::Claimed> out;
    store->writes().run([&](Db& db) { out = inbox::claim_deliveries(db, limit, now, who); });
    return out;
  }
  std::optional<inbox::Row> row(const std::string& guid) {
    return store->read([&](Db& db) { return inbox::find_delivery(db, guid); });
  }
  std::map<std::string, std::int64_t> counts() {
    return store->read([](Db& db) { return inbox::counts(db, true); });
  }
};

}  // namespace

TEST_CASE("a delivery id is stored once and a redelivery is recognised", "[inbox][store]") {
  Fixture f;
  CHECK(f.add("d-1") == inbox::Inserted::stored);
  CHECK(f.add("d-1", R"({"other":"payload"})") == inbox::Inserted::duplicate);
  CHECK(f.add("d-2") == inbox::Inserted::stored);
  CHECK(f.counts()["pending"] == 2);
  auto seq = f.row("d-1")->seq;
  CHECK(f.store->read([&](Db& db) { return inbox::payload_of(db, f.store->payload_log(), seq); }) ==
        std::string(R"({"action":"opened"})"));
}

TEST_CASE("claims take the oldest due deliveries and count the attempt", "[inbox][store]") {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.add("d-" + std::to_string(i));
  auto first = f.claim(3);
  REQUIRE(first.size() == 3);
  CHECK(first[0].guid == "d-0");
  CHECK(first[2].guid == "d-2");
  CHECK(first[0].attempts == 1);
  CHECK(f.row("d-0")->state == "running");
  auto rest = f.claim(10);
  CHECK(rest.size() == 2);
  CHECK(f.claim(10).empty());
}

TEST_CASE("done, retry and failed are recorded, and a retry waits for its time", "[inbox][store]") {
  Fixture f;
  f.add("ok");
  f.add("again");
  f.add("broken", R"({"keep":"me"})");
  auto claimed = f.claim(3);
  f.store->writes().run([&](Db& db) {
    inbox::finish_delivery(db, claimed[0].seq, inbox::Outcome::handled, 3000);
    inbox::retry_delivery(db, claimed[1].seq, "GitHub said 502", 10'000);
    inbox::park_delivery(db, f.store->payload_log(), claimed[2].seq, "payload has no pull_request", 3000);
  });
  CHECK(f.row("ok")->state == "done");
  CHECK(f.row("ok")->outcome == std::string("handled"));
  CHECK(f.row("again")->state == "pending");
  CHECK(f.row("again")->last_error == std::string("GitHub said 502"));
  CHECK(f.row("broken")->state == "failed");
  CHECK(f.claim(10, 5'000).empty());  // not yet
  CHECK(f.store->read([](Db& db) { return inbox::next_delivery_due(db, 5'000, "me"); }) == 10'000);
  auto retried = f.claim(10, 10'000);
  REQUIRE(retried.size() == 1);
  CHECK(retried[0].attempts == 2);
  auto failed = f.store->read([](Db& db) { return inbox::list(db, inbox::Filter::failed, 10); });
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].guid == "broken");
  // A parked payload is kept in the database itself.
  auto kept = f.store->read([&](Db& db) {
    Stmt s = db.prepare("SELECT body FROM delivery_bodies WHERE seq = $1");
    s.bind(1, claimed[2].seq);
    return s.step() ? s.text(0) : std::string();
  });
  CHECK(kept == R"({"keep":"me"})");
}

TEST_CASE("after a crash, running deliveries go back to pending, or are parked when out of attempts", "[inbox][store]") {
  Fixture f;
  f.add("a");
  f.add("b");
  auto claimed = f.claim(2);
  // b has been tried (and has crashed the process) four times already.
  f.store->writes().run([&](Db& db) {
    db.prepare("UPDATE deliveries SET attempts = 5 WHERE guid = 'b'").run();
  });
  inbox::Recovered r;
  f.store->writes().run([&](Db& db) { r = inbox::recover_interrupted(db, f.store->payload_log(), 5, 4000); });
  CHECK(r.requeued == 1);
  CHECK(r.parked == 1);
  CHECK(f.row("a")->state == "pending");
  CHECK(f.row("b")->state == "failed");
  CHECK_THAT(*f.row("b")->last_error, Catch::Contains("stopped while handling it"));
}

TEST_CASE("an unclaimed delivery does not lose an attempt", "[inbox][store]") {
  Fixture f;
  f.add("a");
  auto claimed = f.claim(1);
  f.store->writes().run([&](Db& db) { inbox::release_delivery(db, claimed[0].seq); });
  CHECK(f.row("a")->state == "pending");
  CHECK(f.row("a")->attempts == 0);
}

TEST_CASE("purging forgets old finished deliveries but keeps their ids for the redelivery window", "[inbox][store]") {
  Fixture f;
  f.add("old");
  f.add("recent");
  f.add("open");
  auto claimed = f.claim(2);
  f.store->writes().run([&](Db& db) {
    inbox::finish_delivery(db, claimed[0].seq, inbox::Outcome::handled, 1'000);
    inbox::finish_delivery(db, claimed[1].seq, inbox::Outcome::handled, 50'000);
  });
  inbox::Purged p;
  f.store->writes().run([&](Db& db) { p = inbox::purge(db, f.store->payload_log(), 10'000, 10'000); });
  CHECK(p.rows == 1);
  CHECK_FALSE(f.row("old").has_value());
  CHECK(f.row("recent").has_value());
  CHECK(f.row("open")->state == "pending");
}

TEST_CASE("deliveries the database lost are rebuilt from the payload log at the next start", "[inbox][sqlite]") {
  testing::TempDir dir;
  DatabaseUrl url{DatabaseUrl::Kind::sqlite, dir / "db.sqlite"};
  {
    auto store = Store::open(url);
    for (int i = 0; i < 5; ++i) {
      inbox::NewDelivery d;
      d.guid = "g-" + std::to_string(i);
      d.event = "pull_request";
      d.action = "opened";
      d.repo = "o/r";
      d.number = i;
      d.received_at = 100 + i;
      store->writes().run_with_payload(std::make_shared<const std::string>("{\"n\":" + std::to_string(i) + "}"),
                                       inbox::describe(d),
                                       [&](Db& db, const PayloadPlace& ref) { inbox::insert(db, d, ref); });
    }
    // A redelivery stores its payload in the log too, and no row: it must not come back.
    inbox::NewDelivery again;
    again.guid = "g-1";
    again.event = "pull_request";
    store->writes().run_with_payload(std::make_shared<const std::string>("{}"), inbox::describe(again),
                                     [&](Db& db, const PayloadPlace& ref) { inbox::insert(db, again, ref); });
    // As after a power cut: the newest commits are gone from the database, not from the log.
    store->writes().run([](Db& db) { db.exec("DELETE FROM deliveries WHERE guid IN ('g-3', 'g-4')"); });
  }
  auto store = Store::open(url);
  auto rows = store->read([](Db& db) { return inbox::list(db, inbox::Filter::all, 10); });
  REQUIRE(rows.size() == 5);
  auto g4 = store->read([](Db& db) { return inbox::find_delivery(db, "g-4"); });
  REQUIRE(g4.has_value());
  CHECK(g4->state == "pending");
  CHECK(g4->number == 4);
  CHECK(g4->received_at == 104);
  CHECK(store->read([&](Db& db) { return inbox::payload_of(db, store->payload_log(), g4->seq); }) == std::string("{\"n\":4}"));
  // And the log goes on after what it had.
  inbox::NewDelivery next;
  next.guid = "g-5";
  next.event = "push";
  store->writes().run_with_payload(std::make_shared<const std::string>("{\"n\":5}"), inbox::describe(next),
                                   [&](Db& db, const PayloadPlace& ref) { inbox::insert(db, next, ref); });
  auto g5 = store->read([](Db& db) { return inbox::find_delivery(db, "g-5"); });
  CHECK(store->read([&](Db& db) { return inbox::payload_of(db, store->payload_log(), g5->seq); }) == std::string("{\"n\":5}"));
}

// Issue 12: after kill -9 the restart said the database "lost its newest commits" although what
// it rebuilt had never been committed, so never acknowledged. The machine did not restart, so
// SQLite lost nothing; only a restart of the machine (a power cut) can lose commits.
TEST_CASE("what is rebuilt from the payload log is named for what happened: a crash or a restart of the machine", "[inbox][sqlite]") {
  testing::TempDir dir;
  DatabaseUrl url{DatabaseUrl::Kind::sqlite, dir / "db.sqlite"};
  auto stored_then_undone = [&](const std::string& guid) {
    auto store = Store::open(url);
    inbox::NewDelivery d;
    d.guid = guid;
    d.event = "pull_request";
    store->writes().run_with_payload(std::make_shared<const std::string>("{}"), inbox::describe(d),
                                     [&](Db& db, const PayloadPlace& ref) { inbox::insert(db, d, ref); });
    // In the log, not in the database: as when the process dies between the two.
    auto sql = "DELETE FROM deliveries WHERE guid = '" + guid + "'";
    store->writes().run([&](Db& db) { db.exec(sql.c_str()); });
  };
  auto log_of_opening = [&] {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    spdlog::default_logger()->sinks().push_back(sink);
    { auto store = Store::open(url); }
    spdlog::default_logger()->sinks().pop_back();
    return out.str();
  };
  stored_then_undone("crash");
  auto after_crash = log_of_opening();
  CHECK_THAT(after_crash, Catch::Contains("1 delivery"));
  CHECK_THAT(after_crash, Catch::Contains("never acknowledged"));
  CHECK(after_crash.find("lost its newest commits") == std::string::npos);

  stored_then_undone("power-cut");
  {
    std::ofstream other(dir / "db.sqlite-payloads/boot-id", std::ios::trunc);
    other << "00000000-0000-0000-0000-000000000000\n";  // the machine has restarted since
  }
  auto after_restart = log_of_opening();
  CHECK_THAT(after_restart, Catch::Contains("may have lost its newest commits"));
}

// Several processes on one database (replicas on PostgreSQL; the same rules hold on SQLite).
TEST_CASE("replicas: a pull request's deliveries run in arrival order, in one process at a time", "[inbox][store][replicas]") {
  Fixture f;
  f.add("pr1-a", R"({})", std::string("o/r"), 1);
  f.add("pr1-b", R"({})", std::string("o/r"), 1);
  f.add("pr2-a", R"({})", std::string("o/r"), 2);
  inbox::Claimant a{"host:/a#1", 30'000}, b{"host:/b#1", 30'000};
  auto first = f.claim(1, 2000, a);
  REQUIRE(first.size() == 1);
  CHECK(first[0].guid == "pr1-a");
  // B may not run pr1-b while A runs pr1-a; it takes the other pull request.
  auto second = f.claim(10, 2000, b);
  REQUIRE(second.size() == 1);
  CHECK(second[0].guid == "pr2-a");
  // A may: its lane keeps the order.
  auto third = f.claim(10, 2000, a);
  REQUIRE(third.size() == 1);
  CHECK(third[0].guid == "pr1-b");
  // Nothing is claimed twice.
  CHECK(f.claim(10, 2000, a).empty());
  CHECK(f.claim(10, 2000, b).empty());
}

TEST_CASE("replicas: a whole lane is taken at once, and a retry waiting holds back what follows it", "[inbox][store][replicas]") {
  Fixture f;
  for (int i = 0; i < 4; ++i) f.add("d-" + std::to_string(i));  // one pull request
  auto all = f.claim(10);
  REQUIRE(all.size() == 4);
  for (int i = 0; i < 4; ++i) CHECK(all[i].guid == "d-" + std::to_string(i));
  f.store->writes().run([&](Db& db) {
    inbox::retry_delivery(db, all[0].seq, "502", 9'000, "me");
    for (int i = 1; i < 4; ++i) inbox::release_delivery(db, all[i].seq, "me");
  });
  CHECK(f.claim(10, 3'000, {"other", 30'000}).empty());  // d-1.. wait behind d-0's retry
  CHECK(f.store->read([](Db& db) { return inbox::next_delivery_due(db, 3'000, "other"); }) == 9'000);
  CHECK(f.claim(10, 9'000, {"other", 30'000}).size() == 4);
}

TEST_CASE("replicas: a lapsed lease is taken over, and the late result of the first process is refused", "[inbox][store][replicas]") {
  Fixture f;
  f.add("d");
  inbox::Claimant a{"host:/a#1", 1'000}, b{"host:/b#1", 1'000};
  auto mine = f.claim(1, 2'000, a);
  REQUIRE(mine.size() == 1);
  CHECK(f.claim(1, 2'500, b).empty());  // A's lease holds until 3000
  // A renews: still A's at 3500.
  f.store->writes().run([&](Db& db) { CHECK(inbox::renew_leases(db, a.owner, 4'000) == 1); });
  CHECK(f.claim(1, 3'500, b).empty());
  CHECK(f.store->read([&](Db& db) { return inbox::next_delivery_due(db, 3'500, b.owner); }) == 4'000);
  // A stops renewing (it died): B takes it over, counting the attempt.
  auto taken = f.claim(1, 4'001, b);
  REQUIRE(taken.size() == 1);
  CHECK(taken[0].taken_over);
  CHECK(taken[0].attempts == 2);
  // A comes back late with a result: refused, and nothing of it is kept.
  CHECK_THROWS_AS(f.store->writes().run([&](Db& db) {
    inbox::finish_delivery(db, mine[0].seq, inbox::Outcome::handled, 5'000, a.owner);
  }), StoreError);
  CHECK(f.row("d")->state == "running");
  f.store->writes().run([&](Db& db) { inbox::finish_delivery(db, taken[0].seq, inbox::Outcome::handled, 5'000, b.owner); });
  CHECK(f.row("d")->state == "done");
}

TEST_CASE("replicas: at start a process takes back only what its own earlier run left", "[inbox][store][replicas]") {
  Fixture f;
  f.add("mine", R"({})", std::string("o/r"), 1);
  f.add("theirs", R"({})", std::string("o/r"), 2);
  f.claim(1, 2'000, {"host:/a#old", 30'000});
  f.claim(1, 2'000, {"host:/b#1", 30'000});
  inbox::Recovered r;
  f.store->writes().run([&](Db& db) { r = inbox::recover_interrupted(db, f.store->payload_log(), 5, 3'000, "host:/a#"); });
  CHECK(r.requeued == 1);
  CHECK(f.row("mine")->state == "pending");
  CHECK(f.row("theirs")->state == "running");
}
