#include "store/sweeps.hpp"

namespace mentorbot::store::sweeps {

bool claim(Db& db, std::string_view name, std::string_view owner, std::int64_t now_ms, std::int64_t every_ms) {
  Stmt& create = db.cached("INSERT INTO sweeps (name) VALUES ($1) ON CONFLICT DO NOTHING");
  create.bind(1, name);
  create.run();
  // A little early still counts: periods of processes started at different times drift apart.
  Stmt& take = db.cached("UPDATE sweeps SET owner = $2, next_run_at = $3 WHERE name = $1 AND next_run_at <= $4");
  take.bind(1, name).bind(2, owner).bind(3, now_ms + every_ms).bind(4, now_ms + every_ms / 10);
  take.run();
  return db.changes() == 1;
}

}  // namespace mentorbot::store::sweeps
