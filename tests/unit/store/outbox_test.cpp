#include <catch2/catch.hpp>

#include "store/outbox.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"

using namespace mentorbot;
using namespace mentorbot::store;

namespace {
outbox::Write comment(const std::string& key, std::int64_t installation = 1) {
  return {key, installation, "o/r", 7, outbox::Comment{"hi"}};
}
}  // namespace

TEST_CASE("a write is stored once per key, and a dry-run write is never due", "[outbox][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  outbox::Added a{}, b{}, c{};
  store->writes().run([&](Db& db) {
    a = outbox::add(db, comment("welcome:o/r#7"), 1, false, 100);
    b = outbox::add(db, comment("welcome:o/r#7"), 2, false, 200);
    c = outbox::add(db, comment("welcome:o/r#8"), 3, true, 300);
  });
  CHECK(a == outbox::Added::added);
  CHECK(b == outbox::Added::exists);
  CHECK(c == outbox::Added::added);
  auto due = store->read([](Db& db) { return outbox::due_writes(db, 10, 1000); });
  REQUIRE(due.size() == 1);
  CHECK(due[0].write.key == "welcome:o/r#7");
  CHECK(due[0].delivery_seq == 1);
  CHECK(store->read([](Db& db) { return outbox::find_write(db, "welcome:o/r#8"); })->state == outbox::State::dry_run);
  CHECK_THROWS(store->writes().run([](Db& db) { outbox::add(db, comment("bad-->key"), 1, false, 1); }));
}

TEST_CASE("sending counts an attempt, unclaiming gives it back, a crash leaves it counted", "[outbox][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  store->writes().run([&](Db& db) { outbox::add(db, comment("k1"), 1, false, 1); });
  auto id = store->read([](Db& db) { return outbox::find_write(db, "k1")->id; });
  store->writes().run([&](Db& db) { outbox::mark_sending(db, id); });
  CHECK(store->read([](Db& db) { return outbox::due_writes(db, 10, 1000); }).empty());
  store->writes().run([&](Db& db) { outbox::release_write(db, id, 5000, "rate limited"); });
  auto row = store->read([](Db& db) { return outbox::find_write(db, "k1"); });
  CHECK(row->attempts == 0);
  CHECK(row->next_at == 5000);
  CHECK(store->read([](Db& db) { return outbox::due_writes(db, 10, 4999); }).empty());
  CHECK(store->read([](Db& db) { return outbox::next_write_due(db); }) == 5000);
  store->writes().run([&](Db& db) { outbox::mark_sending(db, id); });
  int requeued = 0;
  store->writes().run([&](Db& db) { requeued = outbox::requeue_sending(db); });
  CHECK(requeued == 1);
  row = store->read([](Db& db) { return outbox::find_write(db, "k1"); });
  CHECK(row->state == outbox::State::pending);
  CHECK(row->attempts == 1);  // maybe sent: looked for before it goes again
  store->writes().run([&](Db& db) { outbox::mark_sent(db, id, R"({"id":42})", 6000); });
  row = store->read([](Db& db) { return outbox::find_write(db, "k1"); });
  CHECK(row->state == outbox::State::sent);
  CHECK(row->result == std::string(R"({"id":42})"));
  CHECK(store->read([](Db& db) { return outbox::open_counts(db); })["pending"] == 0);
}

TEST_CASE("every kind of write reads back from the store as it was planned", "[outbox][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  outbox::InlineComment line{"src/a.py", 12, "RIGHT", "A print may be left over.", "debug-print"};
  std::vector<outbox::Change> changes = {
      outbox::Comment{"Thanks, @nina! \"quoted\"\nand a second line"},
      outbox::Review{"abc123", "Summary", {line, {"README.md", 3, "RIGHT", "Trailing space.", "trailing-whitespace"}}},
      outbox::Review{"", "No commit named", {}},
      outbox::ReviewEdit{"review:o/r#7", "Summary, edited"},
      outbox::ReviewComment{"def456", line},
      outbox::Labels{{"first-time contributor", "needs-review"}},
      outbox::LabelUpsert{"first-time contributor", "7057ff", "Their first pull request"},
      outbox::CommentEdit{"preview:o/r#7", "The words, edited"},
  };
  store->writes().run([&](Db& db) {
    for (std::size_t i = 0; i < changes.size(); ++i) {
      outbox::add(db, {"k" + std::to_string(i), 1, "o/r", 7, changes[i]}, std::nullopt, false, 1);
    }
  });
  auto rows = store->read([](Db& db) { return outbox::writes_on(db, "o/r", 7); });
  REQUIRE(rows.size() == changes.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(outbox::kind_of(changes[i]));
    CHECK(rows[i].unreadable.empty());
    CHECK(rows[i].write.change.index() == changes[i].index());
    CHECK(outbox::kind_of(rows[i].write.change) == outbox::kind_of(changes[i]));
  }
  CHECK(std::get<outbox::Comment>(rows[0].write.change).body == "Thanks, @nina! \"quoted\"\nand a second line");
  const auto& review = std::get<outbox::Review>(rows[1].write.change);
  CHECK(review.commit_id == "abc123");
  REQUIRE(review.comments.size() == 2);
  CHECK(review.comments[0].path == "src/a.py");
  CHECK(review.comments[0].line == 12);
  CHECK(review.comments[0].rule == "debug-print");
  CHECK(review.comments[1].body == "Trailing space.");
  CHECK(std::get<outbox::Review>(rows[2].write.change).commit_id.empty());
  CHECK(std::get<outbox::ReviewEdit>(rows[3].write.change).of == "review:o/r#7");
  CHECK(std::get<outbox::ReviewComment>(rows[4].write.change).comment.line == 12);
  CHECK(std::get<outbox::ReviewComment>(rows[4].write.change).commit_id == "def456");
  CHECK(std::get<outbox::Labels>(rows[5].write.change).names ==
        std::vector<std::string>{"first-time contributor", "needs-review"});
  CHECK(std::get<outbox::LabelUpsert>(rows[6].write.change).color == "7057ff");
  CHECK(std::get<outbox::CommentEdit>(rows[7].write.change).of == "preview:o/r#7");
  CHECK(std::get<outbox::CommentEdit>(rows[7].write.change).body == "The words, edited");
}

TEST_CASE("a stored write that cannot be read back says why, and is not mistaken for another kind", "[outbox][store]") {
  testing::TestDatabase database;
  auto store = Store::open(database.url());
  store->writes().run([&](Db& db) {
    db.exec("INSERT INTO outbox (key, installation_id, repo, number, kind, payload, state, created_at)"
            " VALUES ('old', 1, 'o/r', 7, 'reaction', '{\"of\":\"x\",\"body\":\"y\"}', 'pending', 1),"
            " ('torn', 1, 'o/r', 7, 'comment', '{\"body\":', 'pending', 1)");
  });
  auto due = store->read([](Db& db) { return outbox::due_writes(db, 10, 1000); });
  REQUIRE(due.size() == 2);
  CHECK_THAT(due[0].unreadable, Catch::Contains("reaction"));
  CHECK_THAT(due[1].unreadable, Catch::Contains("not a JSON object"));
}

TEST_CASE("markers are hidden HTML comments, valid whatever the repository is called", "[outbox][store]") {
  CHECK(outbox::marker("welcome:org/repo#7") == "<!-- mentorbot:welcome:org/repo#7 -->");
  CHECK(outbox::marker("welcome:org/a--b#7") == "<!-- mentorbot:welcome:org/a-~-b#7 -->");
  auto m = outbox::marker("x:---y");
  CHECK(m.substr(4, m.size() - 8).find("--") == std::string::npos);
}
