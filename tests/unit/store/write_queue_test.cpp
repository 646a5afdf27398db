#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

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
