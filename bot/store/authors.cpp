#include "store/authors.hpp"

namespace mentorbot::store::authors {

std::optional<Saved> load(Db& db, const std::string& repo) {
  Stmt head = db.prepare("SELECT tip, commits FROM author_index WHERE repo = $1");
  head.bind(1, repo);
  if (!head.step()) return std::nullopt;
  Saved s;
  s.tip = head.text(0);
  s.commits = head.int64(1);
  Stmt rows = db.prepare("SELECT name, email, commits, first_commit_at FROM author_identities WHERE repo = $1");
  rows.bind(1, repo);
  while (rows.step()) s.identities.push_back({rows.text(0), rows.text(1), rows.int64(2), rows.int64(3)});
  return s;
}

void replace(Db& db, const std::string& repo, const std::string& tip, const std::vector<Identity>& identities,
             std::int64_t now_ms) {
  Stmt clear = db.prepare("DELETE FROM author_identities WHERE repo = $1");
  clear.bind(1, repo);
  clear.run();
  Stmt head = db.prepare(
      "INSERT INTO author_index (repo, tip, commits, updated_at) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (repo) DO UPDATE SET tip = excluded.tip, commits = excluded.commits, updated_at = excluded.updated_at");
  head.bind(1, repo).bind(2, tip).bind(3, 0).bind(4, now_ms);
  head.run();
  add(db, repo, tip, identities, now_ms);
}

void add(Db& db, const std::string& repo, const std::string& tip, const std::vector<Identity>& identities,
         std::int64_t now_ms) {
  Stmt& row = db.cached(
      "INSERT INTO author_identities (repo, name, email, commits, first_commit_at) VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (repo, name, email) DO UPDATE SET commits = author_identities.commits + excluded.commits,"
      " first_commit_at = CASE WHEN excluded.first_commit_at < author_identities.first_commit_at"
      " THEN excluded.first_commit_at ELSE author_identities.first_commit_at END");
  std::int64_t added = 0;
  for (const auto& i : identities) {
    row.bind(1, repo).bind(2, i.name).bind(3, i.email).bind(4, i.commits).bind(5, i.first_commit_at);
    row.run();
    added += i.commits;
  }
  Stmt head = db.prepare(
      "INSERT INTO author_index (repo, tip, commits, updated_at) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (repo) DO UPDATE SET tip = excluded.tip, commits = author_index.commits + $3,"
      " updated_at = excluded.updated_at");
  head.bind(1, repo).bind(2, tip).bind(3, added).bind(4, now_ms);
  head.run();
}

}  // namespace mentorbot::store::authors
