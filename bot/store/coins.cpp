#include "store/coins.hpp"

#include "store/notify.hpp"

#include <algorithm>

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace mentorbot::store::coins {
namespace {

constexpr const char* award_columns =
    "SELECT id, key, kind, login, avatar_url, repo, number, title, reason, newcomer, first_timer, awarded_by, "
    "awarded_at FROM coins ";
constexpr const char* sprint_columns =
    "SELECT slug, name, starts_at, ends_at, org, repos, participants, created_at FROM sprints ";

Award read_award(const Stmt& s) {
  Award a;
  s.columns(a.id, a.key, a.kind, a.login, a.avatar_url, a.repo, a.number, a.title, a.reason, a.newcomer, a.first_timer,
            a.awarded_by, a.awarded_at);
  return a;
}

std::string to_json(const std::vector<std::string>& list) {
  boost::json::array a;
  for (const auto& item : list) a.emplace_back(item);
  return boost::json::serialize(a);
}

std::vector<std::string> from_json(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

Sprint read_sprint(const Stmt& s) {
  Sprint sp;
  std::string repos, participants;
  s.columns(sp.slug, sp.name, sp.starts_at, sp.ends_at, sp.org, repos, participants, sp.created_at);
  sp.repos = from_json(repos);
  sp.participants = from_json(participants);
  return sp;
}

}  // namespace

bool Sprint::counts(const Award& a) const {
  if (a.awarded_at < starts_at || a.awarded_at >= ends_at) return false;
  auto slash = a.repo.find('/');
  bool in_scope = !org.empty() && slash != std::string::npos && boost::beast::iequals(a.repo.substr(0, slash), org);
  in_scope = in_scope || std::any_of(repos.begin(), repos.end(), [&](const auto& r) { return boost::beast::iequals(r, a.repo); });
  if (!in_scope) return false;
  return participants.empty() ||
         std::any_of(participants.begin(), participants.end(), [&](const auto& p) { return boost::beast::iequals(p, a.login); });
}

bool award(Db& db, const Award& a) {
  if (db.engine() == Engine::postgresql) {
    // Ledger ids are the order of the live event stream, and viewers read "everything after the
    // last id I saw": an id must never become visible after a larger one. Coins are awarded one
    // transaction at a time (the lock is held until commit), so ids commit in order across
    // replicas. SQLite has one writer: there they always do.
    db.cached("SELECT pg_advisory_xact_lock(7305437)").run();
  }
  Stmt& s = db.cached(
      "INSERT INTO coins (key, kind, login, avatar_url, repo, number, title, reason, newcomer, first_timer,"
      " awarded_by, awarded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING");
  s.bind(1, a.key).bind(2, a.kind).bind(3, a.login).bind(4, a.avatar_url).bind(5, a.repo).bind(6, a.number);
  s.bind(7, a.title).bind(8, a.reason).bind(9, a.newcomer ? 1 : 0).bind(10, a.first_timer ? 1 : 0);
  s.bind(11, a.awarded_by).bind(12, a.awarded_at);
  s.run();
  if (db.changes() == 0) return false;
  notify::announce(db, notify::coin);
  return true;
}

bool exists(Db& db, const std::string& key) {
  Stmt s = db.prepare("SELECT 1 FROM coins WHERE key = $1");
  s.bind(1, key);
  return s.step();
}

std::optional<Award> find(Db& db, const std::string& key) {
  Stmt s = db.prepare(std::string(award_columns) + "WHERE key = $1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return read_award(s);
}

std::int64_t count(Db& db, const std::string& login, const std::string& repo, const std::string& kind) {
  Stmt s = db.prepare("SELECT count(*) FROM coins WHERE login = $1 AND repo = $2 AND ($3 = '' OR kind = $3)");
  s.bind(1, login).bind(2, repo).bind(3, kind);
  s.step();
  return s.int64(0);
}

std::int64_t total(Db& db, const std::string& login) {
  // GitHub logins ignore case. Each engine has its index for that: SQLite a NOCASE collation,
  // PostgreSQL an index on lower(login) (which SQLite's planner would not use).
  Stmt s = db.prepare(db.engine() == Engine::sqlite ? "SELECT count(*) FROM coins WHERE login = $1 COLLATE NOCASE"
                                                    : "SELECT count(*) FROM coins WHERE lower(login) = lower($1)");
  s.bind(1, login);
  s.step();
  return s.int64(0);
}

std::vector<Award> since(Db& db, std::int64_t after, int limit) {
  Stmt s = db.prepare(std::string(award_columns) + "WHERE id > $1 ORDER BY id LIMIT $2");
  s.bind(1, after).bind(2, limit);
  std::vector<Award> out;
  while (s.step()) out.push_back(read_award(s));
  return out;
}

std::int64_t last_id(Db& db) {
  Stmt s = db.prepare("SELECT coalesce(max(id), 0) FROM coins");
  s.step();
  return s.int64(0);
}

bool create_sprint(Db& db, const Sprint& sp) {
  Stmt& s = db.cached(
      "INSERT INTO sprints (slug, name, starts_at, ends_at, org, repos, participants, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING");
  s.bind(1, sp.slug).bind(2, sp.name).bind(3, sp.starts_at).bind(4, sp.ends_at).bind(5, sp.org);
  s.bind(6, to_json(sp.repos)).bind(7, to_json(sp.participants)).bind(8, sp.created_at);
  s.run();
  return db.changes() > 0;
}

std::vector<Sprint> sprints(Db& db) {
  Stmt s = db.prepare(std::string(sprint_columns) + "ORDER BY starts_at DESC, slug");
  std::vector<Sprint> out;
  while (s.step()) out.push_back(read_sprint(s));
  return out;
}

std::optional<Sprint> find_sprint(Db& db, const std::string& slug) {
  Stmt s = db.prepare(std::string(sprint_columns) + "WHERE slug = $1");
  s.bind(1, slug);
  if (!s.step()) return std::nullopt;
  return read_sprint(s);
}

std::optional<Sprint> current_sprint(Db& db, std::int64_t now_ms) {
  Stmt s = db.prepare(std::string(sprint_columns) +
                      "WHERE starts_at <= $1 AND ends_at > $1 ORDER BY starts_at DESC, slug LIMIT 1");
  s.bind(1, now_ms);
  if (!s.step()) return std::nullopt;
  return read_sprint(s);
}

std::vector<Award> awards(Db& db, const std::optional<Sprint>& sprint) {
  std::vector<Award> out;
  if (!sprint) {
    Stmt s = db.prepare(std::string(award_columns) + "ORDER BY awarded_at, id");
    while (s.step()) out.push_back(read_award(s));
    return out;
  }
  // The window narrows it in SQL; scope and participants are checked here, as for the live events.
  Stmt s = db.prepare(std::string(award_columns) + "WHERE awarded_at >= $1 AND awarded_at < $2 ORDER BY awarded_at, id");
  s.bind(1, sprint->starts_at).bind(2, sprint->ends_at);
  while (s.step()) {
    auto a = read_award(s);
    if (sprint->counts(a)) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace mentorbot::store::coins
