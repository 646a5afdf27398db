#pragma once
// RAII for SQLite handles: Db (connection), Stmt (prepared statement), Txn (rolls back unless
// committed). Errors throw StoreError with SQLite's own message.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/free.hpp"

namespace mentorbot::store {

struct StoreError : std::runtime_error {
  StoreError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

class Stmt;

class Db {
 public:
  enum class Mode { read_write, read_only };
  Db(const std::string& path, Mode mode);

  sqlite3* handle() const noexcept { return db_.get(); }
  void exec(const char* sql);
  Stmt prepare(std::string_view sql);
  // The same statement text returns the same compiled statement, reset and unbound.
  Stmt& cached(std::string_view sql);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  int changes() const { return sqlite3_changes(db_.get()); }
  [[noreturn]] void fail(int rc, std::string_view context) const;

  ~Db();
  Db(Db&&) noexcept;
  Db& operator=(Db&&) = delete;
  Db(const Db&) = delete;

 private:
  std::unique_ptr<sqlite3, Free<sqlite3_close_v2>> db_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

class Stmt {
 public:
  Stmt(sqlite3_stmt* s, const Db* db) : stmt_(s), db_(db) {}

  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, std::string_view v);  // bound as TEXT, copied
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind_blob(int i, std::string_view v);  // bound as BLOB, not copied: keep v alive until step
  Stmt& bind_null(int i);
  template <class T>
  Stmt& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  // true while a row is available
  bool step();
  // Runs a statement that returns no rows.
  void run() {
    step();
    reset();
  }
  void reset();

  // The current row's columns, in order, into `out…` (integers, bools, texts and their optionals).
  template <class... T>
  void columns(T&... out) const {
    int col = 0;
    (column(col++, out), ...);
  }

  bool is_null(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;

 private:
  void column(int col, std::int64_t& v) const { v = int64(col); }
  void column(int col, int& v) const { v = static_cast<int>(int64(col)); }
  void column(int col, bool& v) const { v = int64(col) != 0; }
  void column(int col, std::string& v) const { v = text(col); }
  void column(int col, std::optional<std::string>& v) const { v = opt_text(col); }
  void column(int col, std::optional<std::int64_t>& v) const { v = opt_int64(col); }

  std::unique_ptr<sqlite3_stmt, Free<sqlite3_finalize>> stmt_;
  const Db* db_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() ran.
class Txn {
 public:
  explicit Txn(Db& db);
  void commit();
  ~Txn();
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace mentorbot::store
