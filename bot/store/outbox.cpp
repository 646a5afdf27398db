#include "store/outbox.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

namespace mentorbot::store::outbox {
namespace {

constexpr const char* columns =
    "SELECT id, key, delivery_seq, installation_id, repo, number, kind, payload, state, attempts, next_at,"
    " created_at, sent_at, result, last_error FROM outbox ";

Row read_row(const Stmt& s) {
  Row r;
  r.id = s.int64(0);
  r.key = s.text(1);
  r.delivery_seq = s.opt_int64(2);
  r.installation_id = s.int64(3);
  r.repo = s.text(4);
  r.number = s.int64(5);
  r.kind = s.text(6);
  r.payload = s.text(7);
  r.state = s.text(8);
  r.attempts = static_cast<int>(s.int64(9));
  r.next_at = s.int64(10);
  r.created_at = s.int64(11);
  r.sent_at = s.opt_int64(12);
  r.result = s.opt_text(13);
  r.last_error = s.opt_text(14);
  return r;
}

}  // namespace

std::string marker(const std::string& key) {
  // "--" may not appear inside an HTML comment: a repository called a--b keeps its marker valid.
  std::string safe;
  for (char c : key) {
    if (c == '-' && !safe.empty() && safe.back() == '-') safe += '~';
    safe += c;
  }
  return "<!-- mentorbot:" + safe + " -->";
}

Added add(Db& db, const Write& w, std::optional<std::int64_t> delivery_seq, bool dry_run, std::int64_t now_ms) {
  if (w.key.empty() || w.key.find('>') != std::string::npos) {
    throw std::invalid_argument("outbox key \"" + w.key + "\" cannot be a marker");
  }
  Stmt& s = db.cached(
      "INSERT OR IGNORE INTO outbox (key, delivery_seq, installation_id, repo, number, kind, payload, state,"
      " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  s.bind(1, w.key).bind(2, delivery_seq).bind(3, w.installation_id).bind(4, w.repo).bind(5, w.number);
  s.bind(6, w.kind).bind(7, w.payload).bind(8, dry_run ? "dry-run" : "pending").bind(9, now_ms);
  s.run();
  if (db.changes() == 0) return Added::exists;
  if (dry_run) spdlog::info("dry-run: {} on {}#{} [{}]: {}", w.kind, w.repo, w.number, w.key, w.payload);
  return Added::added;
}

std::vector<Row> due(Db& db, int limit, std::int64_t now_ms, std::int64_t after_id) {
  Stmt& s = db.cached(std::string(columns) +
                      "WHERE state = 'pending' AND id > ?3 AND next_at <= ?1 ORDER BY id LIMIT ?2");
  s.bind(1, now_ms).bind(2, limit).bind(3, after_id);
  std::vector<Row> out;
  while (s.step()) out.push_back(read_row(s));
  s.reset();
  return out;
}

std::optional<std::int64_t> next_due(Db& db) {
  Stmt& s = db.cached("SELECT min(next_at) FROM outbox WHERE state = 'pending'");
  std::optional<std::int64_t> out;
  if (s.step()) out = s.opt_int64(0);
  s.reset();
  return out;
}

void mark_sending(Db& db, std::int64_t id) {
  Stmt& s = db.cached("UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?1");
  s.bind(1, id);
  s.run();
}

void mark_sent(Db& db, std::int64_t id, const std::string& result, std::int64_t now_ms) {
  Stmt& s = db.cached("UPDATE outbox SET state = 'sent', result = ?2, sent_at = ?3, last_error = NULL WHERE id = ?1");
  s.bind(1, id).bind(2, result).bind(3, now_ms);
  s.run();
}

void mark_retry(Db& db, std::int64_t id, const std::string& error, std::int64_t next_at_ms) {
  Stmt& s = db.cached("UPDATE outbox SET state = 'pending', last_error = ?2, next_at = ?3 WHERE id = ?1");
  s.bind(1, id).bind(2, error).bind(3, next_at_ms);
  s.run();
}

void unclaim(Db& db, std::int64_t id, std::int64_t next_at_ms, const std::string& reason) {
  Stmt& s = db.cached(
      "UPDATE outbox SET state = 'pending', attempts = max(attempts - 1, 0), next_at = ?2, last_error = ?3"
      " WHERE id = ?1 AND state = 'sending'");
  s.bind(1, id).bind(2, next_at_ms).bind(3, reason);
  s.run();
}

void mark_failed(Db& db, std::int64_t id, const std::string& error, std::int64_t now_ms) {
  Stmt& s = db.cached("UPDATE outbox SET state = 'failed', last_error = ?2, sent_at = ?3 WHERE id = ?1");
  s.bind(1, id).bind(2, error).bind(3, now_ms);
  s.run();
}

int requeue_sending(Db& db) {
  Stmt s = db.prepare("UPDATE outbox SET state = 'pending' WHERE state = 'sending'");
  s.run();
  return db.changes();
}

std::optional<Row> find(Db& db, const std::string& key) {
  Stmt s = db.prepare(std::string(columns) + "WHERE key = ?1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

std::vector<Row> for_delivery(Db& db, std::int64_t delivery_seq) {
  Stmt s = db.prepare(std::string(columns) + "WHERE delivery_seq = ?1 ORDER BY id");
  s.bind(1, delivery_seq);
  std::vector<Row> out;
  while (s.step()) out.push_back(read_row(s));
  return out;
}

std::vector<Row> for_pull_request(Db& db, const std::string& repo, std::int64_t number) {
  Stmt s = db.prepare(std::string(columns) + "WHERE repo = ?1 AND number = ?2 ORDER BY id");
  s.bind(1, repo).bind(2, number);
  std::vector<Row> out;
  while (s.step()) out.push_back(read_row(s));
  return out;
}

std::map<std::string, std::int64_t> open_counts(Db& db) {
  std::map<std::string, std::int64_t> out{{"pending", 0}, {"sending", 0}};
  Stmt s = db.prepare("SELECT state, count(*) FROM outbox WHERE state IN ('pending', 'sending') GROUP BY state");
  while (s.step()) out[s.text(0)] = s.int64(1);
  return out;
}

}  // namespace mentorbot::store::outbox
