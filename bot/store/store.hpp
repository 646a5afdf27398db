#pragma once
// The store: one SQLite file in WAL mode. Writes go through the group-commit WriteQueue (one
// writer connection); reads lease their own connections, so they never wait for a commit.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "store/payload_log.hpp"
#include "store/sqlite.hpp"
#include "store/write_queue.hpp"

namespace mentorbot::store {

class Store {
 public:
  // Opens (creating and migrating if needed) the database for a server or a CLI verb that writes.
  static std::unique_ptr<Store> open(const DatabaseUrl& url);
  // Opens an existing database for reading only (CLI verbs that inspect). Throws if absent.
  static std::unique_ptr<Store> open_read_only(const DatabaseUrl& url);
  // Opens (creating and migrating if needed) the database for a CLI verb that writes rows while
  // `mentorbot serve` may run on it (sprint create): without the payload log, which serve holds.
  static std::unique_ptr<Store> open_beside_server(const DatabaseUrl& url);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  WriteQueue& writes();
  PayloadLog& payloads();

  // Runs f with a read connection leased for the call.
  template <class F>
  auto read(F&& f) {
    Lease lease(*this);
    return f(*lease.db);
  }

  // Readiness: the file answers a query.
  bool reachable();
  const std::string& path() const { return path_; }
  // Stops the writer (after the queued jobs) and the checkpointer.
  void close();

 private:
  explicit Store(std::string path, bool read_only);
  static std::unique_ptr<Store> open_writer(const DatabaseUrl& url, bool with_payloads);
  struct Lease {
    explicit Lease(Store& s);
    ~Lease();
    Store& store;
    std::unique_ptr<Db> db;
  };
  void checkpoint_loop();

  std::string path_;
  bool read_only_;
  std::unique_ptr<PayloadLog> payloads_;
  std::unique_ptr<WriteQueue> writes_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Db>> pool_;

  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool closing_ = false;
  std::thread checkpointer_;
};

}  // namespace mentorbot::store
