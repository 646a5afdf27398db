#include "store/sqlite.hpp"

#include "core/free.hpp"

namespace mentorbot::store::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw StoreError(message, (rc & 0xff) == SQLITE_BUSY ? StoreError::Kind::conflict : StoreError::Kind::failed);
}

class Statement final : public detail::Statement {
 public:
  Statement(sqlite3_stmt* s, sqlite3* db) : stmt_(s), db_(db) {}

  void bind_int(int i, std::int64_t v) override { check(sqlite3_bind_int64(stmt_.get(), i, v)); }
  void bind_text(int i, std::string_view v) override {
    // An empty view may have no data at all: SQLite would bind that as NULL, not as ''.
    check(sqlite3_bind_text64(stmt_.get(), i, v.data() ? v.data() : "", v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void bind_blob(int i, std::string_view v) override {
    check(sqlite3_bind_blob64(stmt_.get(), i, v.data(), v.size(), SQLITE_STATIC));
  }
  void bind_null(int i) override { check(sqlite3_bind_null(stmt_.get(), i)); }

  bool step() override {
    int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_.get());
    fail(db_, rc, "step");
  }
  void reset() override {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }

  bool is_null(int col) const override { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
  std::int64_t int64(int col) const override { return sqlite3_column_int64(stmt_.get(), col); }
  std::string text(int col) const override {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_.get(), col));
    int n = sqlite3_column_bytes(stmt_.get(), col);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
  }
  std::unique_ptr<sqlite3_stmt, Free<sqlite3_finalize>> stmt_;
  sqlite3* db_;
};

class Connection final : public detail::Connection {
 public:
  Connection(const std::string& path, Mode mode) {
    sqlite3* raw = nullptr;
    // NOMUTEX: every connection belongs to one thread at a time, so SQLite's own locks are waste.
    int flags = SQLITE_OPEN_NOMUTEX |
                (mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail(raw, rc, "open " + path);
    sqlite3_extended_result_codes(raw, 1);
    // Another process (a CLI verb) may hold the write lock for a moment.
    sqlite3_busy_timeout(raw, 5000);
  }

  Engine engine() const override { return Engine::sqlite; }
  void exec(const char* sql) override {
    char* error = nullptr;
    int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      throw StoreError("exec: " + message);
    }
  }
  std::unique_ptr<detail::Statement> prepare(std::string_view sql, bool keep) override {
    auto text = numbered_parameters(sql);
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), text.data(), static_cast<int>(text.size()),
                                keep ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
    if (rc != SQLITE_OK) fail(db_.get(), rc, "prepare");
    return std::make_unique<Statement>(raw, db_.get());
  }
  std::int64_t changes() const override { return sqlite3_changes64(db_.get()); }

  sqlite3* raw() const { return db_.get(); }

 private:
  std::unique_ptr<sqlite3, Free<sqlite3_close_v2>> db_;
};

}  // namespace

Db open(const std::string& path, Mode mode) { return Db(std::make_unique<Connection>(path, mode)); }

std::int64_t memory_used() { return sqlite3_memory_used(); }

sqlite3* handle(Db& db) {
  auto* c = dynamic_cast<Connection*>(&db.connection());
  return c ? c->raw() : nullptr;
}

std::string numbered_parameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      c = '?';
    }
    out += c;
  }
  return out;
}

}  // namespace mentorbot::store::sqlite
