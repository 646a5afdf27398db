#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/dispatcher.hpp"
#include "core/errors.hpp"
#include "github/payload_scan.hpp"
#include "store/db.hpp"
#include "store/inbox.hpp"
#include "store/outbox.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;
using namespace std::chrono_literals;

namespace {

struct Harness {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  features::Registry registry;
  Metrics metrics;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<app::Finished> finished;

  void add(const std::string& guid, const std::string& event, const std::string& body,
           std::optional<std::string> repo = std::nullopt, std::optional<std::int64_t> number = std::nullopt) {
    store::inbox::NewDelivery d;
    d.guid = guid;
    d.event = event;
    d.repo = std::move(repo);
    d.number = number;
    d.received_at = 1;
    // As the door does: the action is read from the payload when the delivery is stored.
    auto scanned = github::scan_payload(body);
    if (auto* facts = std::get_if<github::PayloadFacts>(&scanned)) d.action = facts->action;
    store->writes().run_with_payload(std::make_shared<const std::string>(body), store::inbox::describe(d),
                                     [&](store::Db& db, const store::PayloadPlace& ref) { store::inbox::insert(db, d, ref); });
  }

  std::unique_ptr<app::Dispatcher> dispatcher(unsigned max_attempts = 3) {
    app::DispatcherOptions o;
    o.threads = 4;
    o.max_attempts = max_attempts;
    o.retry_base = 5ms;
    auto d = std::make_unique<app::Dispatcher>(*store, registry, app::Services{store.get()}, metrics, o);
    d->on_committed([this](const app::Finished& f) {
      std::lock_guard lock(mutex);
      app::Finished copy;
      copy.delivery = f.delivery;
      copy.last_attempt = f.last_attempt;
      copy.outcome = f.outcome;
      copy.error = f.error;
      finished.push_back(std::move(copy));
      changed.notify_all();
    });
    return d;
  }

  // Waits until `n` results are in (any outcome, retries included).
  std::vector<app::Finished> wait_for(std::size_t n) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, 10s, [&] { return finished.size() >= n; });
    return finished;
  }

  std::string state(const std::string& guid) {
    return store->read([&](store::Db& db) { return store::inbox::find_delivery(db, guid)->state; });
  }
};

// The least a pull_request payload carries.
std::string pr_body(const std::string& action, int number = 7) {
  return R"({"action":")" + action + R"(","pull_request":{"number":)" + std::to_string(number) +
         R"(},"repository":{"full_name":"o/r"}})";
}

using github::PullRequestEvent;
using store::inbox::Outcome;

}  // namespace

TEST_CASE("a handled delivery is done, and an event nobody handles is done and ignored", "[dispatcher]") {
  Harness h;
  std::atomic<int> calls{0};
  h.registry.on<PullRequestEvent>("pull_request.opened", "test", [&](const PullRequestEvent& e, features::Context&) {
    CHECK(e.action == "opened");
    CHECK(e.repository.full_name == "o/r");
    ++calls;
  });
  h.add("a", "pull_request", pr_body("opened"));
  h.add("b", "star", R"({"action":"created"})");
  h.add("c", "pull_request", pr_body("closed"));
  auto d = h.dispatcher();
  d->start();
  auto results = h.wait_for(3);
  CHECK(calls == 1);
  CHECK(h.state("a") == "done");
  CHECK(h.state("b") == "done");
  std::map<std::string, Outcome> outcome;
  for (const auto& f : results) outcome[f.delivery.guid] = f.outcome;
  CHECK(outcome["a"] == Outcome::handled);
  CHECK(outcome["b"] == Outcome::ignored);
  CHECK(outcome["c"] == Outcome::ignored);
  CHECK(d->stop(5s));
}

TEST_CASE("a handler that keeps failing is retried with backoff, then parked", "[dispatcher]") {
  Harness h;
  std::atomic<int> calls{0};
  h.registry.on_any("custom", "flaky", [&](const github::Event&, features::Context&) {
    ++calls;
    throw std::runtime_error("GitHub answered 502");
  });
  h.add("p", "custom", "{}");
  auto d = h.dispatcher(3);
  d->start();
  auto results = h.wait_for(3);
  REQUIRE(results.size() == 3);
  CHECK(results[0].outcome == Outcome::retry);
  CHECK(results[1].outcome == Outcome::retry);
  CHECK(results[2].outcome == Outcome::failed);
  CHECK_THAT(results[2].error, Catch::Contains("flaky: GitHub answered 502"));
  CHECK(calls == 3);
  CHECK(h.state("p") == "failed");
  std::this_thread::sleep_for(100ms);
  CHECK(calls == 3);  // never retried forever
  CHECK_THAT(h.metrics.render(), Catch::Contains("mentorbot_deliveries_processed_total{event=\"custom\",outcome=\"failed\"} 1"));
  CHECK(d->stop(5s));
}

