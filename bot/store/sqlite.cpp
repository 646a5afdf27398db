#include "store/sqlite.hpp"

#include <unordered_map>

#include <spdlog/spdlog.h>

namespace mentorbot::store {

struct Db::Cache {
  std::unordered_map<std::string, Stmt> statements;
};

Db::Db(const std::string& path, Mode mode) : cache_(std::make_unique<Cache>()) {
  sqlite3* raw = nullptr;
  // NOMUTEX: every connection belongs to one thread at a time, so SQLite's own locks are waste.
  int flags = SQLITE_OPEN_NOMUTEX |
              (mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) fail(rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  // Another process (a CLI verb) may hold the write lock for a moment.
  sqlite3_busy_timeout(raw, 5000);
}

Db::~Db() {
  cache_.reset();  // statements before the connection
}

Db::Db(Db&&) noexcept = default;

void Db::fail(int rc, std::string_view context) const {
  std::string message(context);
  message += ": ";
  message += db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  throw StoreError(message, rc);
}

void Db::exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw StoreError(std::string("exec: ") + message, rc);
  }
}

Stmt Db::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                              &raw, nullptr);
  if (rc != SQLITE_OK) fail(rc, "prepare");
  return Stmt(raw, this);
}

Stmt& Db::cached(std::string_view sql) {
  auto it = cache_->statements.find(std::string(sql));
  if (it == cache_->statements.end()) {
    it = cache_->statements.emplace(std::string(sql), prepare(sql)).first;
  } else {
    it->second.reset();
  }
  return it->second;
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  int rc = sqlite3_bind_int64(stmt_.get(), i, v);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind_blob(int i, std::string_view v) {
  int rc = sqlite3_bind_blob64(stmt_.get(), i, v.data(), v.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  int rc = sqlite3_bind_null(stmt_.get(), i);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_.get());
  db_->fail(rc, "step");
}

void Stmt::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::string Stmt::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_.get(), col));
  int n = sqlite3_column_bytes(stmt_.get(), col);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> Stmt::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

std::optional<std::int64_t> Stmt::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

Txn::Txn(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

void Txn::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

Txn::~Txn() {
  if (done_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const std::exception& e) {
    spdlog::error("rollback failed: {}", e.what());
  }
}

}  // namespace mentorbot::store
