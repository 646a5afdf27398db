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
  // #1 is before the window, but ana's: her earlier pull requests in the repository come along
  // (they tell whether the window's is her first).
  CHECK(numbers({}) == std::vector<std::int64_t>{1, 2, 3, 4, 5});
  CHECK(numbers({"octo/site", "", {}}) == std::vector<std::int64_t>{1, 2, 3});
  CHECK(numbers({"", "octo", {}}) == std::vector<std::int64_t>{1, 2, 3, 4});
  CHECK(numbers({"", "", {"octo/docs", "other/site"}}) == std::vector<std::int64_t>{4, 5});
  auto draft = s->read([&](store::Db& db) { return store::pipeline::find(db, "Octo/Docs", 4); });
  REQUIRE(draft);
  CHECK(draft->draft);
  CHECK(draft->author_nudged_at == 77);
  CHECK(draft->ready_at == 60'000);
  // The sweeps' question: whose turn it has been since before a time.
  using store::pipeline::Note;
  auto due = [&](Note note, std::int64_t before, std::optional<store::pipeline::Cursor> after = std::nullopt,
                 int limit = 10) {
    std::vector<std::int64_t> out;
    for (const auto& e : s->read([&](store::Db& db) { return store::pipeline::due(db, note, before, after, limit); })) {
      out.push_back(e.number);
    }
    return out;
  };
  CHECK(due(Note::author_nudge, 61'000).empty());  // #4 is the author's turn, but a draft
  // Rows no note may go to never fill a page: a regular's, a closed one, one already noted.
  auto add_author_turn = [&](std::int64_t number, std::int64_t since, bool newcomer) {
    store::pipeline::Entry e;
    e.repo = "octo/site";
    e.number = number;
    e.author = "ana";
    e.installation_id = 1;
    e.newcomer = newcomer;
    e.turn = "author";
    e.opened_at = e.ready_at = 1'000;
    e.turn_since = since;
    s->writes().run([&](store::Db& db) { store::pipeline::save(db, e); });
  };
  for (int i = 0; i < 5; ++i) add_author_turn(100 + i, 2'000 + i, false);
  add_author_turn(200, 3'000, true);
  add_author_turn(201, 3'000, true);
  add_author_turn(202, 4'000, true);
  CHECK(due(Note::author_nudge, 61'000) == std::vector<std::int64_t>{200, 201, 202});
  CHECK(due(Note::author_nudge, 3'500) == std::vector<std::int64_t>{200, 201});
  CHECK(due(Note::author_nudge, 61'000, std::nullopt, 2) == std::vector<std::int64_t>{200, 201});
  CHECK(due(Note::author_nudge, 61'000, store::pipeline::Cursor{3'000, "octo/site", 201}, 2) ==
        std::vector<std::int64_t>{202});
  bool marked = false;
  s->writes().run([&](store::Db& db) { marked = store::pipeline::mark_author_nudged(db, "octo/site", 200, "author", 70'000); });
  CHECK(marked);
  CHECK(due(Note::author_nudge, 61'000) == std::vector<std::int64_t>{201, 202});
  CHECK(due(Note::escalation, 61'000).empty());  // nobody waits for a first response with an installation
  // A row saved from an older read never clears the mark.
  add_author_turn(200, 3'000, true);
  CHECK(s->read([&](store::Db& db) { return store::pipeline::find(db, "octo/site", 200); })->author_nudged_at == 70'000);
}
