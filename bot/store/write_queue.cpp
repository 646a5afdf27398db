#include "store/write_queue.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <optional>

#include <spdlog/spdlog.h>

namespace mentorbot::store {
namespace {
constexpr std::size_t max_batch = 1024;  // bounds the latency of the first job in a batch
}

WriteQueue::WriteQueue(Db db, PayloadLog* log) : db_(std::move(db)), log_(log), thread_([this] {
  sqlite3_wal_hook(
      db_.handle(),
      [](void* self, sqlite3*, const char*, int frames) {
        static_cast<WriteQueue*>(self)->wal_frames_ = frames;
        return SQLITE_OK;
      },
      this);
  pthread_setname_np(pthread_self(), "store-writer");
  // The writer mostly waits for the disk; when the disk answers, every request in the batch
  // is waiting for it. Ask to be woken first (allowed when running with CAP_SYS_NICE).
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), -5);
  loop();
}) {}

WriteQueue::~WriteQueue() { stop(); }

void WriteQueue::submit(Job job, Done done) { enqueue({std::move(job), std::move(done), nullptr, nullptr}); }

void WriteQueue::submit_with_payload(std::shared_ptr<const std::string> payload, PayloadJob job, Done done) {
  enqueue({nullptr, std::move(done), std::move(payload), std::move(job)});
}

void WriteQueue::enqueue(Item item) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(item));
      wake_.notify_one();
      return;
    }
  }
  item.done(std::make_exception_ptr(StoreError("the store is shutting down", SQLITE_MISUSE)));
}

namespace {
// A Done that fulfils a promise, for the blocking variants.
WriteQueue::Done fulfil(std::promise<void>& finished) {
  return [&finished](std::exception_ptr error) {
    if (error) {
      finished.set_exception(error);
    } else {
      finished.set_value();
    }
  };
}
}  // namespace

void WriteQueue::run(Job job) {
  std::promise<void> finished;
  auto future = finished.get_future();
  submit(std::move(job), fulfil(finished));
  future.get();
}

void WriteQueue::run_with_payload(std::shared_ptr<const std::string> payload, PayloadJob job) {
  std::promise<void> finished;
  auto future = finished.get_future();
  submit_with_payload(std::move(payload), std::move(job), fulfil(finished));
  future.get();
}

void WriteQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void WriteQueue::on_commit(std::function<void(std::size_t, double)> observer) {
  std::lock_guard lock(mutex_);
  observer_ = std::move(observer);
}

std::size_t WriteQueue::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void WriteQueue::loop() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      if (queue_.size() <= max_batch) {
        batch.swap(queue_);
      } else {
        batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + max_batch));
        queue_.erase(queue_.begin(), queue_.begin() + max_batch);
      }
    }
    auto started = std::chrono::steady_clock::now();
    commit_batch(batch);
    restart_wal_if_long();
    std::function<void(std::size_t, double)> observer;
    {
      std::lock_guard lock(mutex_);
      observer = observer_;
    }
    if (observer) observer(batch.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    batch.clear();
  }
}

// Under a steady stream of commits the WAL is never entirely copied back at the moment a new
// transaction starts, so SQLite never rewinds it and it grows without end. Once it is long, a
// RESTART checkpoint here (between batches; the checkpoint thread has copied most frames
// already) waits for readers to move on and rewinds it.
void WriteQueue::restart_wal_if_long() {
  constexpr int long_wal_frames = 8192;  // 32 MiB of 4 KiB pages
  if (wal_frames_ < long_wal_frames) return;
  int log = 0, copied = 0;
  int rc = sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_RESTART, &log, &copied);
  if (rc == SQLITE_OK) wal_frames_ = 0;
}

void WriteQueue::commit_batch(std::vector<Item>& batch) {
  std::vector<std::exception_ptr> errors(batch.size());
  std::exception_ptr batch_error;
  try {
    // Where this batch's payloads go in the log; written before the COMMIT below.
    std::vector<std::string_view> payloads;
    for (const auto& item : batch) {
      if (item.payload) payloads.emplace_back(*item.payload);
    }
    std::optional<PayloadLog::Chunk> chunk;
    if (!payloads.empty()) {
      if (!log_) throw StoreError("this store has no payload log", SQLITE_MISUSE);
      chunk = log_->plan(payloads);
    }

    Txn txn(db_);
    Stmt& savepoint = db_.cached("SAVEPOINT job");
    Stmt& release = db_.cached("RELEASE job");
    Stmt& rollback = db_.cached("ROLLBACK TO job");
    std::size_t next_ref = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      savepoint.run();
      try {
        if (batch[i].payload) {
          batch[i].payload_job(db_, chunk->refs[next_ref++]);
        } else {
          batch[i].job(db_);
        }
        release.run();
      } catch (...) {
        errors[i] = std::current_exception();
        rollback.run();
        release.run();
      }
    }
    if (chunk) log_->write(*chunk);
    txn.commit();
    std::lock_guard lock(mutex_);
    ++commits_;
  } catch (...) {
    // The log write, BEGIN or COMMIT failed (disk full, I/O error): nothing in this batch is stored.
    batch_error = std::current_exception();
    try {
      std::rethrow_exception(batch_error);
    } catch (const std::exception& e) {
      spdlog::error("store commit of {} job(s) failed: {}", batch.size(), e.what());
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      batch[i].done(batch_error ? batch_error : errors[i]);
    } catch (const std::exception& e) {
      spdlog::error("store job callback threw: {}", e.what());
    }
  }
}

}  // namespace mentorbot::store
