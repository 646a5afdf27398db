#pragma once
// The store: one SQLite file in WAL mode with its payload log beside it, or a PostgreSQL database
// that several replicas share. Writes go through the group-commit WriteQueue (one writer
// connection per process); reads lease their own connections, so they never wait for a commit.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "store/db.hpp"
#include "store/payload_log.hpp"
#include "store/postgres.hpp"
#include "store/write_queue.hpp"

namespace mentorbot::store {

struct StoreOptions {
  unsigned pool = 8;  // PostgreSQL: read connections at most (SQLite opens what readers need)
  std::chrono::milliseconds statement_timeout{30'000};  // PostgreSQL
};

class Store {
 public:
  // Opens (creating and migrating if needed) the database for a server or a CLI verb that writes.
  static std::unique_ptr<Store> open(const DatabaseUrl& url, const StoreOptions& options = {});
  // Opens an existing database for reading only (CLI verbs that inspect). Throws if absent.
  static std::unique_ptr<Store> open_read_only(const DatabaseUrl& url, const StoreOptions& options = {});
  // Opens (creating and migrating if needed) the database for a CLI verb that writes rows while
  // `mentorbot serve` may run on it (sprint create): without the payload log, which serve holds.
  static std::unique_ptr<Store> open_beside_server(const DatabaseUrl& url, const StoreOptions& options = {});

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine engine() const { return url_.kind == DatabaseUrl::Kind::sqlite ? Engine::sqlite : Engine::postgresql; }
  WriteQueue& writes();
  // The payload log beside an SQLite database; nullptr on PostgreSQL (payloads are in the
  // database) and for stores opened beside a server or read-only.
  PayloadLog* payload_log() { return payloads_.get(); }

  // Runs f with a read connection leased for the call.
  template <class F>
  auto read(F&& f) {
    try {
      Lease lease(*this);
      return f(*lease.db);
    } catch (const StoreError&) {
      failed();
      throw;
    }
  }

  // Called (from any thread) for each failed read, and each failed batch of writes.
  void on_error(std::function<void()> observer);

  // PostgreSQL: hears what other processes sharing the database announce (store/notify.hpp);
  // nullptr on SQLite.
  std::unique_ptr<postgres::Listener> listen(std::function<void(std::string_view)> heard,
                                             std::function<void()> reconnected);

  // Readiness: the database answers a query.
  bool reachable();
  // Where the database is, for messages (a PostgreSQL URL without its password).
  std::string where() const;
  // Stops the writer (after the queued jobs) and the checkpointer.
  void close();

 private:
  Store(DatabaseUrl url, StoreOptions options, bool read_only);
  static std::unique_ptr<Store> open_writer(const DatabaseUrl& url, const StoreOptions& options, bool with_payloads);
  static std::unique_ptr<Store> open_postgres(const DatabaseUrl& url, const StoreOptions& options, bool read_only);
  Db connect(bool read_only) const;
  struct Lease {
    explicit Lease(Store& s);
    ~Lease();
    Store& store;
    std::unique_ptr<Db> db;
  };
  void checkpoint_loop();
  void failed() {
    if (on_error_) on_error_();
  }
  std::function<void()> on_error_;

  DatabaseUrl url_;
  StoreOptions options_;
  bool read_only_;
  std::unique_ptr<PayloadLog> payloads_;
  std::unique_ptr<WriteQueue> writes_;
  std::mutex pool_mutex_;
  std::condition_variable pool_returned_;
  std::vector<std::unique_ptr<Db>> pool_;  // idle read connections
  unsigned leased_ = 0;

  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool closing_ = false;
  std::thread checkpointer_;
};

}  // namespace mentorbot::store
