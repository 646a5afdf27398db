#include <catch2/catch.hpp>

#include "store/outbox.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;
using namespace mentorbot::store;

namespace {
outbox::Write comment(const std::string& key, std::int64_t installation = 1) {
  return {key, installation, "o/r", 7, "comment", R"({"body":"hi"})"};
}
}  // namespace

TEST_CASE("a write is stored once per key, and a dry-run write is never due", "[outbox]") {
  testing::TempDir dir;
  auto store = Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  outbox::Added a{}, b{}, c{};
  store->writes().run([&](Db& db) {
    a = outbox::add(db, comment("welcome:o/r#7"), 1, false, 100);
    b = outbox::add(db, comment("welcome:o/r#7"), 2, false, 200);
    c = outbox::add(db, comment("welcome:o/r#8"), 3, true, 300);
  });
  CHECK(a == outbox::Added::added);
  CHECK(b == outbox::Added::exists);
  CHECK(c == outbox::Added::added);
  auto due = store->read([](Db& db) { return outbox::due(db, 10, 1000); });
  REQUIRE(due.size() == 1);
  CHECK(due[0].key == "welcome:o/r#7");
  CHECK(due[0].delivery_seq == 1);
  CHECK(store->read([](Db& db) { return outbox::find(db, "welcome:o/r#8"); })->state == "dry-run");
  CHECK_THROWS(store->writes().run([](Db& db) { outbox::add(db, comment("bad-->key"), 1, false, 1); }));
}

TEST_CASE("sending counts an attempt, unclaiming gives it back, a crash leaves it counted", "[outbox]") {
  testing::TempDir dir;
  auto store = Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  store->writes().run([&](Db& db) { outbox::add(db, comment("k1"), 1, false, 1); });
  auto id = store->read([](Db& db) { return outbox::find(db, "k1")->id; });
  store->writes().run([&](Db& db) { outbox::mark_sending(db, id); });
  CHECK(store->read([](Db& db) { return outbox::due(db, 10, 1000); }).empty());
  store->writes().run([&](Db& db) { outbox::unclaim(db, id, 5000, "rate limited"); });
  auto row = store->read([](Db& db) { return outbox::find(db, "k1"); });
  CHECK(row->attempts == 0);
  CHECK(row->next_at == 5000);
  CHECK(store->read([](Db& db) { return outbox::due(db, 10, 4999); }).empty());
  CHECK(store->read([](Db& db) { return outbox::next_due(db); }) == 5000);
  store->writes().run([&](Db& db) { outbox::mark_sending(db, id); });
  int requeued = 0;
  store->writes().run([&](Db& db) { requeued = outbox::requeue_sending(db); });
  CHECK(requeued == 1);
  row = store->read([](Db& db) { return outbox::find(db, "k1"); });
  CHECK(row->state == "pending");
  CHECK(row->attempts == 1);  // maybe sent: looked for before it goes again
  store->writes().run([&](Db& db) { outbox::mark_sent(db, id, R"({"id":42})", 6000); });
  row = store->read([](Db& db) { return outbox::find(db, "k1"); });
  CHECK(row->state == "sent");
  CHECK(row->result == std::string(R"({"id":42})"));
  CHECK(store->read([](Db& db) { return outbox::open_counts(db); })["pending"] == 0);
}

TEST_CASE("markers are hidden HTML comments, valid whatever the repository is called", "[outbox]") {
  CHECK(outbox::marker("welcome:org/repo#7") == "<!-- mentorbot:welcome:org/repo#7 -->");
  CHECK(outbox::marker("welcome:org/a--b#7") == "<!-- mentorbot:welcome:org/a-~-b#7 -->");
  auto m = outbox::marker("x:---y");
  CHECK(m.substr(4, m.size() - 8).find("--") == std::string::npos);
}
