// Two replicas on one PostgreSQL database: what one stores, the other hears about at once
// (LISTEN/NOTIFY), not at its next slow poll. A coin awarded on replica A reaches a viewer of
// replica B's live screen; a push delivered to A that changes a repository's config makes B
// read the config again.
#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include <boost/json.hpp>

#include "store/inbox.hpp"
#include "store/store.hpp"
#include "support/bot_process.hpp"
#include "support/files.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "support/world.hpp"

using namespace testing;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

const std::string secret = "wake-up-test-secret-0123456789";

struct Replica {
  TempDir dir;
  std::unique_ptr<BotProcess> bot;
  Replica(World& w, const TestDatabase& database) {
    bot = std::make_unique<BotProcess>(w.env(test_app_key().private_pkcs1,
                                             {{"WEBHOOK_SECRET", secret},
                                              {"MENTORBOT_DATA_DIR", dir.path().string()},
                                              {"MENTORBOT_DATABASE", database.setting()},
                                              {"MENTORBOT_WRITE_INTERVAL_MS", "0"}}),
                                       dir / "bot.log");
    bot->wait_ready();
  }
  int send(const std::string& event, const std::string& guid, const std::string& body) {
    return post_webhook(bot->port(), secret, event, guid, body).status;
  }
};

bool done(mentorbot::store::Store& store, const std::string& guid) {
  return store.read([&](mentorbot::store::Db& db) {
    auto row = mentorbot::store::inbox::find_delivery(db, guid);
    return row && row->state == "done";
  });
}

}  // namespace

TEST_CASE("replicas wake each other: a coin awarded on one reaches the live screen of the other",
          "[replicas][postgresql-only]") {
  REQUIRE(backend() == Backend::postgresql);
  World w;
  TestDatabase database;
  Replica a(w, database), b(w, database);
  // A viewer of B's screen, for a few seconds.
  auto viewer = std::async(std::launch::async, [&] {
    return raw_exchange(b.bot->port(), "GET /api/events HTTP/1.1\r\nHost: test\r\n\r\n", 4s);
  });
  std::this_thread::sleep_for(300ms);
  auto merged = json::parse(w.pr_event("closed", 2, w.head));
  auto& pr = merged.as_object()["pull_request"].as_object();
  pr["merged"] = true;
  pr["merged_at"] = "2026-12-03T12:00:00Z";
  pr["state"] = "closed";
  REQUIRE(a.send("pull_request", "merge-on-a", json::serialize(merged)) == 202);
  // Well before B's slow poll (10 s) would have found it.
  auto seen = viewer.get();
  CHECK_THAT(seen, Catch::Contains("event: coin"));
}

TEST_CASE("replicas wake each other: a push on one makes the other read the repository's config again",
          "[replicas][postgresql-only]") {
  REQUIRE(backend() == Backend::postgresql);
  World w;
  TestDatabase database;
  w.github.set_content(world_repo, ".github/mentorbot.yml", "tone: concise\n");
  Replica a(w, database), b(w, database);
  REQUIRE(b.send("pull_request", "cfg-1", w.first_timer_pr(2)) == 202);
  REQUIRE(eventually([&] { return w.github.comments(world_repo, 2).size() == 1; }));
  CHECK_THAT(w.github.comments(world_repo, 2)[0].body, Catch::StartsWith("Thanks for the pull request, @Codertocat!"));

  // The config changes, and the push saying so goes to A. B had the old one cached.
  w.github.set_content(world_repo, ".github/mentorbot.yml", "tone: playful\n");
  auto push = json::parse(fixture("push/push.json"));
  push.as_object()["ref"] = "refs/heads/main";
  push.as_object()["repository"].as_object()["default_branch"] = "main";
  push.as_object()["repository"].as_object()["clone_url"] = w.git.url();
  push.as_object()["commits"] = json::array{json::object{{"id", "abc"}, {"added", json::array{}},
                                                          {"removed", json::array{}},
                                                          {"modified", json::array{".github/mentorbot.yml"}}}};
  REQUIRE(a.send("push", "cfg-push", json::serialize(push)) == 202);
  auto store = mentorbot::store::Store::open_read_only(database.url());
  REQUIRE(eventually([&] { return done(*store, "cfg-push"); }));
  std::this_thread::sleep_for(200ms);
  REQUIRE(b.send("pull_request", "cfg-2", w.first_timer_pr(10)) == 202);
  REQUIRE(eventually([&] { return w.github.comments(world_repo, 10).size() == 1; }));
  CHECK_THAT(w.github.comments(world_repo, 10)[0].body, Catch::StartsWith("🎉 Thanks for sharing this"));
}
