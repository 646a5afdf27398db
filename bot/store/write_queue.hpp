#pragma once
// Group commit: every write to the store goes through this queue. Two threads form a pipeline:
// the first writes the payloads of whatever was submitted meanwhile to the payload log (one
// durable write per batch; SQLite only); the second runs the jobs of everything the first has
// passed on in a single transaction (each job in its own savepoint, so one failing job does not
// undo the others) and reports to each job only after COMMIT has reached the disk. While one
// batch commits, the next one's payloads are being written: two disk waits overlap instead of
// adding. On PostgreSQL there is no payload log: a payload goes into the database with its row,
// and a lost connection is opened again before the next batch.
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/db.hpp"
#include "store/payload_log.hpp"

namespace mentorbot::store {

// Where a payload is kept: in the payload log beside an SQLite database (`log` says where), or
// in the database itself, in the same transaction as its row (`log` empty).
struct PayloadPlace {
  std::optional<PayloadRef> log;
  std::string_view bytes;
};

class WriteQueue {
 public:
  using Job = std::function<void(Db&)>;
  // A job that stores a row with a payload (written to the payload log before it, if any).
  using PayloadJob = std::function<void(Db&, const PayloadPlace&)>;
  // Runs on a store thread after the commit (error == nullptr) or the failure. Keep it short.
  using Done = std::function<void(std::exception_ptr error)>;

  // Without a `log`, payloads are stored by their jobs in the database. `reopen` (optional) gives
  // a new connection when the writer's was lost.
  WriteQueue(Db db, PayloadLog* log, std::function<Db()> reopen = nullptr);
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
  // Called on the commit thread after a batch failed to commit (the database is unreachable, the disk full).
  void on_failure(std::function<void()> observer);

 private:
  struct Item {
    Job job;
    Done done;
    std::shared_ptr<const std::string> payload;
    std::string description;
    PayloadJob payload_job;
    std::optional<PayloadRef> ref;
  };
  void enqueue(Item item);
  void log_loop();
  void commit_loop();
  void commit_batch(std::vector<Item>& batch);
  void run_one_by_one(std::vector<Item>& batch, std::vector<std::exception_ptr>& errors);
  void commit_failed(const std::exception_ptr& error, std::size_t jobs);
  enum class Tried { committed, conflict };
  // The jobs in one transaction, each in a savepoint (its error in `errors`); `conflict`:
  // undone, because one lost a deadlock to another process. Throws when BEGIN or COMMIT fails.
  Tried try_jobs(std::vector<Item*>& items, std::vector<std::exception_ptr>& errors);
  void restart_wal_if_long();

  Db db_;
  PayloadLog* log_;
  std::function<Db()> reopen_;
  mutable std::mutex mutex_;
  std::condition_variable submitted_;  // queue_ has items, or stopping_
  std::condition_variable logged_;     // ready_ has items, or log_finished_
  std::vector<Item> queue_;            // submitted, payloads not yet written
  std::vector<Item> ready_;            // payloads durable, jobs not yet committed
  bool stopping_ = false;
  bool log_finished_ = false;
  std::size_t commits_ = 0;
  std::function<void(std::size_t, double)> observer_;
  std::function<void()> failure_observer_;
  int wal_frames_ = 0;  // frames in the WAL after the last commit (commit thread only)
  std::thread log_thread_;
  std::thread commit_thread_;
};

}  // namespace mentorbot::store
