#pragma once
// Takes stored deliveries out of the inbox and runs the features on them, in worker threads,
// after the webhook has been answered. Deliveries about the same pull request (or issue, or
// repository) run one after another in arrival order; others run side by side. A delivery is
// marked done only after its handlers succeeded; a failing one is retried with backoff and then
// parked as failed. Workers run at a lower CPU priority than the threads that answer GitHub.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/metrics.hpp"
#include "features/registry.hpp"
#include "store/inbox.hpp"
#include "store/outbox.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

namespace net = boost::asio;

struct DispatcherOptions {
  unsigned threads = 8;
  unsigned capacity = 256;  // deliveries claimed and not yet finished
  unsigned max_attempts = 5;
  std::chrono::milliseconds retry_base{2'000};
  bool dry_run = false;  // planned GitHub writes are stored as dry-run and logged, never sent
  int worker_nice = 19;  // niceness of worker threads: they yield the CPU to the threads answering GitHub
};

struct Finished {
  store::inbox::Claimed delivery;
  std::string outcome;  // handled | ignored | retry | failed
  std::string error;
  std::vector<store::outbox::Write> writes;  // planned by the handlers (kept only when handled)
  std::vector<std::function<void(store::Db&)>> records;  // facts the handlers keep, same transaction
};

class Dispatcher {
 public:
  Dispatcher(store::Store& store, const features::Registry& registry, Metrics& metrics, DispatcherOptions options,
             features::Ports ports = {});
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Requeues what a previous process left running, starts the workers, and looks for work.
  void start();
  // New deliveries were stored: look for work (cheap to call often, from any thread).
  void notify();
  // Claims nothing more and waits up to `grace` for running handlers. False if some still run.
  bool stop(std::chrono::milliseconds grace);

  // Called after each delivery's result is committed (for tests and tools).
  void on_finished(std::function<void(const Finished&)> observer);
  // Called after a delivery's GitHub writes are committed to the outbox (the sender's cue).
  void on_writes(std::function<void()> callback) { on_writes_ = std::move(callback); }

  // Claims one stored delivery and runs it now on the calling thread, through the same
  // handlers and bookkeeping as the workers (`mentorbot replay`). Needs no start().
  Finished run_one(std::int64_t seq);

  // Where housekeeping timers can run (the workers' io_context).
  net::any_io_executor executor() { return io_.get_executor(); }

  // The delay before retry number `attempt` (1-based), with ±20% jitter.
  static std::chrono::milliseconds backoff(std::chrono::milliseconds base, int attempt, double jitter01);

 private:
  void poll();
  void on_claimed(std::vector<store::inbox::Claimed> claimed, std::optional<std::int64_t> next_due, bool full,
                  std::exception_ptr error);
  void launch(store::inbox::Claimed delivery);
  Finished execute(const store::inbox::Claimed& delivery, bool only_attempt = false);
  void record(Finished finished);
  void release(const Finished& finished);
  void count(const Finished& finished);
  void commit_result(store::Db& db, const Finished& finished);
  void arm_timer(std::optional<std::int64_t> next_due_ms);
  static std::string ordering_key(const store::inbox::Claimed& d);

  store::Store& store_;
  const features::Registry& registry_;
  Metrics& metrics_;
  DispatcherOptions options_;
  features::Ports ports_;
  std::function<void(const Finished&)> observer_;
  std::function<void()> on_writes_;

  net::io_context io_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer timer_;
  std::vector<std::thread> threads_;

  // State below lives on strand_.
  bool claiming_ = false;
  bool poll_wanted_ = false;  // a poll came while claiming
  bool stopping_ = false;
  unsigned in_flight_ = 0;  // claimed and not yet recorded, including held ones
  std::unordered_map<std::string, std::deque<store::inbox::Claimed>> busy_;  // key -> waiting behind it
  std::atomic<bool> poll_queued_{false};

  std::mutex idle_mutex_;
  std::condition_variable idle_;
  unsigned running_ = 0;  // launched and not yet released; guarded by idle_mutex_
  unsigned claims_ = 0;   // claims submitted and not yet handled; guarded by idle_mutex_
  std::vector<std::int64_t> unclaim_on_stop_;  // claimed after stop began (strand)
};

}  // namespace mentorbot::app
