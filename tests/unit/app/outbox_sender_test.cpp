#include <catch2/catch.hpp>

#include <condition_variable>
#include <future>
#include <thread>
#include <mutex>

#include "app/outbox_sender.hpp"
#include "core/clock.hpp"
#include "github/client.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;
using namespace std::chrono_literals;

namespace {

// GitHub, scripted: each call to perform() pops the next behaviour for that key.
struct ScriptedGitHub : app::GitHubWrites {
  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> script;  // key -> "ok" | "502" | "limit" | "refuse"
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> performed;
  std::set<std::string> exists;  // keys GitHub already has
  int lookups = 0;

  std::string perform(const store::outbox::Write& w) override {
    std::string step = "ok";
    {
      std::lock_guard lock(mutex);
      auto& s = script[w.key];
      if (!s.empty()) {
        step = s.front();
        s.erase(s.begin());
      }
      performed.emplace_back(w.key, std::chrono::steady_clock::now());
    }
    if (step == "502") throw github::Unavailable("502 Server Error");
    if (step == "limit") throw github::RateLimited(unix_ms() + 300, "secondary rate limit");
    if (step == "refuse") throw github::ApiError(422, "422 Validation Failed");
    std::lock_guard lock(mutex);
    exists.insert(w.key);
    return R"({"id":1})";
  }
  std::optional<std::string> find_existing(const store::outbox::Write& w) override {
    std::lock_guard lock(mutex);
    ++lookups;
    if (exists.count(w.key)) return std::string(R"({"id":1})");
    return std::nullopt;
  }
};

struct Harness {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  ScriptedGitHub github;
  Metrics metrics;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::string, std::string>> outcomes;  // key, outcome

  std::unique_ptr<app::OutboxSender> sender(std::chrono::milliseconds interval, unsigned max_attempts = 4) {
    app::SenderOptions o;
    o.interval = interval;
    o.max_attempts = max_attempts;
    o.retry_base = 20ms;
    auto s = std::make_unique<app::OutboxSender>(*store, github, metrics, o);
    s->on_outcome([this](const store::outbox::Row& w, app::OutboxSender::Outcome outcome) {
      std::lock_guard lock(mutex);
      outcomes.emplace_back(w.write.key, std::string(app::to_string(outcome)));
      changed.notify_all();
    });
    return s;
  }
  void add(const std::string& key, std::int64_t installation) {
    store->writes().run([&](store::Db& db) {
      store::outbox::add(db, {key, installation, "o/r", 1, store::outbox::Comment{"hi"}}, std::nullopt, false, unix_ms());
    });
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds within = 10s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, within, [&] { return outcomes.size() >= n; });
  }
  std::string state(const std::string& key) {
    return std::string(store::outbox::to_string(store->read([&](store::Db& db) { return store::outbox::find_write(db, key)->state; })));
  }
};

}  // namespace

TEST_CASE("writes to one installation go one at a time, paced — other installations do not wait", "[sender]") {
  Harness h;
  for (int i = 0; i < 3; ++i) h.add("a" + std::to_string(i), 1);
  h.add("b0", 2);
  auto sender = h.sender(200ms);
  sender->start();
  REQUIRE(h.wait_for(4));
  std::map<std::string, std::chrono::steady_clock::time_point> at;
  for (auto& [key, t] : h.github.performed) at[key] = t;
  CHECK(at["a1"] - at["a0"] >= 190ms);
  CHECK(at["a2"] - at["a1"] >= 190ms);
  CHECK(at["b0"] - at["a0"] < 150ms);  // installation 2 is not behind installation 1
  for (auto key : {"a0", "a1", "a2", "b0"}) CHECK(h.state(key) == "sent");
  CHECK(sender->stop(1s));
}

TEST_CASE("a rate limit stops the installation until GitHub's time — nothing counts as an attempt", "[sender]") {
  Harness h;
  h.github.script["a0"] = {"limit"};
  h.add("a0", 1);
  h.add("a1", 1);
  auto sender = h.sender(0ms);
  auto started = std::chrono::steady_clock::now();
  sender->start();
  REQUIRE(h.wait_for(4));  // a0 limited, a1 unclaimed behind it, then both sent
  std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> at;
  for (auto& [key, t] : h.github.performed) at[key].push_back(t);
  REQUIRE(at["a0"].size() == 2);
  CHECK(at["a0"][1] - started >= 280ms);
  CHECK(at["a1"].front() - started >= 280ms);
  CHECK(h.github.lookups == 0);  // a refused write never reached GitHub: nothing to look for
  CHECK(h.state("a0") == "sent");
  CHECK(h.state("a1") == "sent");
  CHECK(sender->stop(1s));
}

