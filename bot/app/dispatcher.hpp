#pragma once
// Takes stored deliveries out of the inbox and runs the features on them, in worker threads,
// after the webhook has been answered. Deliveries about the same pull request (or issue, or
// repository) run one after another in arrival order; others run side by side. A delivery is
// marked done only after its handlers succeeded, in the one transaction that also stores what
// they planned; a failing one is retried with backoff and then parked as failed. Workers run at
// a lower CPU priority than the threads that answer GitHub.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/delivery_sources.hpp"
#include "app/work_loop.hpp"
#include "core/metrics.hpp"
#include "features/registry.hpp"
#include "store/inbox.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

struct DispatcherOptions {
  unsigned threads = 8;
  unsigned capacity = 256;  // deliveries claimed and not yet finished
  unsigned max_attempts = 5;
  std::chrono::milliseconds retry_base{2'000};
  bool dry_run = false;  // planned GitHub writes are stored as dry-run and logged, never sent
  int worker_nice = 19;  // niceness of worker threads: they yield the CPU to the threads answering GitHub
  // Who this process is among those sharing the database, and how long its claims hold unless
  // renewed (app::Replica).
  store::inbox::Claimant claimant{"local", 30'000};
  // At start, what is still running under this prefix was left by an earlier run of this
  // process and is taken back at once; empty: everything running (one process per database).
  std::string owner_prefix;
};

struct Finished {
  store::inbox::Claimed delivery;
  bool last_attempt = false;  // nobody tries it again (its last attempt, or a replay)
  bool taken_over = false;    // its lease lapsed and another process ran it: this result was dropped
  store::inbox::Outcome outcome = store::inbox::Outcome::handled;
  std::string error;
  features::Handover handover;  // what the handlers planned (committed only when handled)
  std::optional<features::Plan> planned;  // the handlers' plan before the commit's steps added to it
  std::vector<store::outbox::Write> dry_run;  // planned writes a dry run stored (logged after the commit)
};

class Dispatcher {
 public:
  Dispatcher(store::Store& store, const features::Registry& registry, Services services, Metrics& metrics,
             DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Requeues what a previous process left running, starts the workers, and looks for work.
  void start();
  // New deliveries were stored: look for work (cheap to call often, from any thread).
  void notify() { loop_.notify(); }
  // Claims nothing more and waits up to `grace` for running handlers. False if some still run.
  bool stop(std::chrono::milliseconds grace) { return loop_.stop(grace); }

  // Called on the store's commit thread after each delivery's result is committed (keep it
  // short): the outbox sender's and the live events' cue, tests.
  void on_committed(std::function<void(const Finished&)> observer) { observer_ = std::move(observer); }

  // Claims one stored delivery and runs it now on the calling thread, through the same
  // handlers and bookkeeping as the workers (`mentorbot replay`). Needs no start().
  Finished run_one(std::int64_t seq);

  // Where housekeeping timers can run (the workers' io_context).
  net::any_io_executor executor() { return loop_.executor(); }

  // The delay before retry number `attempt` (1-based), with ±20% jitter.
  static std::chrono::milliseconds backoff(std::chrono::milliseconds base, int attempt, double jitter01);

 private:
  using Loop = WorkLoop<store::inbox::Claimed>;
  Loop::Parts parts();
  Finished execute(const store::inbox::Claimed& delivery, bool only_attempt = false);
  // Commits the result (or schedules the retry) and calls `done` after the commit.
  void record(std::shared_ptr<Finished> finished, std::function<void()> done);
  void commit_result(store::Db& db, Finished& finished);
  void count(const Finished& finished);
  void count_claims(const std::vector<store::inbox::Claimed>& claimed);

  store::Store& store_;
  const features::Registry& registry_;
  Services services_;
  Metrics& metrics_;
  DispatcherOptions options_;
  std::function<void(const Finished&)> observer_;
  Loop loop_;  // last: it stops before the parts its turns use go away
};

}  // namespace mentorbot::app
