// The live coin feed over a real store: new viewers hear only what comes next, a reconnecting
// one gets what it missed in one piece, one too far behind is told to reload.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/asio/io_context.hpp>

#include "app/coin_feed.hpp"
#include "store/coins.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;

namespace {

using FakeSink = testing::RecordingSink;

void award(store::Store& s, int from, int to) {
  s.writes().run([&](store::Db& db) {
    for (int i = from; i <= to; ++i) {
      store::coins::Award a;
      a.key = "merge:octo/site#" + std::to_string(i);
      a.kind = "merge";
      a.login = "nina-dev";
      a.repo = "octo/site";
      a.number = i;
      a.awarded_at = i;
      store::coins::award(db, a);
    }
  });
}

}  // namespace

TEST_CASE("coin feed: live viewers, catching up in one piece, and a reset for the far behind", "[sse][coins]") {
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  award(*s, 1, 3);  // before the process started: history, not news
  http::EventStream stream;
  boost::asio::io_context io;
  app::CoinFeed feed(*s, stream, io.get_executor());
  CHECK(feed.published() == 3);

  auto live = std::make_shared<FakeSink>();
  feed.attach(live, std::nullopt);
  award(*s, 4, 5);
  feed.notify();
  feed.notify();  // coalesced with the one before
  io.run();
  CHECK(feed.published() == 5);
  CHECK(live->count("event: coin") == 2);
  CHECK(live->count("\"number\":4") == 1);

  auto back = std::make_shared<FakeSink>();
  feed.attach(back, 2);  // it saw up to id 2
  REQUIRE(back->got.size() == 1);  // ids 3, 4 and 5 in one chunk
  CHECK(back->count("event: coin") == 3);
  CHECK(back->got[0]->find("id: 3\n") < back->got[0]->find("id: 5\n"));

  award(*s, 6, 6 + app::CoinFeed::catch_up_limit);
  feed.pump();
  auto far = std::make_shared<FakeSink>();
  feed.attach(far, 1);
  REQUIRE(far->got.size() == 1);
  CHECK(far->count("event: reset") == 1);
  CHECK(far->count("event: coin") == 0);
  CHECK(back->count("event: coin") == 3 + 1 + app::CoinFeed::catch_up_limit);  // it stayed subscribed
}

TEST_CASE("coin feed: a viewer that saw more on another replica than this one has published hears none of it again",
          "[sse][coins][replicas]") {
  // Replica B's feed lags behind the ledger (its wake-up has not come yet) when a viewer moves
  // over from replica A, where it saw up to id 4.
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  http::EventStream stream;
  boost::asio::io_context io;
  app::CoinFeed feed(*s, stream, io.get_executor());
  award(*s, 1, 5);
  auto moved = std::make_shared<FakeSink>();
  feed.attach(moved, 4);
  auto boasting = std::make_shared<FakeSink>();
  feed.attach(boasting, 1'000'000);  // claims more than the ledger holds: hears what comes next
  feed.pump();
  CHECK(moved->count("event: coin") == 1);
  CHECK(moved->count("id: 5\n") == 1);
  CHECK(boasting->count("event: coin") == 0);
  award(*s, 6, 6);
  feed.pump();
  CHECK(moved->count("event: coin") == 2);
  CHECK(boasting->count("id: 6\n") == 1);
}

TEST_CASE("coin feed: a new viewer is told where its stream starts, so one that reconnects before its first coin misses none",
          "[sse][coins][replicas]") {
  // An EventSource sends Last-Event-ID only once it has heard an id. A viewer that heard no coin
  // before its replica went away would come back "from now" and miss what was awarded meanwhile.
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  award(*s, 1, 3);
  http::EventStream stream_a, stream_b;
  boost::asio::io_context io;
  app::CoinFeed a(*s, stream_a, io.get_executor());
  auto first = std::make_shared<FakeSink>();
  a.attach(first, std::nullopt);
  REQUIRE(first->got.size() == 1);
  CHECK(first->count("id: 3\n\n") == 1);  // where it starts: the id a reconnect sends
  CHECK(first->count("event:") == 0);

  // Replica A goes away before any coin; two are awarded; the viewer comes back to replica B.
  award(*s, 4, 5);
  app::CoinFeed b(*s, stream_b, io.get_executor());
  auto back = std::make_shared<FakeSink>();
  b.attach(back, 3);
  CHECK(back->count("event: coin") == 2);
  CHECK(back->count("id: 4\n") == 1);
}
