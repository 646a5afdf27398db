#include "store/store.hpp"

#include <pthread.h>

#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "store/inbox.hpp"
#include "store/migrations.hpp"
#include "store/notify.hpp"
#include "store/postgres.hpp"
#include "store/sqlite.hpp"

namespace mentorbot::store {
namespace {

std::string first_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// The kernel's id of this boot: it changes when the machine restarts, not when a process does.
const std::string& this_boot() {
  static const std::string id = first_line("/proc/sys/kernel/random/boot_id");
  return id;
}

// Written beside the payload log at every start (replaced whole: a torn write reads as another
// boot, which only makes the message more cautious).
void remember_boot(const std::filesystem::path& marker) {
  if (this_boot().empty()) return;
  auto temp = marker.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << this_boot() << "\n";
  }
  std::error_code ec;
  std::filesystem::rename(temp, marker, ec);
}

constexpr auto checkpoint_every = std::chrono::milliseconds(50);  // small, frequent: measured lower p99 than fewer, larger ones

void tune_writer(Db& db) {
  // Rows are small (payloads live in the payload log): small pages, small WAL frames per commit.
  db.exec("PRAGMA page_size = 4096");
  db.exec("PRAGMA journal_mode = WAL");
  // NORMAL: a commit reaches the operating system, not the disk, so it survives a killed
  // process but not a power cut. The payload log (written with O_DSYNC before every commit
  // that stores a delivery) is what survives a power cut; Store::open rebuilds from it.
  db.exec("PRAGMA synchronous = NORMAL");
  // Checkpoints run on their own connection and thread, never inside a commit.
  db.exec("PRAGMA wal_autocheckpoint = 0");
  db.exec("PRAGMA journal_size_limit = 67108864");
  // Its page cache: 2 MiB (SQLite's default) holds the pages a commit touches, recent rows and
  // their indexes; the operating system caches the rest of the file. A cache fills up to its
  // bound as the database grows (measured in the soak: tests/RELIABILITY.md), so the bound is
  // what the process keeps.
  db.exec("PRAGMA cache_size = -2048");
  db.exec("PRAGMA temp_store = MEMORY");
}

}  // namespace

Store::Store(DatabaseUrl url, StoreOptions options, bool read_only)
    : url_(std::move(url)), options_(options), read_only_(read_only) {}

std::unique_ptr<Store> Store::open(const DatabaseUrl& url, const StoreOptions& options) {
  return open_writer(url, options, true);
}

std::unique_ptr<Store> Store::open_beside_server(const DatabaseUrl& url, const StoreOptions& options) {
  return open_writer(url, options, false);
}

Db Store::connect(bool read_only) const {
  if (url_.kind == DatabaseUrl::Kind::postgresql) {
    return postgres::open({url_.target, options_.statement_timeout, std::chrono::seconds(5), read_only});
  }
  return sqlite::open(url_.target, read_only ? sqlite::Mode::read_only : sqlite::Mode::read_write);
}

std::unique_ptr<Store> Store::open_postgres(const DatabaseUrl& url, const StoreOptions& options, bool read_only) {
  std::unique_ptr<Store> store(new Store(url, options, read_only));
  Db first = store->connect(read_only);
  if (read_only) {
    if (schema_version(first) == 0) throw ConfigError("the database has no mentorbot schema yet");
    return store;
  }
  migrate(first);
  // Every payload lives in the database, beside its row: nothing acknowledged is only on this
  // replica's disk.
  store->writes_ = std::make_unique<WriteQueue>(std::move(first), nullptr,
                                                [s = store.get()] { return s->connect(false); });
  return store;
}

std::unique_ptr<Store> Store::open_writer(const DatabaseUrl& url, const StoreOptions& options, bool with_payloads) {
  if (url.kind == DatabaseUrl::Kind::postgresql) return open_postgres(url, options, false);
  std::filesystem::path file(url.target);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::unique_ptr<Store> store(new Store(url, options, false));
  Db writer = store->connect(false);
  tune_writer(writer);
  migrate(writer);
  if (with_payloads) {
    store->payloads_ = std::make_unique<PayloadLog>(url.target + "-payloads");
    auto marker = std::filesystem::path(url.target + "-payloads") / "boot-id";
    bool same_boot = !this_boot().empty() && first_line(marker) == this_boot();
    if (int restored = inbox::rebuild_from_log(writer, *store->payloads_); restored > 0) {
      auto count = restored == 1 ? std::string("1 delivery") : std::to_string(restored) + " deliveries";
      if (same_boot) {
        // The machine kept running, so SQLite lost no commit: these were written to the log and
        // the process stopped before their transaction committed, so before any answer.
        spdlog::info("restored {} from the payload log, stored there as the process stopped and never "
                     "acknowledged (GitHub was not answered 202); handling them now",
                     count);
      } else {
        spdlog::warn("rebuilt {} from the payload log: the machine restarted since the last run, and the database "
                     "may have lost its newest commits (the log waits for the disk, the database does not)",
                     count);
      }
    }
    remember_boot(marker);
  }
  store->writes_ = std::make_unique<WriteQueue>(std::move(writer), store->payloads_.get());
  // Beside a running server, its checkpointer copies the WAL: a second one would make its
  // writer wait.
  if (with_payloads) store->checkpointer_ = std::thread([s = store.get()] { s->checkpoint_loop(); });
  return store;
}

