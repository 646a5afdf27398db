#pragma once
// The PostgreSQL engine under store/db.hpp, over libpq: a connection (the URL is libpq's own, so
// its parameters and the PG* environment variables work as psql users expect), and a listener
// for LISTEN/NOTIFY.
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "store/db.hpp"

namespace mentorbot::store::postgres {

struct Settings {
  std::string url;  // postgresql://user:pass@host:port/db?…; never logged (redacted() is)
  std::chrono::milliseconds statement_timeout{30'000};
  std::chrono::seconds connect_timeout{5};
  bool read_only = false;  // transactions refuse to write (CLI verbs that inspect)
};

// Throws StoreError (Kind::unavailable) when the server cannot be reached.
Db open(const Settings& settings);

// The URL with its password replaced by "***", for logs and messages.
std::string redacted(std::string_view url);

// LISTEN on one channel, on a connection and a thread of its own. `heard` runs on that thread
// for each notification; `reconnected` after every (re)connection, since something may have
// been announced while it was away. A lost connection is opened again by itself.
class Listener {
 public:
  Listener(Settings settings, std::string channel, std::function<void(std::string_view payload)> heard,
           std::function<void()> reconnected);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  void stop();

 private:
  void run();
  Settings settings_;
  std::string channel_;
  std::function<void(std::string_view)> heard_;
  std::function<void()> reconnected_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace mentorbot::store::postgres
