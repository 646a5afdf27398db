// Nothing acknowledged is lost, nothing is done twice: kill -9 in the middle of a burst, then a
// restart; and SIGTERM that finishes what it started.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "support/files.hpp"
#include "support/running_bot.hpp"

using namespace testing;
using namespace std::chrono_literals;

TEST_CASE("kill -9 during a burst, then a restart: every acknowledged delivery is processed exactly once", "[crash][both]") {
  RunningBot bot;
  const auto body = fixture("pull_request/opened.json");  // one PR: its deliveries queue behind each other
  constexpr int senders = 8;
  constexpr int per_sender = 60;
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::set<std::string> unanswered;  // sent, but the kill came before the 202
  std::atomic<int> acks{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < senders; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < per_sender && !killed; ++i) {
        auto guid = "burst-" + std::to_string(t) + "-" + std::to_string(i);
        auto r = post_webhook(bot.port(), bot.secret(), "pull_request", guid, body);
        std::lock_guard lock(mutex);
        if (r.status == 202) {
          acknowledged.insert(guid);
          ++acks;
        } else {
          unanswered.insert(guid);
        }
      }
    });
  }
  // Kill while requests are still in flight, after a good number were acknowledged.
  while (acks < senders * per_sender / 2) std::this_thread::sleep_for(1ms);
  bot.process().kill9();
  killed = true;
  for (auto& t : threads) t.join();

  // Every 202 is in the store, whatever happened after it.
  for (const auto& guid : acknowledged) {
    INFO(guid);
    CHECK(bot.state_of(guid) != "absent");
  }
  auto before = bot.inbox_counts();
  auto unfinished = before["pending"] + before["running"];
  INFO("acknowledged " << acknowledged.size() << ", unfinished at the kill " << unfinished);
  REQUIRE(unfinished > 0);  // the kill came while work was queued

  auto rows_before = bot.inbox_rows();
  std::set<std::string> unanswered_absent;  // unanswered, and not in the database at the kill
  for (const auto& guid : unanswered) {
    if (bot.state_of(guid) == "absent") unanswered_absent.insert(guid);
  }

  bot.start();
  REQUIRE(bot.wait_until_idle(60));
  for (const auto& guid : acknowledged) {
    INFO(guid);
    CHECK(bot.state_of(guid) == "done");
  }
  // Payloads that reached the payload log while their rows had not been committed yet (the
  // kill came in between) are put back at start-up: only ever ones that got no 202.
  auto rebuilt = bot.inbox_rows() - rows_before;
  std::int64_t rebuilt_unanswered = 0;
  for (const auto& guid : unanswered_absent) rebuilt_unanswered += bot.state_of(guid) != "absent";
  CHECK(rebuilt == rebuilt_unanswered);
  // The restarted process did exactly the unfinished ones: nothing twice, nothing skipped.
  CHECK(bot.metric("mentorbot_deliveries_processed_total{event=\"pull_request\",outcome=\"handled\"}") ==
        unfinished + rebuilt);
  auto after = bot.inbox_counts();
  CHECK(after["done"] == before["done"] + unfinished + rebuilt);
  CHECK(after["failed"] == 0);
}

TEST_CASE("SIGTERM answers what was sent, finishes the work in hand, and exits 0", "[crash][both]") {
  RunningBot bot;
  const auto body = fixture("pull_request/opened.json");
  for (int i = 0; i < 20; ++i) REQUIRE(bot.send("pull_request", "term-" + std::to_string(i), body).status == 202);
  CHECK(bot.process().terminate() == 0);
  auto log = bot.log();
  CHECK_THAT(log, Catch::Contains("SIGTERM received"));
  CHECK_THAT(log, Catch::Contains("stopped"));
  // Whatever was not finished is still queued, and the next start finishes it.
  auto counts = bot.inbox_counts();
  CHECK(counts["done"] + counts["pending"] == 20);
  CHECK(counts["running"] == 0);
  bot.start();
  REQUIRE(bot.wait_until_idle());
  CHECK(bot.inbox_counts()["done"] == 20);
}