TEST_CASE("after an unclear failure the write is looked for before it goes again", "[sender]") {
  Harness h;
  h.github.script["c"] = {"502"};
  h.github.exists.insert("c");  // the 502 came after GitHub made it
  h.add("c", 1);
  auto sender = h.sender(0ms);
  sender->start();
  REQUIRE(h.wait_for(2));
  CHECK(h.outcomes[0].second == "retry");
  CHECK(h.outcomes[1].second == "reconciled");
  CHECK(h.github.performed.size() == 1);
  CHECK(h.state("c") == "sent");
  CHECK(sender->stop(1s));
}

TEST_CASE("a write that keeps failing is parked after its last attempt, a refused one at once", "[sender]") {
  Harness h;
  h.github.script["flaky"] = {"502", "502", "502", "502", "502"};
  h.github.script["bad"] = {"refuse"};
  h.add("flaky", 1);
  h.add("bad", 2);
  auto sender = h.sender(0ms, 3);
  sender->start();
  REQUIRE(h.wait_for(4));  // flaky: retry, retry, failed; bad: failed
  CHECK(h.state("flaky") == "failed");
  CHECK(h.state("bad") == "failed");
  std::this_thread::sleep_for(200ms);
  CHECK(h.github.performed.size() == 4);  // never retried forever
  CHECK_THAT(h.metrics.render(), Catch::Contains("mentorbot_outbox_writes_total{kind=\"comment\",outcome=\"failed\"} 2"));
  CHECK(sender->stop(1s));
}

TEST_CASE("a write stored while the sender is reading the outbox is not forgotten", "[sender]") {
  // The sender's second read of the outbox has run its query (it saw the first write) and is
  // held there; meanwhile a second write is stored and announced. Nothing else happens after:
  // that announcement alone must get the second write sent.
  Harness h;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> holding;
  std::atomic<int> loads{0};
  app::SenderOptions o;
  o.interval = 0ms;
  o.retry_base = 20ms;
  o.after_load = [&] {
    if (++loads == 2) {
      holding.set_value();
      released.wait();
    }
  };
  auto s = std::make_unique<app::OutboxSender>(*h.store, h.github, h.metrics, o);
  s->on_outcome([&h](const store::outbox::Row& w, app::OutboxSender::Outcome outcome) {
    std::lock_guard lock(h.mutex);
    h.outcomes.emplace_back(w.write.key, std::string(app::to_string(outcome)));
    h.changed.notify_all();
  });
  s->start();  // the first read: nothing yet
  while (loads < 1) std::this_thread::sleep_for(1ms);
  h.add("first", 1);
  s->notify();  // the second read finds "first", then waits
  holding.get_future().wait();
  h.add("second", 1);
  s->notify();
  std::this_thread::sleep_for(50ms);  // the announcement reaches the sender while it reads
  release.set_value();
  CHECK(h.wait_for(2, 3s));
  s->stop(1s);
}

TEST_CASE("a rescan over many waiting writes reads each page once, not the same page again and again", "[sender]") {
  Harness h;
  for (int i = 0; i < 700; ++i) h.add("w" + std::to_string(i), 1);
  h.github.script["w0"] = {"limit"};  // the installation waits out a rate limit, 700 writes behind it
  std::atomic<int> loads{0};
  app::SenderOptions o;
  o.interval = 0ms;
  o.after_load = [&] { ++loads; };
  app::OutboxSender s(*h.store, h.github, h.metrics, o);
  s.start();
  std::this_thread::sleep_for(150ms);  // inside the rate limit's 300 ms
  CHECK(loads <= 4);  // two pages at the start (512 + 188), not a spin over the first
  CHECK(s.stop(2s));
}

// Found by the soak (tests/soak): a row read while an earlier attempt was still on its way went
// out again with the attempts it was read with (none), so it was not looked for on GitHub, where
// that attempt had made it (its answer lost): a review posted twice.
TEST_CASE("a write read before its earlier attempt ended is looked for on GitHub before it goes out again", "[sender]") {
  Harness h;
  h.add("a0", 1);
  h.github.exists.insert("a0");  // the earlier attempt reached GitHub; its answer was lost
  app::SenderOptions o;
  o.interval = 0ms;
  o.retry_base = 20ms;
  bool once = false;
  // Between the read and the send, that attempt ends: counted in the store, not in the row read.
  o.after_load = [&] {
    if (std::exchange(once, true)) return;
    h.store->writes().run([](store::Db& db) { db.prepare("UPDATE outbox SET attempts = 1 WHERE key = 'a0'").run(); });
  };
  app::OutboxSender sender(*h.store, h.github, h.metrics, o);
  sender.on_outcome([&](const store::outbox::Row& w, app::OutboxSender::Outcome outcome) {
    std::lock_guard lock(h.mutex);
    h.outcomes.emplace_back(w.write.key, std::string(app::to_string(outcome)));
    h.changed.notify_all();
  });
  sender.start();
  REQUIRE(h.wait_for(1));
  CHECK(h.outcomes.front().second == "reconciled");
  CHECK(h.github.performed.empty());
  CHECK(h.github.lookups == 1);
  CHECK(sender.stop(1s));
}
