#include "store/postgres.hpp"

#include <libpq-fe.h>

#include <poll.h>
#include <pthread.h>

#include <cerrno>
#include <charconv>
#include <optional>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/free.hpp"

namespace mentorbot::store::postgres {
namespace {

constexpr Oid bytea_oid = 17;

using Result = std::unique_ptr<PGresult, Free<PQclear>>;

StoreError::Kind kind_of(PGconn* conn, const PGresult* result) {
  if (PQstatus(conn) != CONNECTION_OK) return StoreError::Kind::unavailable;
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (!state) return StoreError::Kind::unavailable;  // no answer at all: the connection failed
  std::string_view s(state);
  if (s.starts_with("08") || s == "57P01" || s == "57P02" || s == "57P03") return StoreError::Kind::unavailable;
  if (s == "40001" || s == "40P01" || s == "55P03") return StoreError::Kind::conflict;
  return StoreError::Kind::failed;
}

[[noreturn]] void fail(PGconn* conn, const PGresult* result, std::string_view context) {
  std::string message(context);
  message += ": ";
  const char* text = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  message += (text && *text) ? text : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  throw StoreError(message, kind_of(conn, result));
}

// A command's result: rows (text format), or a count of changed rows.
Result check(PGconn* conn, PGresult* raw, std::string_view context, std::int64_t& changes) {
  Result result(raw);
  auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn, result.get(), context);
  const char* tuples = PQcmdTuples(result.get());
  changes = 0;
  if (tuples && *tuples) std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), changes);
  return result;
}

class Connection;

class Statement final : public detail::Statement {
 public:
  Statement(Connection& connection, std::string sql, std::string name)
      : connection_(connection), sql_(std::move(sql)), name_(std::move(name)) {}

  void bind_int(int i, std::int64_t v) override { slot(i) = {std::to_string(v), 0}; }
  void bind_text(int i, std::string_view v) override {
    if (v.find('\0') != std::string_view::npos) throw StoreError("a text value holds a NUL character");
    slot(i) = {std::string(v), 0};
  }
  void bind_blob(int i, std::string_view v) override { slot(i) = {std::string(v), 1}; }
  void bind_null(int i) override { slot(i) = {std::nullopt, 0}; }

  bool step() override;
  void reset() override {
    result_.reset();
    row_ = -1;
  }

  bool is_null(int col) const override { return PQgetisnull(result_.get(), row_, col) != 0; }
  std::int64_t int64(int col) const override {
    const char* v = PQgetvalue(result_.get(), row_, col);
    int n = PQgetlength(result_.get(), row_, col);
    if (n == 1 && (*v == 't' || *v == 'f')) return *v == 't' ? 1 : 0;  // a boolean expression
    std::int64_t out = 0;
    std::from_chars(v, v + n, out);
    return out;
  }
  std::string text(int col) const override {
    const char* v = PQgetvalue(result_.get(), row_, col);
    if (PQftype(result_.get(), col) != bytea_oid) {
      return std::string(v, static_cast<std::size_t>(PQgetlength(result_.get(), row_, col)));
    }
    std::size_t n = 0;
    std::unique_ptr<unsigned char, Free<PQfreemem>> bytes(
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n));
    if (!bytes) throw StoreError("could not read a bytea value");
    return std::string(reinterpret_cast<const char*>(bytes.get()), n);
  }

 private:
  struct Param {
    std::optional<std::string> value;
    int format = 0;  // 0 text, 1 binary
  };
  Param& slot(int i) {
    if (static_cast<std::size_t>(i) > params_.size()) params_.resize(static_cast<std::size_t>(i));
    return params_[static_cast<std::size_t>(i - 1)];
  }

  Connection& connection_;
  std::string sql_;
  std::string name_;  // empty: run once, unnamed
  bool prepared_ = false;
  std::vector<Param> params_;
  Result result_;
  int row_ = -1;
};

void notice(void*, const char* message) { spdlog::debug("postgres: {}", message); }

using Conn = std::unique_ptr<PGconn, Free<PQfinish>>;

// Throws StoreError (unavailable) with libpq's reason.
Conn connect(const Settings& s) {
  auto timeout = std::to_string(s.connect_timeout.count());
  // Ours first: what the URL (or PG* variables) says wins over them.
  const char* keys[] = {"connect_timeout", "application_name", "keepalives", "keepalives_idle",
                        "keepalives_interval", "keepalives_count", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "mentorbot", "1", "10", "5", "3", s.url.c_str(), nullptr};
  Conn conn(PQconnectdbParams(keys, values, 1));
  if (!conn) throw StoreError("PostgreSQL: out of memory", StoreError::Kind::unavailable);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn.get());
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw StoreError("cannot reach PostgreSQL at " + redacted(s.url) + ": " + why, StoreError::Kind::unavailable);
  }
  PQsetNoticeProcessor(conn.get(), notice, nullptr);
  return conn;
}

