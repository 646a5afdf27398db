#include "store/write_lanes.hpp"

namespace mentorbot::store::write_lanes {
namespace {

constexpr std::int64_t busy_retry_ms = 100;  // a lane another process is changing: look again after

int requeue_sending(Db& db, std::int64_t installation_id, std::int64_t not_before) {
  Stmt& s = db.cached(
      "UPDATE outbox SET state = 'pending', next_at = CASE WHEN next_at < $2 THEN $2 ELSE next_at END"
      " WHERE state = 'sending' AND installation_id = $1");
  s.bind(1, installation_id).bind(2, not_before);
  s.run();
  return db.changes();
}

}  // namespace

Lane acquire(Db& db, std::int64_t installation_id, std::string_view owner, std::int64_t now_ms, std::int64_t lease_ms,
             std::int64_t requeued_not_before) {
  Lane lane{installation_id};
  // Looked at first without a lock: a lane another process holds is not waited for (its
  // renewal may be in a transaction that waits for something of this one's: a deadlock).
  Stmt& look = db.cached("SELECT owner, lease_until, next_send_at FROM write_lanes WHERE installation_id = $1");
  std::optional<std::string> holder;
  auto read = [&](Stmt& s) {
    s.bind(1, installation_id);
    bool found = s.step();
    if (found) s.columns(holder, lane.lease_until, lane.next_send_at);
    s.reset();
    return found;
  };
  if (!read(look)) {
    // The first write of this installation (an insert beside another process's uncommitted
    // update of an existing row would wait for it: only a missing row is created).
    Stmt& create = db.cached("INSERT INTO write_lanes (installation_id) VALUES ($1) ON CONFLICT DO NOTHING");
    create.bind(1, installation_id);
    create.run();
    read(look);
  }
  if (holder && *holder != owner && lane.lease_until >= now_ms) return lane;  // someone else's, alive
  if (db.engine() == Engine::postgresql) {
    // Takeable: locked for the rest of the transaction, unless another process is changing it
    // right now (then it is looked at again shortly). SQLite has one writer.
    Stmt& lock = db.cached(
        "SELECT owner, lease_until, next_send_at FROM write_lanes WHERE installation_id = $1 FOR UPDATE SKIP LOCKED");
    holder.reset();
    if (!read(lock)) {
      lane.lease_until = now_ms + busy_retry_ms;
      return lane;
    }
    if (holder && *holder != owner && lane.lease_until >= now_ms) return lane;
  }
  Stmt& take = db.cached("UPDATE write_lanes SET owner = $2, lease_until = $3 WHERE installation_id = $1");
  take.bind(1, installation_id).bind(2, owner).bind(3, now_ms + lease_ms);
  take.run();
  lane.held = true;
  lane.lease_until = now_ms + lease_ms;
  if (!holder || *holder != owner) {
    // What the previous holder marked as on its way and never recorded.
    lane.taken_over = holder.has_value();
    lane.requeued = requeue_sending(db, installation_id, requeued_not_before);
  }
  return lane;
}

std::vector<std::int64_t> renew(Db& db, std::string_view owner, std::int64_t until_ms) {
  // Never waits: a lane another process has locked is one it takes over (this lease lapsed).
  Stmt& s = db.cached(db.engine() == Engine::postgresql
                          ? "UPDATE write_lanes SET lease_until = $2 WHERE installation_id IN (SELECT installation_id"
                            " FROM write_lanes WHERE owner = $1 FOR UPDATE SKIP LOCKED) AND owner = $1 RETURNING installation_id"
                          : "UPDATE write_lanes SET lease_until = $2 WHERE owner = $1 RETURNING installation_id");
  s.bind(1, owner).bind(2, until_ms);
  std::vector<std::int64_t> out;
  while (s.step()) out.push_back(s.int64(0));
  s.reset();
  return out;
}

void paced(Db& db, std::int64_t installation_id, std::int64_t at_ms) {
  Stmt& s = db.cached("UPDATE write_lanes SET next_send_at = $2 WHERE installation_id = $1 AND next_send_at < $2");
  s.bind(1, installation_id).bind(2, at_ms);
  s.run();
}

namespace {
int let_go(Db& db, const char* which, std::string_view who, std::int64_t not_before) {
  Stmt lanes = db.prepare(std::string("SELECT installation_id FROM write_lanes WHERE ") + which);
  lanes.bind(1, who);
  std::vector<std::int64_t> ids;
  while (lanes.step()) ids.push_back(lanes.int64(0));
  lanes.reset();
  int requeued = 0;
  for (auto id : ids) requeued += requeue_sending(db, id, not_before);
  Stmt free = db.prepare(std::string("UPDATE write_lanes SET owner = NULL, lease_until = 0 WHERE ") + which);
  free.bind(1, who);
  free.run();
  return requeued;
}
}  // namespace

int release(Db& db, std::string_view owner) { return let_go(db, "owner = $1", owner, 0); }

int recover(Db& db, std::string_view prefix, std::int64_t requeued_not_before) {
  int requeued = let_go(db, "$1 = '' OR substr(owner, 1, length($1)) = $1", prefix, requeued_not_before);
  if (prefix.empty()) {
    // One process per database: whatever is on its way was left by the last run.
    Stmt s = db.prepare(
        "UPDATE outbox SET state = 'pending', next_at = CASE WHEN next_at < $1 THEN $1 ELSE next_at END"
        " WHERE state = 'sending'");
    s.bind(1, requeued_not_before);
    s.run();
    requeued += db.changes();
  }
  return requeued;
}

}  // namespace mentorbot::store::write_lanes
