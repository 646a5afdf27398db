// The loop the dispatcher and the outbox sender share: lanes in order, one turn at a time per
// lane, and a stop that keeps its grace and gives back what never ran.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include "app/work_loop.hpp"

using namespace mentorbot;
using namespace std::chrono_literals;

namespace {

using Loop = app::WorkLoop<std::int64_t>;

// Items 1..n, each its own lane unless `one_lane`; a turn takes `turn_ms` before it finishes.
struct Harness {
  std::mutex mutex;
  std::vector<std::int64_t> due, ran, given_back;
  std::atomic<int> running{0}, most{0};

  Loop::Parts parts(unsigned threads, std::chrono::milliseconds turn, bool one_lane) {
    Loop::Parts p;
    p.thread_name = "test-loop";
    p.threads = threads;
    p.take = [this](int limit, bool) {
      std::lock_guard lock(mutex);
      Loop::Taken t;
      while (!due.empty() && static_cast<int>(t.items.size()) < limit) {
        t.items.push_back(due.front());
        due.erase(due.begin());
      }
      return t;
    };
    p.id = [](std::int64_t i) { return i; };
    p.lane = [one_lane](std::int64_t i) { return one_lane ? std::string("one") : std::to_string(i); };
    p.run = [this, turn](std::vector<std::int64_t> items, Loop::Turn done) {
      int now = ++running;
      for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(turn);
      {
        std::lock_guard lock(mutex);
        ran.insert(ran.end(), items.begin(), items.end());
      }
      --running;
      done.finished();
    };
    p.give_back = [this](std::vector<std::int64_t> items) {
      std::lock_guard lock(mutex);
      given_back.insert(given_back.end(), items.begin(), items.end());
    };
    return p;
  }
  void add(int n) {
    std::lock_guard lock(mutex);
    for (int i = 1; i <= n; ++i) due.push_back(i);
  }
  std::size_t ran_count() {
    std::lock_guard lock(mutex);
    return ran.size();
  }
};

}  // namespace

TEST_CASE("work loop: one lane runs in order and one at a time, while lanes run side by side", "[work-loop]") {
  Harness h;
  h.add(6);
  Loop one(h.parts(3, 5ms, true));
  one.start();
  for (int i = 0; i < 200 && h.ran_count() < 6; ++i) std::this_thread::sleep_for(10ms);
  CHECK(one.stop(1s));
  CHECK(h.ran == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6});
  CHECK(h.most == 1);

  Harness side;
  side.add(6);
  Loop many(side.parts(3, 50ms, false));
  many.start();
  for (int i = 0; i < 200 && side.ran_count() < 6; ++i) std::this_thread::sleep_for(10ms);
  CHECK(many.stop(1s));
  CHECK(side.ran_count() == 6);
  CHECK(side.most > 1);
}

TEST_CASE("work loop: stop keeps its grace and gives back the turns no worker started", "[work-loop]") {
  Harness h;
  h.add(10);
  Loop loop(h.parts(1, 300ms, false));  // ten lanes, one thread: the others wait their turn
  loop.start();
  while (h.running == 0) std::this_thread::sleep_for(1ms);
  auto started = std::chrono::steady_clock::now();
  CHECK(loop.stop(2s));
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(took < 1s);  // the running turn ends; nothing else starts
  CHECK(h.ran.size() == 1);
  std::sort(h.given_back.begin(), h.given_back.end());
  CHECK(h.given_back.size() == 9);
  CHECK(h.ran.size() + h.given_back.size() == 10);  // every item ran or went back, once

  // A grace shorter than the running turn: false, and asking again waits for it.
  Harness slow;
  slow.add(1);
  Loop busy(slow.parts(1, 400ms, false));
  busy.start();
  while (slow.running == 0) std::this_thread::sleep_for(1ms);
  CHECK_FALSE(busy.stop(50ms));
  CHECK(busy.stop(2s));
  CHECK(slow.ran_count() == 1);
}
