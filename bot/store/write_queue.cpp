#include "store/write_queue.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/backoff.hpp"
#include "store/sqlite.hpp"

namespace mentorbot::store {
namespace {

constexpr std::size_t max_batch = 1024;  // bounds the latency of the first job in a batch

// Both store threads mostly wait for the disk; when it answers, every request in the batch is
// waiting for them. Ask to be woken first (allowed when running with CAP_SYS_NICE).
void name_and_favour(const char* name) {
  pthread_setname_np(pthread_self(), name);
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), -5);
}

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

void report(WriteQueue::Done& done, std::exception_ptr error) {
  try {
    done(error);
  } catch (const std::exception& e) {
    spdlog::error("store job callback threw: {}", e.what());
  }
}

}  // namespace

WriteQueue::WriteQueue(Db db, PayloadLog* log, std::function<Db()> reopen)
    : db_(std::move(db)), log_(log), reopen_(std::move(reopen)) {
  if (auto* handle = sqlite::handle(db_)) {
    sqlite3_wal_hook(
        handle,
      [](void* self, sqlite3*, const char*, int frames) {
          static_cast<WriteQueue*>(self)->wal_frames_ = frames;
          return SQLITE_OK;
        },
        this);
  }
  log_thread_ = std::thread([this] {
    name_and_favour("store-log");
    log_loop();
  });
  commit_thread_ = std::thread([this] {
    name_and_favour("store-writer");
    commit_loop();
  });
}

WriteQueue::~WriteQueue() { stop(); }

void WriteQueue::submit(Job job, Done done) { enqueue({std::move(job), std::move(done), nullptr, {}, nullptr, {}}); }

void WriteQueue::submit_with_payload(std::shared_ptr<const std::string> payload, std::string description,
                                     PayloadJob job, Done done) {
  enqueue({nullptr, std::move(done), std::move(payload), std::move(description), std::move(job), {}});
}

void WriteQueue::enqueue(Item item) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(item));
      submitted_.notify_one();
      return;
    }
  }
  report(item.done, std::make_exception_ptr(StoreError("the store is shutting down")));
}

void WriteQueue::run(Job job) {
  std::promise<void> finished;
  auto future = finished.get_future();
  submit(std::move(job), fulfil(finished));
  future.get();
}

void WriteQueue::run_with_payload(std::shared_ptr<const std::string> payload, std::string description,
                                  PayloadJob job) {
  std::promise<void> finished;
  auto future = finished.get_future();
  submit_with_payload(std::move(payload), std::move(description), std::move(job), fulfil(finished));
  future.get();
}

void WriteQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    submitted_.notify_all();
  }
  if (log_thread_.joinable()) log_thread_.join();
  if (commit_thread_.joinable()) commit_thread_.join();
}

std::size_t WriteQueue::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void WriteQueue::on_failure(std::function<void()> observer) {
  std::lock_guard lock(mutex_);
  failure_observer_ = std::move(observer);
}

void WriteQueue::on_commit(std::function<void(std::size_t, double)> observer) {
  std::lock_guard lock(mutex_);
  observer_ = std::move(observer);
}

// Stage 1: write the payloads of everything submitted meanwhile, then pass the jobs on.
void WriteQueue::log_loop() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      submitted_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {  // stopping, and everything submitted has been passed on
        log_finished_ = true;
        logged_.notify_one();
        return;
      }
      if (queue_.size() <= max_batch) {
        batch.swap(queue_);
      } else {
        batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + max_batch));
        queue_.erase(queue_.begin(), queue_.begin() + max_batch);
      }
    }
    std::vector<PayloadLog::Entry> payloads;
    for (const auto& item : batch) {
      if (item.payload) payloads.push_back({item.description, *item.payload});
    }
    if (!payloads.empty() && log_) {
      try {
        auto chunk = log_->plan(payloads);
        log_->write(chunk);
        std::size_t next = 0;
        for (auto& item : batch) {
          if (item.payload) item.ref = chunk.refs[next++];
        }
      } catch (...) {
        // Disk full, I/O error: none of these payloads is stored, so none of their rows may be.
        auto error = std::current_exception();
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          spdlog::error("payload log write of {} payload(s) failed: {}", payloads.size(), e.what());
        }
        std::erase_if(batch, [&](Item& item) {
          if (!item.payload) return false;
          report(item.done, error);
          return true;
        });
      }
    }
    std::lock_guard lock(mutex_);
    for (auto& item : batch) ready_.push_back(std::move(item));
    logged_.notify_one();
    batch.clear();
  }
}

