#pragma once
// One thin layer over the two database engines (SQLite, PostgreSQL): Db (a connection), Stmt (a
// statement), Txn (a transaction that rolls back unless committed). The store's SQL is written
// once, in the dialect both engines accept: `$1` parameters, `INSERT … ON CONFLICT`, `RETURNING`,
// `CASE` rather than two-argument min/max. Where the engines must differ (claims that skip rows
// other replicas have locked, case-insensitive lookups, the schema's types) the code asks
// `db.engine()`, and says why. Errors throw StoreError with the engine's own message.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mentorbot::store {

enum class Engine { sqlite, postgresql };

struct StoreError : std::runtime_error {
  enum class Kind {
    failed,       // the statement failed (a constraint, a bug, a full disk)
    unavailable,  // the database cannot be reached now: try again later
    conflict,     // another transaction got in the way (deadlock, serialization): try again
    taken_over,   // this process no longer holds the work (its lease lapsed): its result is refused
  };
  explicit StoreError(const std::string& what, Kind kind = Kind::failed) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

namespace detail {

// What an engine implements (store/sqlite.cpp, store/postgres.cpp). Columns and parameters
// count as SQLite does: parameters from 1, columns from 0.
class Statement {
 public:
  virtual ~Statement() = default;
  virtual void bind_int(int i, std::int64_t v) = 0;
  virtual void bind_text(int i, std::string_view v) = 0;  // copied
  virtual void bind_blob(int i, std::string_view v) = 0;  // not copied: keep v alive until step
  virtual void bind_null(int i) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;
  virtual bool is_null(int col) const = 0;
  virtual std::int64_t int64(int col) const = 0;
  virtual std::string text(int col) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Engine engine() const = 0;
  virtual void exec(const char* sql) = 0;
  // `keep`: the statement is run many times (the server may compile it once).
  virtual std::unique_ptr<Statement> prepare(std::string_view sql, bool keep) = 0;
  // Rows the last statement inserted, changed or deleted.
  virtual std::int64_t changes() const = 0;
  // False once the connection is lost (PostgreSQL); such a connection is thrown away.
  virtual bool usable() const { return true; }
};

}  // namespace detail

class Stmt {
 public:
  explicit Stmt(std::unique_ptr<detail::Statement> s) : s_(std::move(s)) {}

  Stmt& bind(int i, std::int64_t v) {
    s_->bind_int(i, v);
    return *this;
  }
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, std::string_view v) {
    s_->bind_text(i, v);
    return *this;
  }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind_blob(int i, std::string_view v) {
    s_->bind_blob(i, v);
    return *this;
  }
  Stmt& bind_null(int i) {
    s_->bind_null(i);
    return *this;
  }
  template <class T>
  Stmt& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  // true while a row is available
  bool step() { return s_->step(); }
  // Runs a statement that returns no rows.
  void run() {
    step();
    reset();
  }
  void reset() { s_->reset(); }

  // The current row's columns, in order, into `out…` (integers, bools, texts and their optionals).
  template <class... T>
  void columns(T&... out) const {
    int col = 0;
    (column(col++, out), ...);
  }

  bool is_null(int col) const { return s_->is_null(col); }
  std::int64_t int64(int col) const { return s_->int64(col); }
  std::string text(int col) const { return s_->text(col); }
  std::optional<std::string> opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
  }
  std::optional<std::int64_t> opt_int64(int col) const {
    if (is_null(col)) return std::nullopt;
    return int64(col);
  }

 private:
  void column(int col, std::int64_t& v) const { v = int64(col); }
  void column(int col, int& v) const { v = static_cast<int>(int64(col)); }
  void column(int col, bool& v) const { v = int64(col) != 0; }
  void column(int col, std::string& v) const { v = text(col); }
  void column(int col, std::optional<std::string>& v) const { v = opt_text(col); }
  void column(int col, std::optional<std::int64_t>& v) const { v = opt_int64(col); }

  std::unique_ptr<detail::Statement> s_;
};

class Db {
 public:
  explicit Db(std::unique_ptr<detail::Connection> connection);
  ~Db();
  Db(Db&&) noexcept;
  Db& operator=(Db&&) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Engine engine() const { return connection_->engine(); }
  void exec(const char* sql) { connection_->exec(sql); }
  Stmt prepare(std::string_view sql) { return Stmt(connection_->prepare(sql, false)); }
  // The same statement text returns the same compiled statement, reset.
  Stmt& cached(std::string_view sql);
  int changes() const { return static_cast<int>(connection_->changes()); }
  bool usable() const { return connection_->usable(); }
  detail::Connection& connection() { return *connection_; }

 private:
  std::unique_ptr<detail::Connection> connection_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

// BEGIN (IMMEDIATE on SQLite: take the write lock now, not halfway) on construction; ROLLBACK on
// destruction unless commit() ran.
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
