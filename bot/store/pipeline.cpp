#include "store/pipeline.hpp"

namespace mentorbot::store::pipeline {

void save(Db& db, const Entry& e) {
  Stmt& s = db.cached(
      "INSERT INTO pipeline (repo, number, installation_id, author, title, newcomer, turn, opened_at, turn_since,"
      " first_response_at, merged_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
      " ON CONFLICT (repo, number) DO UPDATE SET installation_id = excluded.installation_id,"
      " author = excluded.author, title = excluded.title, newcomer = excluded.newcomer, turn = excluded.turn,"
      " opened_at = excluded.opened_at, turn_since = excluded.turn_since,"
      " first_response_at = excluded.first_response_at, merged_at = excluded.merged_at,"
      " closed_at = excluded.closed_at");
  s.bind(1, e.repo).bind(2, e.number).bind(3, e.installation_id).bind(4, e.author).bind(5, e.title);
  s.bind(6, e.newcomer ? 1 : 0).bind(7, e.turn).bind(8, e.opened_at).bind(9, e.turn_since);
  s.bind(10, e.first_response_at).bind(11, e.merged_at).bind(12, e.closed_at);
  s.run();
}

std::optional<Entry> find(Db& db, const std::string& repo, std::int64_t number) {
  Stmt s = db.prepare(
      "SELECT repo, number, installation_id, author, title, newcomer, turn, opened_at, turn_since,"
      " first_response_at, merged_at, closed_at FROM pipeline WHERE repo = $1 AND number = $2");
  s.bind(1, repo).bind(2, number);
  if (!s.step()) return std::nullopt;
  Entry e;
  std::int64_t newcomer = 0;
  s.columns(e.repo, e.number, e.installation_id, e.author, e.title, newcomer, e.turn, e.opened_at, e.turn_since,
            e.first_response_at, e.merged_at, e.closed_at);
  e.newcomer = newcomer != 0;
  return e;
}

}  // namespace mentorbot::store::pipeline