// Stage 2: one transaction for everything whose payloads are on disk.
void WriteQueue::commit_loop() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      logged_.wait(lock, [this] { return log_finished_ || !ready_.empty(); });
      if (ready_.empty()) return;  // the log stage has finished and nothing is left
      batch.swap(ready_);
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
  auto* handle = sqlite::handle(db_);
  if (!handle) return;
  int rc = sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_RESTART, &log, &copied);
  if (rc == SQLITE_OK) wal_frames_ = 0;
}

namespace {

// A deadlock or serialization failure between this process's transaction and another's: the
// database undid a statement to let the other go on. Nobody's fault, and no job's result.
bool lost_to_another_process(const std::exception_ptr& error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const StoreError& e) {
    return e.kind() == StoreError::Kind::conflict;
  } catch (...) {
  }
  return false;
}

}  // namespace

WriteQueue::Tried WriteQueue::try_jobs(std::vector<Item*>& items, std::vector<std::exception_ptr>& errors) {
  Txn txn(db_);
  Stmt& savepoint = db_.cached("SAVEPOINT job");
  Stmt& release = db_.cached("RELEASE job");
  Stmt& rollback = db_.cached("ROLLBACK TO job");
  for (std::size_t i = 0; i < items.size(); ++i) {
    savepoint.run();
    try {
      auto& item = *items[i];
      if (item.payload) {
        item.payload_job(db_, PayloadPlace{item.ref, *item.payload});
      } else {
        item.job(db_);
      }
      release.run();
      errors[i] = nullptr;
    } catch (...) {
      errors[i] = std::current_exception();
      // The locks taken by the jobs before this one are still held: the other process may wait
      // for them, so the whole transaction goes (Txn's destructor rolls back).
      if (lost_to_another_process(errors[i])) return Tried::conflict;
      rollback.run();
      release.run();
    }
  }
  txn.commit();
  std::lock_guard lock(mutex_);
  ++commits_;
  return Tried::committed;
}

void WriteQueue::commit_batch(std::vector<Item>& batch) {
  std::vector<std::exception_ptr> errors(batch.size());
  try {
    std::vector<Item*> all;
    for (auto& item : batch) all.push_back(&item);
    if (try_jobs(all, errors) == Tried::conflict) run_one_by_one(batch, errors);
  } catch (...) {
    // BEGIN or COMMIT failed (disk full, I/O error): nothing in this batch is stored.
    auto error = std::current_exception();
    commit_failed(error, batch.size());
    std::fill(errors.begin(), errors.end(), error);
  }
  for (std::size_t i = 0; i < batch.size(); ++i) report(batch[i].done, errors[i]);
}

// Undone because another process's transaction and this one waited for each other. Every job
// runs again, now each in a transaction of its own (fewer locks held at once), a conflict tried
// again a few times after a short random pause. A job whose own transaction fails gets that
// failure; the ones committed before it keep their success; when the connection itself is gone,
// the jobs not yet run fail with its error.
void WriteQueue::run_one_by_one(std::vector<Item>& batch, std::vector<std::exception_ptr>& errors) {
  constexpr int tries = 8;
  spdlog::info("store: a batch of {} job(s) met another process's transaction (deadlock); running them one by one",
               batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::vector<Item*> one{&batch[i]};
    std::vector<std::exception_ptr> error(1);
    try {
      for (int attempt = 1; try_jobs(one, error) == Tried::conflict && attempt < tries; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(random_jitter() * 20 * attempt) + 1));
      }
      errors[i] = error[0];
    } catch (...) {
      errors[i] = std::current_exception();
      if (db_.usable()) continue;
      commit_failed(errors[i], batch.size() - i);
      std::fill(errors.begin() + static_cast<std::ptrdiff_t>(i), errors.end(), errors[i]);
      return;
    }
  }
}

void WriteQueue::commit_failed(const std::exception_ptr& error, std::size_t jobs) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::error("store commit of {} job(s) failed: {}", jobs, e.what());
  } catch (...) {
    spdlog::error("store commit of {} job(s) failed", jobs);
  }
  std::function<void()> failed;
  {
    std::lock_guard lock(mutex_);
    failed = failure_observer_;
  }
  if (failed) failed();
  if (reopen_ && !db_.usable()) {
    try {
      db_ = reopen_();
      spdlog::info("store: the writer's database connection is back");
    } catch (const std::exception& e) {
      spdlog::warn("store: the writer cannot reconnect yet: {}", e.what());
    }
  }
}

}  // namespace mentorbot::store
