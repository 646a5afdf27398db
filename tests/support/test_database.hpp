#pragma once
// The database a test stores in: an SQLite file of its own, or, when the run was started with
// `--backend postgresql`, a fresh database on the throwaway PostgreSQL cluster, dropped afterwards.
#include <string>

#include "core/config.hpp"
#include "support/temp_dir.hpp"

namespace testing {

enum class Backend { sqlite, postgresql };
Backend backend();
// Called once by main(); throws when PostgreSQL is asked for and cannot be reached.
void select_backend(const std::string& name, const std::string& pg_url_file);

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const mentorbot::DatabaseUrl& url() const { return url_; }
  // The value for MENTORBOT_DATABASE.
  std::string setting() const;
  bool postgres() const { return url_.kind == mentorbot::DatabaseUrl::Kind::postgresql; }
  // A directory of its own beside it (payload logs, keys).
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::string name_;  // PostgreSQL: the database's name
  mentorbot::DatabaseUrl url_;
};

}  // namespace testing
