#include "store/pull_requests.hpp"

namespace mentorbot::store::pull_requests {
namespace {

constexpr const char* columns =
    "SELECT repo, number, installation_id, author, status, waiting_since, responded_at, closed_at, nudged_at "
    "FROM pull_requests ";

Tracked read(const Stmt& s) {
  Tracked t;
  s.columns(t.repo, t.number, t.installation_id, t.author, t.status, t.waiting_since, t.responded_at, t.closed_at,
            t.nudged_at);
  return t;
}

void set(Db& db, const char* column, const std::string& repo, std::int64_t number, std::int64_t now_ms,
         bool only_first) {
  std::string sql = std::string("UPDATE pull_requests SET ") + column + " = $3 WHERE repo = $1 AND number = $2";
  if (only_first) sql += std::string(" AND ") + column + " IS NULL";
  Stmt& s = db.cached(sql);
  s.bind(1, repo).bind(2, number).bind(3, now_ms);
  s.run();
}

}  // namespace

void opened(Db& db, const Tracked& pr, std::int64_t now_ms) {
  Stmt& s = db.cached(
      "INSERT INTO pull_requests (repo, number, installation_id, author, status, waiting_since)"
      " VALUES ($1, $2, $3, $4, $5, $6)"
      " ON CONFLICT (repo, number) DO UPDATE SET closed_at = NULL, waiting_since = excluded.waiting_since");
  s.bind(1, pr.repo).bind(2, pr.number).bind(3, pr.installation_id).bind(4, pr.author).bind(5, pr.status).bind(6, now_ms);
  s.run();
}

void closed(Db& db, const std::string& repo, std::int64_t number, std::int64_t now_ms) {
  set(db, "closed_at", repo, number, now_ms, false);
}

void responded(Db& db, const std::string& repo, std::int64_t number, std::int64_t now_ms) {
  set(db, "responded_at", repo, number, now_ms, true);
}

void nudged(Db& db, const std::string& repo, std::int64_t number, std::int64_t now_ms) {
  set(db, "nudged_at", repo, number, now_ms, true);
}

std::optional<Tracked> find(Db& db, const std::string& repo, std::int64_t number) {
  Stmt s = db.prepare(std::string(columns) + "WHERE repo = $1 AND number = $2");
  s.bind(1, repo).bind(2, number);
  if (!s.step()) return std::nullopt;
  return read(s);
}

void approved(Db& db, const std::string& repo, std::int64_t number, const Approval& a) {
  Stmt& s = db.cached(
      "INSERT INTO pull_request_approvals (repo, number, login, avatar_url, approved_at)"
      " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
  s.bind(1, repo).bind(2, number).bind(3, a.login).bind(4, a.avatar_url).bind(5, a.approved_at);
  s.run();
}

void withdrawn(Db& db, const std::string& repo, std::int64_t number, const std::string& login) {
  Stmt& s = db.cached("DELETE FROM pull_request_approvals WHERE repo = $1 AND number = $2 AND login = $3");
  s.bind(1, repo).bind(2, number).bind(3, login);
  s.run();
}

std::vector<Approval> approvals(Db& db, const std::string& repo, std::int64_t number) {
  Stmt s = db.prepare(
      "SELECT login, avatar_url, approved_at FROM pull_request_approvals WHERE repo = $1 AND number = $2"
      " ORDER BY approved_at, login");
  s.bind(1, repo).bind(2, number);
  std::vector<Approval> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.int64(2)});
  return out;
}

std::vector<Tracked> waiting(Db& db, std::int64_t before_ms, int limit) {
  Stmt s = db.prepare(std::string(columns) +
                      "WHERE closed_at IS NULL AND responded_at IS NULL AND nudged_at IS NULL AND waiting_since < $1"
                      " ORDER BY waiting_since LIMIT $2");
  s.bind(1, before_ms).bind(2, limit);
  std::vector<Tracked> out;
  while (s.step()) out.push_back(read(s));
  return out;
}

}  // namespace mentorbot::store::pull_requests
