#pragma once
// Group commit: every write to the store goes through this queue. Two threads form a pipeline:
// the first writes the payloads of whatever was submitted meanwhile to the payload log (one
// durable write per batch); the second runs the jobs of everything the first has passed on in
// a single SQLite transaction (each job in its own savepoint, so one failing job does not undo
// the others) and reports to each job only after COMMIT has reached the disk. While one batch
// commits, the next one's payloads are being written: two disk waits overlap instead of adding.
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/payload_log.hpp"
#include "store/sqlite.hpp"

namespace mentorbot::store {

class WriteQueue {
 public:
  using Job = std::function<void(Db&)>;
  // A job that stores a row pointing at a payload written to the payload log before it.
  using PayloadJob = std::function<void(Db&, const PayloadRef&)>;
  // Runs on a store thread after the commit (error == nullptr) or the failure. Keep it short.
  using Done = std::function<void(std::exception_ptr error)>;

  // `log` may be null when no job carries a payload.
  WriteQueue(Db db, PayloadLog* log);
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  void submit(Job job, Done done);
  // The payload, with its description (what recovery needs to rebuild the row), reaches the
  // disk before the job's transaction commits, so a committed row never points at bytes that
  // are not there.
  void submit_with_payload(std::shared_ptr<const std::string> payload, std::string description, PayloadJob job,
                           Done done);
  // Runs one job and waits for its commit; rethrows its error.
  void run(Job job);
  void run_with_payload(std::shared_ptr<const std::string> payload, std::string description, PayloadJob job);
  // Finishes every queued job, then stops the threads. Later submits fail with StoreError.
  void stop();

  std::size_t commits() const;
  // Called on the commit thread after each transaction with its size and duration (metrics).
  void on_commit(std::function<void(std::size_t jobs, double seconds)> observer);

 private:
  struct Item {
    Job job;
    Done done;
    std::shared_ptr<const std::string> payload;
    std::string description;
    PayloadJob payload_job;
    PayloadRef ref;
  };
  void enqueue(Item item);
  void log_loop();
  void commit_loop();
  void commit_batch(std::vector<Item>& batch);
  void restart_wal_if_long();

  Db db_;
  PayloadLog* log_;
  mutable std::mutex mutex_;
  std::condition_variable submitted_;  // queue_ has items, or stopping_
  std::condition_variable logged_;     // ready_ has items, or log_finished_
  std::vector<Item> queue_;            // submitted, payloads not yet written
  std::vector<Item> ready_;            // payloads durable, jobs not yet committed
  bool stopping_ = false;
  bool log_finished_ = false;
  std::size_t commits_ = 0;
  std::function<void(std::size_t, double)> observer_;
  int wal_frames_ = 0;  // frames in the WAL after the last commit (commit thread only)
  std::thread log_thread_;
  std::thread commit_thread_;
};

}  // namespace mentorbot::store
