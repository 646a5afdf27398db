#pragma once
// The PostgreSQL engine under store/db.hpp, over libpq: a connection (the URL is libpq's own, so
// its parameters and the PG* environment variables work as psql users expect), and a listener
// for LISTEN/NOTIFY.
#include <chrono>
#include <string>
#include <string_view>

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

}  // namespace mentorbot::store::postgres
