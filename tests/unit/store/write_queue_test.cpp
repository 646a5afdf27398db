#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "store/inbox.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"

using namespace mentorbot;
using namespace mentorbot::store;

TEST_CASE("jobs queued together commit together, and a failing job undoes only itself", "[write_queue][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  store->writes().run([](Db& db) { db.exec("CREATE TABLE t (v INTEGER)"); });

  std::vector<std::promise<std::exception_ptr>> results(50);
  for (int i = 0; i < 50; ++i) {
    store->writes().submit(
        [i](Db& db) {
          db.prepare("INSERT INTO t VALUES ($1)").bind(1, i).run();
          if (i == 7) throw std::runtime_error("job 7 fails");
        },
        [&results, i](std::exception_ptr e) { results[i].set_value(e); });
  }
  for (int i = 0; i < 50; ++i) {
    auto e = results[i].get_future().get();
    CHECK((e != nullptr) == (i == 7));
  }
  auto count = store->read([](Db& db) {
    Stmt s = db.prepare("SELECT count(*), sum(CASE WHEN v = 7 THEN 1 ELSE 0 END) FROM t");
    s.step();
    return std::pair{s.int64(0), s.int64(1)};
  });
  CHECK(count.first == 49);
  CHECK(count.second == 0);
  CHECK(store->writes().commits() < 50);  // grouped
}

TEST_CASE("run() rethrows the job's error", "[write_queue][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  CHECK_THROWS_WITH(store->writes().run([](Db&) { throw std::runtime_error("nope"); }), "nope");
}

TEST_CASE("a payload job sees where its payload went, and it reads back", "[write_queue][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  std::optional<PayloadRef> seen;
  std::string bytes;
  store->writes().run_with_payload(std::make_shared<const std::string>("{\"hello\":true}"), "about hello",
                                   [&](Db&, const PayloadPlace& place) {
                                     seen = place.log;
                                     bytes = place.bytes;
                                   });
  CHECK(bytes == "{\"hello\":true}");
  if (database.postgres()) {
    CHECK_FALSE(seen.has_value());  // no payload log: the job stores the bytes in the database
    CHECK(store->payload_log() == nullptr);
  } else {
    REQUIRE(seen.has_value());
    CHECK(seen->length == 14);
    CHECK(store->payload_log()->read(*seen) == std::string("{\"hello\":true}"));
  }
}

TEST_CASE("after stop, submissions fail instead of hanging", "[write_queue][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  store->writes().stop();
  std::promise<std::exception_ptr> result;
  store->writes().submit([](Db&) {}, [&](std::exception_ptr e) { result.set_value(e); });
  CHECK(result.get_future().get() != nullptr);
}

// Two processes whose batches lock the same rows in opposite orders: PostgreSQL breaks the
// deadlock by failing one statement. That is nobody's fault and no job's result: the loser's
// batch is undone and its jobs run again, so every job commits.
TEST_CASE("replicas: a batch that loses a deadlock to another process runs again, and every job commits",
          "[write_queue][store][replicas]") {
  testing::TestDatabase database;
  if (!database.postgres()) {
    SUCCEED("SQLite has one writing process per database: nothing to deadlock with");
    return;
  }
  auto a = Store::open(database.url());
  auto b = Store::open(database.url());
  a->writes().run([](Db& db) { db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"); });
  a->writes().run([](Db& db) { db.exec("INSERT INTO t VALUES (1, 0), (2, 0)"); });

  // Each queue: a gate that holds its commit thread until both batches are queued behind it,
  // then one batch of two jobs: lock row `first`, meet the other process, lock row `second`.
  std::promise<void> open_gates;
  auto gates = open_gates.get_future().share();
  std::atomic<int> met{0};
  auto queue = [&](Store& store, int first, int second, std::vector<std::promise<std::exception_ptr>>& results) {
    store.writes().submit([gates](Db&) { gates.wait(); }, [](std::exception_ptr) {});
    auto once = std::make_shared<std::atomic<bool>>(true);
    store.writes().submit(
        [&met, first, once](Db& db) {
          db.prepare("UPDATE t SET v = v + 1 WHERE id = $1").bind(1, first).run();
          if (once->exchange(false)) {
            ++met;
            for (int i = 0; met < 2 && i < 2000; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        },
        [&results](std::exception_ptr e) { results[0].set_value(e); });
    store.writes().submit([second](Db& db) { db.prepare("UPDATE t SET v = v + 1 WHERE id = $1").bind(1, second).run(); },
                          [&results](std::exception_ptr e) { results[1].set_value(e); });
  };
  std::vector<std::promise<std::exception_ptr>> from_a(2), from_b(2);
  queue(*a, 1, 2, from_a);
  queue(*b, 2, 1, from_b);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // both batches queued behind their gates
  open_gates.set_value();
  for (auto* results : {&from_a, &from_b}) {
    for (auto& r : *results) {
      auto e = r.get_future().get();
      std::string why;
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          why = x.what();
        }
      }
      INFO(why);
      CHECK(e == nullptr);
    }
  }
  auto total = a->read([](Db& db) {
    Stmt s = db.prepare("SELECT sum(v) FROM t");
    s.step();
    return s.int64(0);
  });
  CHECK(total == 4);  // each of the four updates once: the undone batch's first run left nothing
}

// A result for work another process took over is refused (store/inbox.cpp): that is the job's
// own outcome, not a deadlock. Its batch is not undone, and nothing runs again.
TEST_CASE("a job refused because its work was taken over fails alone and once, and its batch commits", "[write_queue][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  store->writes().run([](Db& db) { db.exec("CREATE TABLE t (v INTEGER)"); });
  std::promise<void> open_gate;
  auto gate = open_gate.get_future().share();
  store->writes().submit([gate](Db&) { gate.wait(); }, [](std::exception_ptr) {});
  std::atomic<int> runs_before{0}, runs_refused{0}, runs_after{0};
  std::vector<std::promise<std::exception_ptr>> results(3);
  auto report = [&results](int i) { return [&results, i](std::exception_ptr e) { results[i].set_value(e); }; };
  store->writes().submit([&](Db& db) { ++runs_before; db.exec("INSERT INTO t VALUES (1)"); }, report(0));
  store->writes().submit(
      [&](Db& db) {
        ++runs_refused;
        inbox::finish_delivery(db, 424242, inbox::Outcome::handled, 1, "another-process");  // not held: refused
      },
      report(1));
  store->writes().submit([&](Db& db) { ++runs_after; db.exec("INSERT INTO t VALUES (2)"); }, report(2));
  auto commits = store->writes().commits();
  open_gate.set_value();
  CHECK(results[0].get_future().get() == nullptr);
  auto refused = results[1].get_future().get();
  REQUIRE(refused != nullptr);
  try {
    std::rethrow_exception(refused);
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::taken_over);
  }
  CHECK(results[2].get_future().get() == nullptr);
  CHECK(runs_before == 1);
  CHECK(runs_refused == 1);
  CHECK(runs_after == 1);
  CHECK(store->writes().commits() - commits <= 2);  // the gate's batch and this one, nothing run again
  auto rows = store->read([](Db& db) {
    Stmt s = db.prepare("SELECT count(*) FROM t");
    s.step();
    return s.int64(0);
  });
  CHECK(rows == 2);
}
