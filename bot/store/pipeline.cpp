#include "store/pipeline.hpp"

#include <algorithm>
#include <limits>

#include "core/ascii.hpp"

namespace mentorbot::store::pipeline {
namespace {

constexpr const char* columns =
    "repo, number, installation_id, author, title, newcomer, turn, opened_at, turn_since, first_response_at,"
    " merged_at, closed_at, draft, ready_at, author_nudged_at, escalated_at";

Entry read_row(Stmt& s) {
  Entry e;
  std::int64_t newcomer = 0;
  std::int64_t draft = 0;
  s.columns(e.repo, e.number, e.installation_id, e.author, e.title, newcomer, e.turn, e.opened_at, e.turn_since,
            e.first_response_at, e.merged_at, e.closed_at, draft, e.ready_at, e.author_nudged_at, e.escalated_at);
  e.newcomer = newcomer != 0;
  e.draft = draft != 0;
  return e;
}


bool in_scope(const Entry& e, const Scope& scope) {
  auto repo = ascii_lower(e.repo);
  if (!scope.repo.empty()) return repo == ascii_lower(scope.repo);
  if (!scope.org.empty() && repo.starts_with(ascii_lower(scope.org) + "/")) return true;
  for (const auto& r : scope.repos) {
    if (repo == ascii_lower(r)) return true;
  }
  return scope.org.empty() && scope.repos.empty();
}

}  // namespace

void save(Db& db, const Entry& e) {
  Stmt& s = db.cached(
      "INSERT INTO pipeline (repo, number, installation_id, author, title, newcomer, turn, opened_at, turn_since,"
      " first_response_at, merged_at, closed_at, draft, ready_at, author_nudged_at, escalated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
      " ON CONFLICT (repo, number) DO UPDATE SET installation_id = excluded.installation_id,"
      " author = excluded.author, title = excluded.title, newcomer = excluded.newcomer, turn = excluded.turn,"
      " opened_at = excluded.opened_at, turn_since = excluded.turn_since,"
      " first_response_at = excluded.first_response_at, merged_at = excluded.merged_at,"
      " closed_at = excluded.closed_at, draft = excluded.draft, ready_at = excluded.ready_at,"
      // The once-only marks are set by mark_*; a row saved from an older read never clears them.
      " author_nudged_at = coalesce(pipeline.author_nudged_at, excluded.author_nudged_at),"
      " escalated_at = coalesce(pipeline.escalated_at, excluded.escalated_at)");
  s.bind(1, e.repo).bind(2, e.number).bind(3, e.installation_id).bind(4, e.author).bind(5, e.title);
  s.bind(6, e.newcomer ? 1 : 0).bind(7, e.turn).bind(8, e.opened_at).bind(9, e.turn_since);
  s.bind(10, e.first_response_at).bind(11, e.merged_at).bind(12, e.closed_at).bind(13, e.draft ? 1 : 0);
  s.bind(14, e.ready_at).bind(15, e.author_nudged_at).bind(16, e.escalated_at);
  s.run();
}

std::optional<Entry> find(Db& db, const std::string& repo, std::int64_t number) {
  Stmt s = db.prepare(std::string("SELECT ") + columns + " FROM pipeline WHERE repo = $1 AND number = $2");
  s.bind(1, repo).bind(2, number);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

std::vector<Entry> rows(Db& db, const Scope& scope, std::int64_t since_ms) {
  // Both indexes answer: the window by opened_at, the waiting by turn. The scope is a filter
  // here (a repository's name in any case, an owner's prefix): a few thousand rows at most.
  // Also each newcomer's earlier pull requests in the same repository: whether the window's is
  // their first is told by them.
  Stmt s = db.prepare(std::string("SELECT ") + columns + " FROM pipeline WHERE opened_at >= $1 UNION SELECT " +
                      columns + " FROM pipeline WHERE turn = 'first_response' UNION SELECT " + columns +
                      " FROM pipeline p WHERE p.opened_at < $1 AND p.newcomer = 1 AND EXISTS (SELECT 1 FROM pipeline q"
                      " WHERE lower(q.author) = lower(p.author) AND q.repo = p.repo AND q.opened_at >= $1)"
                      " ORDER BY opened_at, repo, number");
  s.bind(1, since_ms);
  std::vector<Entry> out;
  while (s.step()) {
    auto e = read_row(s);
    if (in_scope(e, scope)) out.push_back(std::move(e));
  }
  return out;
}

std::vector<Entry> due(Db& db, Note note, std::int64_t before_ms, const std::optional<Cursor>& after, int limit) {
  // Only rows a note may go to (a newcomer's, open, not a draft, not noted before), so that rows
  // that never get one cannot fill every page; a page at a time after `after`.
  std::string sql = std::string("SELECT ") + columns + " FROM pipeline WHERE turn = $1 AND turn_since < $2" +
                    " AND newcomer = 1 AND draft = 0 AND closed_at IS NULL AND installation_id IS NOT NULL AND " +
                    (note == Note::escalation ? "escalated_at" : "author_nudged_at") +
                    " IS NULL AND (turn_since > $3 OR (turn_since = $3 AND (repo > $4 OR (repo = $4 AND number > $5))))"
                    " ORDER BY turn_since, repo, number LIMIT $6";
  Stmt s = db.prepare(sql);
  Cursor from = after.value_or(Cursor{std::numeric_limits<std::int64_t>::min(), "", 0});
  s.bind(1, note == Note::escalation ? "first_response" : "author").bind(2, before_ms).bind(3, from.turn_since);
  s.bind(4, from.repo).bind(5, from.number).bind(6, limit);
  std::vector<Entry> out;
  while (s.step()) out.push_back(read_row(s));
  return out;
}

bool mark_escalated(Db& db, const std::string& repo, std::int64_t number, const std::string& turn, std::int64_t now_ms) {
  Stmt s = db.prepare(
      "UPDATE pipeline SET escalated_at = $4 WHERE repo = $1 AND number = $2 AND turn = $3 AND escalated_at IS NULL");
  s.bind(1, repo).bind(2, number).bind(3, turn).bind(4, now_ms);
  s.run();
  return db.changes() > 0;
}

bool mark_author_nudged(Db& db, const std::string& repo, std::int64_t number, const std::string& turn,
                        std::int64_t now_ms) {
  Stmt s = db.prepare(
      "UPDATE pipeline SET author_nudged_at = $4 WHERE repo = $1 AND number = $2 AND turn = $3"
      " AND author_nudged_at IS NULL");
  s.bind(1, repo).bind(2, number).bind(3, turn).bind(4, now_ms);
  s.run();
  return db.changes() > 0;
}

}  // namespace mentorbot::store::pipeline
