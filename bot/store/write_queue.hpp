#pragma once
// Group commit: every write to the store goes through one writer thread, which runs the jobs
// queued meanwhile in a single transaction (each in its own savepoint, so one failing job does
// not undo the others) and reports to each job only after COMMIT has reached the disk.
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/payload_log.hpp"
#include "store/sqlite.hpp"

namespace mentorbot::store {

class WriteQueue {
 public:
  using Job = std::function<void(Db&)>;
  // Runs on the writer thread after the commit (error == nullptr) or the failure. Keep it short.
  using Done = std::function<void(std::exception_ptr error)>;

  // A job that stores a row pointing at a payload written to the payload log in the same batch.
  using PayloadJob = std::function<void(Db&, const PayloadRef&)>;

  // `log` may be null when no job carries a payload.
  WriteQueue(Db db, PayloadLog* log);
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  void submit(Job job, Done done);
  // The payload reaches the disk before the batch's COMMIT, so a committed row never points at
  // bytes that are not there.
  void submit_with_payload(std::shared_ptr<const std::string> payload, PayloadJob job, Done done);
  // Runs one job and waits for its commit; rethrows its error.
  void run(Job job);
  void run_with_payload(std::shared_ptr<const std::string> payload, PayloadJob job);
  // Finishes every queued job, then stops the thread. Later submits fail with StoreError.
  void stop();

  std::size_t commits() const;

  // Called on the writer thread after each batch with its size and how long it took (metrics).
  void on_commit(std::function<void(std::size_t jobs, double seconds)> observer);

 private:
  struct Item {
    Job job;
    Done done;
    std::shared_ptr<const std::string> payload;
    PayloadJob payload_job;
  };
  void enqueue(Item item);
  void loop();
  void commit_batch(std::vector<Item>& batch);
  void restart_wal_if_long();

  Db db_;
  PayloadLog* log_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  std::size_t commits_ = 0;
  int wal_frames_ = 0;  // frames in the WAL after the last commit (writer thread only)
  std::function<void(std::size_t, double)> observer_;
  std::thread thread_;
};

}  // namespace mentorbot::store
