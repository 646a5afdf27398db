// An installation's writes go out from one process at a time, at the pace it recorded, and a
// process that died hands its lane over once its lease lapses.
#include <catch2/catch.hpp>

#include <future>

#include "store/outbox.hpp"
#include "store/store.hpp"
#include "store/sweeps.hpp"
#include "store/write_lanes.hpp"
#include "support/test_database.hpp"

using namespace mentorbot;
using namespace mentorbot::store;

TEST_CASE("replicas: one process holds an installation's lane, and a lapsed one is taken over with its writes", "[store][replicas]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  std::int64_t id = 0;
  store->writes().run([&](Db& db) {
    outbox::add(db, {"k1", 7, "o/r", 1, outbox::Comment{"hi"}}, std::nullopt, false, 1);
    id = outbox::find_write(db, "k1")->id;
  });
  write_lanes::Lane a, b, b_later;
  bool a_marks = false, b_marks = false;
  store->writes().run([&](Db& db) {
    a = write_lanes::acquire(db, 7, "A", 1'000, 1'000);
    b = write_lanes::acquire(db, 7, "B", 1'500, 1'000);
    b_marks = outbox::mark_sending(db, id, "B").has_value();  // not B's lane: it may not send
    a_marks = outbox::mark_sending(db, id, "A").has_value();
    write_lanes::paced(db, 7, 2'600);
  });
  CHECK(a.held);
  CHECK_FALSE(b.held);
  CHECK(b.lease_until == 2'000);
  CHECK_FALSE(b_marks);
  CHECK(a_marks);
  // A dies with the write on its way; B takes the lane after the lease and finds the write
  // pending again (its attempt counted: it is looked for on GitHub first), and A's pace.
  store->writes().run([&](Db& db) { b_later = write_lanes::acquire(db, 7, "B", 2'001, 1'000); });
  CHECK(b_later.held);
  CHECK(b_later.taken_over);
  CHECK(b_later.requeued == 1);
  CHECK(b_later.next_send_at == 2'600);
  auto row = store->read([](Db& db) { return outbox::find_write(db, "k1"); });
  CHECK(row->state == outbox::State::pending);
  CHECK(row->attempts == 1);
  // A's renewals no longer find its lane; B's do. B lets go when it stops.
  store->writes().run([&](Db& db) {
    CHECK(write_lanes::renew(db, "A", 5'000).empty());
    CHECK(write_lanes::renew(db, "B", 5'000) == std::vector<std::int64_t>{7});
    write_lanes::release(db, "B");
    CHECK(write_lanes::acquire(db, 7, "C", 2'100, 1'000).held);
  });
}

TEST_CASE("replicas: a periodic sweep runs once per period across processes", "[store][replicas]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  std::vector<bool> got;
  store->writes().run([&](Db& db) {
    got.push_back(sweeps::claim(db, "nudge", "A", 1'000, 10'000));
    got.push_back(sweeps::claim(db, "nudge", "B", 1'001, 10'000));
    got.push_back(sweeps::claim(db, "janitor", "B", 1'001, 10'000));
    got.push_back(sweeps::claim(db, "nudge", "B", 11'000, 10'000));
  });
  CHECK(got == std::vector<bool>{true, false, true, true});
}

TEST_CASE("replicas: a lane whose lease is running out sends nothing more from its holder", "[store][replicas]") {
  // What a holder marks as sending goes out after the mark: it may mark only while at least
  // half a lease is left, so a send never overlaps the next holder's (it takes over only after
  // the lease lapsed).
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  store->writes().run([&](Db& db) {
    outbox::add(db, {"k1", 7, "o/r", 1, outbox::Comment{"hi"}}, std::nullopt, false, 1);
    outbox::add(db, {"k2", 7, "o/r", 2, outbox::Comment{"hi"}}, std::nullopt, false, 1);
    CHECK(write_lanes::acquire(db, 7, "A", 1'000, 1'000).held);  // held until 2,000
    CHECK(outbox::mark_sending(db, outbox::find_write(db, "k1")->id, "A", 1'600));
    CHECK_FALSE(outbox::mark_sending(db, outbox::find_write(db, "k2")->id, "A", 2'001));
  });
}

TEST_CASE("replicas: looking at a lane another process is busy with does not wait for it", "[store][replicas]") {
  testing::TestDatabase database;
  if (!database.postgres()) {
    SUCCEED("SQLite has one writing process per database");
    return;
  }
  auto a = Store::open(database.url());
  auto b = Store::open(database.url());
  b->writes().run([&](Db& db) { write_lanes::acquire(db, 7, "B", 1'000, 1'000); });
  // B's transaction holds the lane row (renewing it, say) and does not commit yet.
  std::promise<void> let_b_commit, b_holds;
  auto commit = let_b_commit.get_future().share();  // a copy in the job: it may wake after this scope ends
  b->writes().submit(
      [&b_holds, commit](Db& db) {
        write_lanes::renew(db, "B", 2'500);
        b_holds.set_value();
        commit.wait_for(std::chrono::seconds(10));
      },
      [](std::exception_ptr) {});
  b_holds.get_future().wait();
  auto looked = std::async(std::launch::async, [&] {
    write_lanes::Lane lane;
    a->writes().run([&](Db& db) { lane = write_lanes::acquire(db, 7, "A", 3'000, 1'000); });  // B's lapsed by now
    return lane;
  });
  bool answered = looked.wait_for(std::chrono::seconds(2)) == std::future_status::ready;
  let_b_commit.set_value();
  REQUIRE(answered);
  auto lane = looked.get();
  CHECK_FALSE(lane.held);  // busy elsewhere right now: looked at again shortly
  CHECK(lane.lease_until > 3'000);
}

TEST_CASE("what a stopped run had on its way is pending again, not before GitHub could have finished it", "[store][lanes]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  store->writes().run([&](Db& db) {
    outbox::add(db, {"k1", 7, "o/r", 1, outbox::Comment{"hi"}}, std::nullopt, false, 1);
    outbox::mark_sending(db, outbox::find_write(db, "k1")->id);
    CHECK(write_lanes::recover(db, "", 5'000) == 1);
  });
  auto row = store->read([](Db& db) { return outbox::find_write(db, "k1"); });
  CHECK(row->state == outbox::State::pending);
  CHECK(row->attempts == 1);
  CHECK(row->next_at == 5'000);
  CHECK(store->read([](Db& db) { return outbox::due_writes(db, 10, 4'999); }).empty());
}
