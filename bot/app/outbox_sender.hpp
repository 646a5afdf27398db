#pragma once
// Sends the outbox to GitHub, after the webhook was answered and never holding it up. Writes
// for one installation go out one at a time and at least `interval` apart (GitHub's guidance
// for content-creating requests); different installations do not wait for each other. A rate
// limit stops that installation until GitHub's retry time; 5xx and network errors are retried
// with backoff; after the last attempt the write is parked as failed (and counted in /metrics).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/metrics.hpp"
#include "store/outbox.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

namespace net = boost::asio;

// The sender's view of GitHub: make a write, or find one made before (interface owned by its
// user; app::GitHubWritesOverRest implements it over the REST client, tests fake it).
class GitHubWrites {
 public:
  virtual ~GitHubWrites() = default;
  // Performs the write; returns what GitHub made (JSON, e.g. {"id":123}). Throws
  // github::RateLimited, github::Unavailable (try again) or github::ApiError (refused).
  virtual std::string perform(const store::outbox::Row& write) = 0;
  // A write of this key that already exists on GitHub (found by its marker), if any; nullopt at
  // once for kinds that carry no marker (labels can be repeated harmlessly).
  virtual std::optional<std::string> find_existing(const store::outbox::Row& write) = 0;
};

struct SenderOptions {
  std::chrono::milliseconds interval{1000};  // between two writes to one installation
  unsigned threads = 4;
  unsigned max_attempts = 6;
  std::chrono::milliseconds retry_base{2000};
  std::function<void()> after_load;  // tests: runs on the loading thread after each read of the outbox
};

class OutboxSender {
 public:
  OutboxSender(store::Store& store, GitHubWrites& github, Metrics& metrics, SenderOptions options);
  ~OutboxSender();

  void start();
  // New writes were committed (cheap to call often, from any thread).
  void notify();
  // Sends nothing more and waits up to `grace` for writes on the wire; false if some still are.
  bool stop(std::chrono::milliseconds grace);

  // Called after each write's outcome is committed (tests).
  void on_outcome(std::function<void(const store::outbox::Row&, const std::string& outcome)> observer);

 private:
  struct Lane {
    std::deque<store::outbox::Row> queue;
    bool busy = false;
    std::chrono::steady_clock::time_point next_allowed{};
    std::unique_ptr<net::steady_timer> timer;
  };
  struct Outcome {
    std::string kind;  // sent | reconciled | retry | failed | rate_limited | unclaimed
    std::string detail;
    std::int64_t next_at_ms = 0;
  };

  // Loads due writes: new ones (above the high-water mark), or all of them on a rescan
  // (at start, and when a retry's time has come).
  void poll(bool rescan);
  void run_lane(std::int64_t installation);
  void send_batch(std::int64_t installation, std::vector<store::outbox::Row> batch);
  Outcome send_one(const store::outbox::Row& write);
  void arm_rescan(std::int64_t at_ms);

  store::Store& store_;
  GitHubWrites& github_;
  Metrics& metrics_;
  SenderOptions options_;
  std::function<void(const store::outbox::Row&, const std::string&)> observer_;

  net::io_context io_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer poll_timer_;
  std::vector<std::thread> threads_;
  std::atomic<bool> poll_queued_{false};

  // On strand_:
  std::map<std::int64_t, Lane> lanes_;
  std::set<std::int64_t> known_;  // ids queued or on the wire
  bool loading_ = false;
  bool poll_wanted_ = false;         // a poll was asked for while loading
  bool rescan_wanted_ = false;       // a rescan was asked for while loading
  std::int64_t high_water_ = 0;      // the highest id ever loaded
  std::int64_t rescan_at_ms_ = 0;    // when the armed rescan timer fires (0: none)
  bool stopping_ = false;
  std::mutex idle_mutex_;
  std::condition_variable idle_;
  unsigned sending_ = 0;  // batches on the wire; guarded by idle_mutex_
};

}  // namespace mentorbot::app