TEST_CASE("a permanent error parks the delivery at once", "[dispatcher]") {
  Harness h;
  std::atomic<int> calls{0};
  h.registry.on_any("custom", "strict", [&](const github::Event&, features::Context&) {
    ++calls;
    throw PermanentError("payload has no repository");
  });
  h.registry.on<PullRequestEvent>("pull_request", "typed", [&](const PullRequestEvent&, features::Context&) { ++calls; });
  h.add("p", "custom", "{}");
  h.add("q", "pull_request", "not json at all");
  h.add("r", "pull_request", R"({"action":"opened","repository":{"full_name":"o/r"},"pull_request":{"title":"x"}})");
  auto d = h.dispatcher(5);
  d->start();
  auto results = h.wait_for(3);
  for (const auto& f : results) CHECK(f.outcome == Outcome::failed);
  CHECK(calls == 1);  // the payloads that are no pull_request event never reach its handler
  CHECK(h.state("q") == "failed");
  std::map<std::string, std::string> error;
  for (const auto& f : results) error[f.delivery.guid] = f.error;
  CHECK_THAT(error["q"], Catch::Contains("payload is not valid JSON"));
  CHECK(error["r"] == "pull_request payload has no pull_request.number");
  CHECK(d->stop(5s));
}

TEST_CASE("what a delivery plans is committed with it, or not at all", "[dispatcher]") {
  Harness h;
  std::atomic<int> calls{0};
  h.registry.on<PullRequestEvent>("pull_request", "planner", [&](const PullRequestEvent& e, features::Context& c) {
    int call = ++calls;
    c.handover.write({"comment:o/r#" + std::to_string(e.pull_request.number), 1, "o/r", e.pull_request.number,
                      store::outbox::Comment{"hello"}});
    c.handover.step([call](store::Db&, features::Plan& plan) {
      plan.writes.push_back({"from-step", 1, "o/r", 7, store::outbox::Labels{{"x"}}});
      // The store refuses the first time (a full disk, say): nothing of this attempt may stay.
      if (call == 1) throw std::runtime_error("disk full");
    });
  });
  h.add("s", "pull_request", pr_body("opened"), "o/r", 7);
  auto d = h.dispatcher(3);
  d->start();
  auto results = h.wait_for(2);
  REQUIRE(results.size() == 2);
  CHECK(results[0].outcome == Outcome::retry);
  CHECK_THAT(results[0].error, Catch::Contains("committing its result: disk full"));
  CHECK(results[1].outcome == Outcome::handled);
  CHECK(h.state("s") == "done");
  auto keys = h.store->read([](store::Db& db) {
    std::vector<std::string> out;
    for (const auto& r : store::outbox::writes_of_delivery(db, store::inbox::find_delivery(db, "s")->seq)) {
      out.push_back(r.write.key);
    }
    return out;
  });
  CHECK(keys == std::vector<std::string>{"comment:o/r#7", "from-step"});  // once each, from the attempt that committed
  CHECK(d->stop(5s));
}

// Two replicas' transactions that deadlock again and again (more than the store's own tries):
// the result is recorded again later, as it was; the delivery is not run again.
TEST_CASE("a result the database keeps undoing (deadlocks) is recorded again, not run again", "[dispatcher]") {
  Harness h;
  std::atomic<int> calls{0}, commits{0};
  h.registry.on<PullRequestEvent>("pull_request", "planner", [&](const PullRequestEvent& e, features::Context& c) {
    ++calls;
    c.handover.write({"comment:o/r#" + std::to_string(e.pull_request.number), 1, "o/r", e.pull_request.number,
                      store::outbox::Comment{"hello"}});
    c.handover.step([&commits](store::Db&, features::Plan&) {
      if (++commits <= 12) throw store::StoreError("deadlock detected", store::StoreError::Kind::conflict);
    });
  });
  h.add("d", "pull_request", pr_body("opened"), "o/r", 7);
  auto d = h.dispatcher(3);
  d->start();
  auto results = h.wait_for(1);
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == Outcome::handled);
  CHECK(calls == 1);
  CHECK(commits > 12);
  CHECK(h.state("d") == "done");
  CHECK(d->stop(5s));
}

