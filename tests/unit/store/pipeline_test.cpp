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
