// The pipeline's rows in the store, on both engines: saved whole, read back, replaced.
#include <catch2/catch.hpp>

#include "store/pipeline.hpp"
#include "store/store.hpp"
#include "support/test_database.hpp"

using namespace mentorbot;

TEST_CASE("pipeline rows: a pull request's turn is saved, read back and replaced", "[pipeline][store]") {
  testing::TestDatabase database;
  auto s = store::Store::open(database.url());
  store::pipeline::Entry e;
  e.repo = "octo/site";
  e.number = 7;
  e.installation_id = 42;
  e.author = "Nina-Dev";
  e.title = "Fix the \"cart\" total";
  e.newcomer = true;
  e.turn = "first_response";
  e.opened_at = 1'000;
  e.turn_since = 1'000;
  s->writes().run([&](store::Db& db) { store::pipeline::save(db, e); });
  auto read = [&](std::int64_t number) {
    return s->read([&](store::Db& db) { return store::pipeline::find(db, "octo/site", number); });
  };
  auto got = read(7);
  REQUIRE(got);
  CHECK(got->author == "Nina-Dev");
  CHECK(got->title == e.title);
  CHECK(got->newcomer);
  CHECK(got->installation_id == 42);
  CHECK(got->turn == "first_response");
  CHECK_FALSE(got->first_response_at);
  CHECK_FALSE(got->merged_at);
  CHECK_FALSE(read(8));

  e.turn = "merged";
  e.turn_since = 5'000;
  e.first_response_at = 2'000;
  e.merged_at = 5'000;
  e.closed_at = 5'000;
  e.installation_id.reset();
  s->writes().run([&](store::Db& db) { store::pipeline::save(db, e); });
  got = read(7);
  REQUIRE(got);
  CHECK(got->turn == "merged");
  CHECK(got->turn_since == 5'000);
  CHECK(got->first_response_at == 2'000);
  CHECK(got->merged_at == 5'000);
  CHECK(got->closed_at == 5'000);
  CHECK_FALSE(got->installation_id);
}

TEST_CASE("pipeline rows: a scope's rows of a window, and every one still waiting however old", "[pipeline][store]") {
  testing::TestDatabase database;
  auto s = store::Store::open(database.url());
  auto add = [&](const char* repo, std::int64_t number, const char* turn, std::int64_t opened) {
    store::pipeline::Entry e;
    e.repo = repo;
    e.number = number;
    e.author = "ana";
    e.newcomer = true;
    e.turn = turn;
    e.opened_at = e.turn_since = e.ready_at = opened;
    e.draft = number == 4;
    e.author_nudged_at = number == 4 ? std::optional<std::int64_t>(77) : std::nullopt;
    s->writes().run([&](store::Db& db) { store::pipeline::save(db, e); });
  };
  add("octo/site", 1, "merged", 1'000);         // before the window
  add("octo/site", 2, "first_response", 2'000);  // before the window, still waiting
  add("octo/site", 3, "review", 50'000);
  add("Octo/Docs", 4, "author", 60'000);
  add("other/site", 5, "review", 70'000);
  auto numbers = [&](const store::pipeline::Scope& scope) {
    std::vector<std::int64_t> out;
    for (const auto& e : s->read([&](store::Db& db) { return store::pipeline::rows(db, scope, 10'000); })) {
      out.push_back(e.number);
    }
    return out;
  };
  CHECK(numbers({}) == std::vector<std::int64_t>{2, 3, 4, 5});
  CHECK(numbers({"octo/site", "", {}}) == std::vector<std::int64_t>{2, 3});
  CHECK(numbers({"", "octo", {}}) == std::vector<std::int64_t>{2, 3, 4});
  CHECK(numbers({"", "", {"octo/docs", "other/site"}}) == std::vector<std::int64_t>{4, 5});
  auto draft = s->read([&](store::Db& db) { return store::pipeline::find(db, "Octo/Docs", 4); });
  REQUIRE(draft);
  CHECK(draft->draft);
  CHECK(draft->author_nudged_at == 77);
  CHECK(draft->ready_at == 60'000);
  // The sweeps' question: whose turn it has been since before a time.
  auto authors = s->read([&](store::Db& db) { return store::pipeline::in_turn(db, "author", 61'000, 10); });
  REQUIRE(authors.size() == 1);
  CHECK(authors[0].number == 4);
  CHECK(s->read([&](store::Db& db) { return store::pipeline::in_turn(db, "author", 60'000, 10); }).empty());
}