TEST_CASE("deliveries about the same pull request run one at a time, in order", "[dispatcher]") {
  Harness h;
  std::mutex m;
  std::vector<std::string> order;
  std::atomic<int> running{0};
  std::atomic<int> overlap{0};
  h.registry.on<PullRequestEvent>("pull_request", "slow", [&](const PullRequestEvent&, features::Context& c) {
    if (++running > 1) ++overlap;
    std::this_thread::sleep_for(20ms);
    {
      std::lock_guard lock(m);
      order.push_back(c.delivery);
    }
    --running;
  });
  for (int i = 0; i < 5; ++i) h.add("same-" + std::to_string(i), "pull_request", pr_body("synchronize"), "o/r", 7);
  auto d = h.dispatcher();
  d->start();
  h.wait_for(5);
  CHECK(overlap == 0);
  CHECK(order == std::vector<std::string>{"same-0", "same-1", "same-2", "same-3", "same-4"});
  CHECK(d->stop(5s));
}

TEST_CASE("a delivery that will be tried again holds back the later ones of its pull request", "[dispatcher]") {
  // The first fails once (GitHub had a moment): the ones after it, already claimed, wait for its
  // retry instead of running ahead of it.
  Harness h;
  std::mutex m;
  std::vector<std::string> order;
  std::atomic<bool> failed_once{false};
  h.registry.on<PullRequestEvent>("pull_request", "flaky", [&](const PullRequestEvent&, features::Context& c) {
    if (c.delivery == "same-0" && !failed_once.exchange(true)) throw std::runtime_error("GitHub answered 502");
    std::lock_guard lock(m);
    order.push_back(c.delivery);
  });
  for (int i = 0; i < 4; ++i) h.add("same-" + std::to_string(i), "pull_request", pr_body("synchronize"), "o/r", 7);
  auto d = h.dispatcher();
  d->start();
  auto results = h.wait_for(5);
  CHECK(results.size() == 5);
  CHECK(order == std::vector<std::string>{"same-0", "same-1", "same-2", "same-3"});
  for (int i = 0; i < 4; ++i) CHECK(h.state("same-" + std::to_string(i)) == "done");
  CHECK(d->stop(5s));
}

TEST_CASE("deliveries about different pull requests run side by side", "[dispatcher]") {
  Harness h;
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  h.registry.on<PullRequestEvent>("pull_request", "slow", [&](const PullRequestEvent&, features::Context&) {
    int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(50ms);
    --running;
  });
  for (int i = 0; i < 4; ++i) h.add("pr-" + std::to_string(i), "pull_request", pr_body("opened", i), "o/r", i);
  auto d = h.dispatcher();
  d->start();
  h.wait_for(4);
  CHECK(most > 1);
  CHECK(d->stop(5s));
}

TEST_CASE("run_one processes one stored delivery on the calling thread", "[dispatcher]") {
  Harness h;
  std::string zen;
  h.registry.on<github::PingEvent>("ping", "ping", [&](const github::PingEvent& e, features::Context&) { zen = e.zen; });
  h.add("x", "ping", R"({"zen":"hi"})");
  auto seq = h.store->read([](store::Db& db) { return store::inbox::find_delivery(db, "x")->seq; });
  auto d = h.dispatcher();
  auto f = d->run_one(seq);
  CHECK(f.outcome == Outcome::handled);
  CHECK(zen == "hi");
  CHECK(h.state("x") == "done");
}

TEST_CASE("backoff grows by four each attempt, with jitter, capped at an hour", "[dispatcher]") {
  using app::Dispatcher;
  CHECK(Dispatcher::backoff(1000ms, 1, 0.5) == 1000ms);
  CHECK(Dispatcher::backoff(1000ms, 2, 0.5) == 4000ms);
  CHECK(Dispatcher::backoff(1000ms, 3, 0.5) == 16000ms);
  CHECK(Dispatcher::backoff(1000ms, 3, 0.0) == 12800ms);
  CHECK(Dispatcher::backoff(1000ms, 3, 1.0) == 19200ms);
  CHECK(Dispatcher::backoff(1000ms, 30, 0.5) == 3600000ms);
}
