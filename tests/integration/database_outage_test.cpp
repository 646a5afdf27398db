// The database goes away under load and comes back: /readyz says so meanwhile, deliveries that
// could not be stored get 503 (GitHub redelivers those), every one that got a 202 is handled,
// and the replica recovers by itself. Its own PostgreSQL cluster: stopping the shared one would
// pull the ground from under the other tests.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store/inbox.hpp"
#include "store/postgres.hpp"
#include "store/store.hpp"
#include "support/bot_process.hpp"
#include "support/files.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "support/world.hpp"

using namespace testing;
using namespace std::chrono_literals;

namespace {

// A PostgreSQL cluster of the test's own (tests/support/pg-cluster.sh).
class OwnCluster {
 public:
  OwnCluster() {
    run("start");
    std::ifstream in(state_);
    std::getline(in, url_);
    auto admin = mentorbot::store::postgres::open({url_});
    admin.exec("CREATE DATABASE outage");
    url_ = url_.substr(0, url_.rfind('/') + 1) + "outage";
  }
  ~OwnCluster() { std::system(("bash " + script() + " stop " + state_ + " >/dev/null 2>&1").c_str()); }
  void halt() { run("halt"); }
  void resume() { run("resume"); }
  const std::string& url() const { return url_; }

 private:
  static std::string script() { return std::string(MENTORBOT_FIXTURES) + "/../support/pg-cluster.sh"; }
  void run(const std::string& verb) {
    auto command = "bash " + script() + " " + verb + " " + state_ + " >/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("pg-cluster.sh " + verb + " failed");
  }
  TempDir dir_;
  std::string state_ = dir_ / "cluster.url";
  std::string url_;
};

}  // namespace

TEST_CASE("the database stops and starts under load: 503 meanwhile, nothing acknowledged lost", "[outage][postgresql-only]") {
  REQUIRE(backend() == Backend::postgresql);  // this run starts PostgreSQL clusters: never skipped
  OwnCluster cluster;
  TempDir data;
  const std::string secret = "outage-test-secret-0123456789";
  BotProcess bot({{"WEBHOOK_SECRET", secret},
                  {"MENTORBOT_DATA_DIR", data.path().string()},
                  {"MENTORBOT_DATABASE", cluster.url()},
                  {"MENTORBOT_DATABASE_TIMEOUT_MS", "2000"},
                  {"LOG_FORMAT", "json"}},
                 data / "bot.log");
  bot.wait_ready();
  const auto body = fixture("pull_request/opened.json");

  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::map<int, int> statuses;
  std::atomic<bool> sending{true};
  std::atomic<int> sent{0};
  std::thread sender([&] {
    for (int i = 0; sending; ++i) {
      auto guid = "outage-" + std::to_string(i);
      auto r = post_webhook(bot.port(), secret, "pull_request", guid, body);
      std::lock_guard lock(mutex);
      ++statuses[r.status];
      if (r.status == 202) acknowledged.insert(guid);
      ++sent;
      std::this_thread::sleep_for(5ms);
    }
  });
  auto acks = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  };
  REQUIRE(eventually([&] { return acks() >= 50; }));
  REQUIRE(http_get(bot.port(), "/readyz").status == 200);

  cluster.halt();
  CHECK(eventually([&] { return http_get(bot.port(), "/readyz").status == 503; }, 10s));
  CHECK(eventually([&] {
    std::lock_guard lock(mutex);
    return statuses[503] >= 5;
  }, 10s));
  CHECK(http_get(bot.port(), "/healthz").status == 200);  // alive: it waits, it does not die

  auto before_resume = acks();
  cluster.resume();
  CHECK(eventually([&] { return http_get(bot.port(), "/readyz").status == 200; }, 20s));
  CHECK(eventually([&] { return acks() >= before_resume + 50; }, 20s));
  sending = false;
  sender.join();

  // Everything that got a 202 is stored and handled; nothing else answered 2xx but those.
  auto store = mentorbot::store::Store::open_read_only({mentorbot::DatabaseUrl::Kind::postgresql, cluster.url()});
  CHECK(eventually([&] {
    auto c = store->read([](mentorbot::store::Db& db) { return mentorbot::store::inbox::counts(db, true); });
    return c["pending"] == 0 && c["running"] == 0;
  }, 30s));
  std::size_t missing = 0, unfinished = 0;
  for (const auto& guid : acknowledged) {
    auto row = store->read([&](mentorbot::store::Db& db) { return mentorbot::store::inbox::find_delivery(db, guid); });
    if (!row) {
      ++missing;
    } else if (row->state != "done") {
      ++unfinished;
    }
  }
  INFO("sent " << sent << ", 202: " << statuses[202] << ", 503: " << statuses[503] << ", other: "
               << sent - statuses[202] - statuses[503]);
  CHECK(missing == 0);
  CHECK(unfinished == 0);
  CHECK(statuses[202] + statuses[503] == sent);  // never a 500 for an outage
  auto metrics = http_get(bot.port(), "/metrics").body;
  CHECK_THAT(metrics, Catch::Contains("mentorbot_database_errors_total"));
  CHECK(metrics.find("mentorbot_database_errors_total 0\n") == std::string::npos);
}