std::unique_ptr<Store> Store::open_read_only(const DatabaseUrl& url, const StoreOptions& options) {
  if (url.kind == DatabaseUrl::Kind::postgresql) return open_postgres(url, options, true);
  if (!std::filesystem::exists(url.target)) {
    throw ConfigError("no database at " + url.target + " (set MENTORBOT_DATABASE, or run `mentorbot serve` first)");
  }
  std::unique_ptr<Store> store(new Store(url, options, true));
  store->read([](Db& db) {
    int v = schema_version(db);
    if (v == 0) throw ConfigError("the database has no mentorbot schema yet");
    return v;
  });
  return store;
}

std::unique_ptr<postgres::Listener> Store::listen(std::function<void(std::string_view)> heard,
                                                  std::function<void()> reconnected) {
  if (url_.kind != DatabaseUrl::Kind::postgresql) return nullptr;
  return std::make_unique<postgres::Listener>(postgres::Settings{url_.target, options_.statement_timeout},
                                              notify::channel, std::move(heard), std::move(reconnected));
}

void Store::on_error(std::function<void()> observer) {
  on_error_ = observer;
  if (writes_) writes_->on_failure(std::move(observer));
}

std::string Store::where() const {
  return url_.kind == DatabaseUrl::Kind::postgresql ? postgres::redacted(url_.target) : url_.target;
}

Store::~Store() { close(); }

WriteQueue& Store::writes() {
  if (!writes_) throw StoreError("the store was opened read-only");
  return *writes_;
}

void Store::close() {
  if (writes_) writes_->stop();  // first: the queued jobs still commit
  {
    std::lock_guard lock(checkpoint_mutex_);
    closing_ = true;
    checkpoint_wake_.notify_all();
  }
  if (checkpointer_.joinable()) checkpointer_.join();
}

bool Store::reachable() {
  try {
    return read([](Db& db) {
      Stmt s = db.prepare("SELECT 1");
      return s.step();
    });
  } catch (const std::exception& e) {
    spdlog::warn("store not reachable: {}", e.what());
    return false;
  }
}

Store::Lease::Lease(Store& s) : store(s) {
  {
    std::unique_lock lock(s.pool_mutex_);
    // PostgreSQL connections are few and costly to open: wait for one when all are out.
    if (s.url_.kind == DatabaseUrl::Kind::postgresql) {
      s.pool_returned_.wait(lock, [&] { return !s.pool_.empty() || s.leased_ < std::max(1u, s.options_.pool); });
    }
    ++s.leased_;
    if (!s.pool_.empty()) {
      db = std::move(s.pool_.back());
      s.pool_.pop_back();
      return;
    }
  }
  try {
    db = std::make_unique<Db>(s.connect(s.read_only_));
    if (s.url_.kind == DatabaseUrl::Kind::sqlite) {
      db->exec("PRAGMA query_only = 1");
      // Readers are opened as many as run at once, and their reads are short lookups; the
      // operating system caches the file for all of them, so each keeps 256 KiB of its own.
      db->exec("PRAGMA cache_size = -256");
    }
  } catch (...) {
    std::lock_guard lock(s.pool_mutex_);
    --s.leased_;
    s.pool_returned_.notify_one();
    throw;
  }
}

Store::Lease::~Lease() {
  std::lock_guard lock(store.pool_mutex_);
  --store.leased_;
  if (db && db->usable()) store.pool_.push_back(std::move(db));  // a lost connection is dropped
  store.pool_returned_.notify_one();
}

void Store::checkpoint_loop() {
  // PASSIVE checkpoints copy committed WAL frames into the database file without blocking the
  // writer or the readers; the writer restarts the WAL from the top once it is all copied.
  pthread_setname_np(pthread_self(), "store-ckpt");  // 15 characters at most
  Db db = connect(false);
  db.exec("SELECT count(*) FROM sqlite_schema");  // opens the WAL: a fresh connection would checkpoint nothing
  std::unique_lock lock(checkpoint_mutex_);
  while (!closing_) {
    checkpoint_wake_.wait_for(lock, checkpoint_every);
    lock.unlock();
    int log_frames = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(sqlite::handle(db), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) spdlog::warn("checkpoint: {}", sqlite3_errmsg(sqlite::handle(db)));
    lock.lock();
  }
  lock.unlock();
  // A last full checkpoint leaves a small WAL behind for the next start.
  sqlite3_wal_checkpoint_v2(sqlite::handle(db), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

}  // namespace mentorbot::store
