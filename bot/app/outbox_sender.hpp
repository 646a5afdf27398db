#pragma once
// Sends the outbox to GitHub, after the webhook was answered and never holding it up. Writes
// for one installation go out one at a time and at least `interval` apart (GitHub's guidance
// for content-creating requests), from the one process holding the installation's lane when
// several share the database (store/write_lanes.hpp); different installations do not wait for
// each other. A rate
// limit stops that installation until GitHub's retry time; 5xx and network errors are retried
// with backoff; after the last attempt the write is parked as failed (and counted in /metrics).
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "app/work_loop.hpp"
#include "core/metrics.hpp"
#include "store/outbox.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

// The sender's view of GitHub: make a write, or find one made before (interface owned by its
// user; app::GitHubWritesOverRest implements it over the REST client, tests fake it).
class GitHubWrites {
 public:
  virtual ~GitHubWrites() = default;
  // Performs the write; returns what GitHub made (JSON, e.g. {"id":123}). Throws
  // github::RateLimited, github::Unavailable (try again) or github::ApiError (refused).
  virtual std::string perform(const store::outbox::Write& write) = 0;
  // A write of this key that already exists on GitHub (found by its marker), if any; nullopt at
  // once for kinds that carry no marker (labels can be repeated harmlessly).
  virtual std::optional<std::string> find_existing(const store::outbox::Write& write) = 0;
};

struct SenderOptions {
  std::chrono::milliseconds interval{1000};  // between two writes to one installation
  unsigned threads = 4;
  unsigned max_attempts = 6;
  std::chrono::milliseconds retry_base{2000};
  // How long GitHub may go on with a request whose answer never came (the GitHub timeout): the
  // next attempt, which first looks for the write, waits at least this long.
  std::chrono::milliseconds settle{0};
  std::function<void()> after_load;  // tests: runs on the loading thread after each read of the outbox
  std::string owner = "local";       // this process (app::Replica)
  std::string owner_prefix;          // earlier runs of this process; empty: one process per database
  std::int64_t lease_ms = 30'000;
};

class OutboxSender {
 public:
  // What became of one attempt at a write (`elsewhere`: its lane is another process's now).
  enum class Outcome { sent, reconciled, retry, failed, rate_limited, unclaimed, elsewhere };

  OutboxSender(store::Store& store, GitHubWrites& github, Metrics& metrics, SenderOptions options);
  ~OutboxSender();

  // Requeues what a previous process left on its way, and starts sending.
  void start();
  // New writes were committed (cheap to call often, from any thread).
  void notify() { loop_.notify(); }
  // Sends nothing more and waits up to `grace` for writes on the wire; false if some still are.
  // Then lets go of its lanes, for other processes to take.
  bool stop(std::chrono::milliseconds grace);
  // The lanes this process still holds after renewing its leases (app's lease keeper).
  void lanes_renewed(const std::vector<std::int64_t>& installations);

  // Called after each write's outcome is committed (tests).
  void on_outcome(std::function<void(const store::outbox::Row&, Outcome)> observer) { observer_ = std::move(observer); }

 private:
  struct Attempt {
    Outcome outcome = Outcome::sent;
    std::string detail;
    std::int64_t next_at_ms = 0;
  };
  using Loop = WorkLoop<store::outbox::Row>;
  Loop::Parts parts();
  Attempt send_one(const store::outbox::Row& write);
  void send_turn(std::vector<store::outbox::Row> turn, Loop::Turn done);
  void report(const store::outbox::Row& write, const Attempt& attempt);

  store::Store& store_;
  GitHubWrites& github_;
  Metrics& metrics_;
  SenderOptions options_;
  std::function<void(const store::outbox::Row&, Outcome)> observer_;
  std::int64_t high_water_ = 0;  // the highest id ever taken (takes run one at a time)
  std::int64_t rescan_from_ = 0;  // where a rescan's next page begins
  void hold_lanes(Loop::Taken& taken);
  std::mutex lanes_mutex_;
  std::set<std::int64_t> held_;  // installations whose lane this process holds
  Loop loop_;  // last: it stops before the parts its turns use go away
};

std::string_view to_string(OutboxSender::Outcome outcome);

}  // namespace mentorbot::app