class Connection final : public detail::Connection {
 public:
  explicit Connection(const Settings& s) : conn_(connect(s)) {
    exec(("SET statement_timeout = " + std::to_string(s.statement_timeout.count())).c_str());
    exec("SET client_min_messages = warning");
    if (s.read_only) exec("SET default_transaction_read_only = on");
  }

  Engine engine() const override { return Engine::postgresql; }
  void exec(const char* sql) override { check(conn_.get(), PQexec(conn_.get(), sql), "exec", changes_); }
  std::unique_ptr<detail::Statement> prepare(std::string_view sql, bool keep) override {
    return std::make_unique<Statement>(*this, std::string(sql), keep ? "s" + std::to_string(++named_) : "");
  }
  std::int64_t changes() const override { return changes_; }
  bool usable() const override { return PQstatus(conn_.get()) == CONNECTION_OK; }

  PGconn* raw() const { return conn_.get(); }
  std::int64_t changes_ = 0;

 private:
  Conn conn_;
  int named_ = 0;
};

bool Statement::step() {
  if (!result_) {
    PGconn* conn = connection_.raw();
    if (!name_.empty() && !prepared_) {
      // The server infers the parameters' types from where they stand.
      check(conn, PQprepare(conn, name_.c_str(), sql_.c_str(), 0, nullptr), "prepare", connection_.changes_);
      prepared_ = true;
    }
    std::vector<const char*> values(params_.size());
    std::vector<int> lengths(params_.size()), formats(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) {
      values[i] = params_[i].value ? params_[i].value->data() : nullptr;
      lengths[i] = params_[i].value ? static_cast<int>(params_[i].value->size()) : 0;
      formats[i] = params_[i].format;
    }
    auto n = static_cast<int>(params_.size());
    PGresult* raw = name_.empty()
                        ? PQexecParams(conn, sql_.c_str(), n, nullptr, values.data(), lengths.data(), formats.data(), 0)
                        : PQexecPrepared(conn, name_.c_str(), n, values.data(), lengths.data(), formats.data(), 0);
    result_ = check(conn, raw, "step", connection_.changes_);
    row_ = -1;
  }
  ++row_;
  return row_ < PQntuples(result_.get());
}

}  // namespace

Db open(const Settings& settings) { return Db(std::make_unique<Connection>(settings)); }

Listener::Listener(Settings settings, std::string channel, std::function<void(std::string_view)> heard,
                   std::function<void()> reconnected)
    : settings_(std::move(settings)),
      channel_(std::move(channel)),
      heard_(std::move(heard)),
      reconnected_(std::move(reconnected)),
      thread_([this] { run(); }) {}

Listener::~Listener() { stop(); }

void Listener::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void Listener::run() {
  pthread_setname_np(pthread_self(), "store-listen");
  bool warned = false;
  while (!stopping_) {
    try {
      auto conn = connect(settings_);
      std::int64_t ignored = 0;
      check(conn.get(), PQexec(conn.get(), ("LISTEN " + channel_).c_str()), "listen", ignored);
      if (warned) spdlog::info("listening for other replicas' news again");
      warned = false;
      reconnected_();
      while (!stopping_) {
        pollfd p{PQsocket(conn.get()), POLLIN, 0};
        if (::poll(&p, 1, 250) < 0 && errno != EINTR) break;
        if (PQconsumeInput(conn.get()) == 0) break;  // the connection is gone
        while (PGnotify* n = PQnotifies(conn.get())) {
          std::string payload = n->extra ? n->extra : "";
          PQfreemem(n);
          heard_(payload);
        }
      }
      if (!stopping_) throw StoreError(PQerrorMessage(conn.get()), StoreError::Kind::unavailable);
    } catch (const std::exception& e) {
      if (!warned) spdlog::warn("not hearing other replicas (slow polls meanwhile): {}", e.what());
      warned = true;
      for (int i = 0; i < 4 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }
}

std::string redacted(std::string_view url) {
  // …?password=secret&… → …?password=***&…
  if (auto q = url.find("password="); q != std::string_view::npos && (q == 0 || url[q - 1] == '?' || url[q - 1] == '&')) {
    auto end = url.find('&', q);
    std::string out = redacted(url.substr(0, q));
    out += "password=***";
    if (end != std::string_view::npos) out += url.substr(end);
    return out;
  }
  // scheme://user:password@host… → scheme://user:***@host…
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  auto authority_end = url.find_first_of("/?", scheme + 3);
  auto authority = url.substr(scheme + 3, authority_end == std::string_view::npos ? url.npos : authority_end - scheme - 3);
  auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, scheme + 3 + colon + 1));
  out += "***";
  out += url.substr(scheme + 3 + at);
  return out;
}

}  // namespace mentorbot::store::postgres
