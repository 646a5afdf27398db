#include "store/inbox.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "store/notify.hpp"

#include <vector>

namespace mentorbot::store::inbox {

std::string describe(const NewDelivery& d) {
  json::object o;
  o["guid"] = d.guid;
  o["event"] = d.event;
  if (d.action) o["action"] = *d.action;
  if (d.installation_id) o["installation_id"] = *d.installation_id;
  if (d.repo) o["repo"] = *d.repo;
  if (d.number) o["number"] = *d.number;
  o["received_at"] = d.received_at;
  return json::serialize(o);
}

NewDelivery from_description(std::string_view description) {
  auto v = json::parse(description);
  NewDelivery d;
  d.guid = json_string(v, {"guid"}).value_or("");
  d.event = json_string(v, {"event"}).value_or("");
  d.action = json_string(v, {"action"});
  d.installation_id = json_int(v, {"installation_id"});
  d.repo = json_string(v, {"repo"});
  d.number = json_int(v, {"number"});
  d.received_at = json_int(v, {"received_at"}).value_or(0);
  if (d.guid.empty() || d.event.empty()) throw StoreError("a payload log record has no delivery id");
  return d;
}

int rebuild_from_log(Db& db, PayloadLog& log) {
  std::optional<PayloadRef> newest;
  {
    Stmt s = db.prepare(
        "SELECT payload_segment, payload_offset, payload_length FROM deliveries"
        " WHERE payload_segment IS NOT NULL ORDER BY seq DESC LIMIT 1");
    if (s.step()) newest = PayloadRef{s.int64(0), s.int64(1), s.int64(2)};
  }
  int restored = 0;
  Txn txn(db);
  log.recover(newest, [&](const PayloadRef& ref, std::string_view description, std::string_view) {
    if (insert(db, from_description(description), PayloadPlace{ref, {}}) == Inserted::stored) ++restored;
  });
  txn.commit();
  return restored;
}

std::string lane_of(const Delivery& d) {
  if (d.repo && d.number) return *d.repo + "#" + std::to_string(*d.number);
  if (d.repo) return *d.repo;
  if (d.installation_id) return "installation:" + std::to_string(*d.installation_id);
  return "delivery:" + d.guid;
}

Inserted insert(Db& db, const NewDelivery& d, const PayloadPlace& payload) {
  Stmt& row = db.cached(
      "INSERT INTO deliveries (guid, event, action, installation_id, repo, number, received_at,"
      " payload_segment, payload_offset, payload_length, lane)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING seq");
  row.bind(1, d.guid).bind(2, d.event).bind(3, d.action).bind(4, d.installation_id).bind(5, d.repo);
  row.bind(6, d.number).bind(7, d.received_at).bind(11, lane_of(d));
  if (payload.log) {
    row.bind(8, payload.log->segment).bind(9, payload.log->offset).bind(10, payload.log->length);
  } else {
    row.bind_null(8).bind_null(9).bind_null(10);
  }
  std::optional<std::int64_t> seq;
  if (row.step()) seq = row.int64(0);
  row.reset();
  if (!seq) return Inserted::duplicate;
  notify::announce(db, notify::delivery);
  if (d.event == "push" && d.repo) notify::announce(db, std::string(notify::push_prefix) + *d.repo);
  if (!payload.log) {
    Stmt& body = db.cached("INSERT INTO delivery_bodies (seq, body) VALUES ($1, $2)");
    body.bind(1, *seq).bind_blob(2, payload.bytes);
    body.run();
  }
  return Inserted::stored;
}

void store_delivery(WriteQueue& writes, NewDelivery delivery, std::string payload, Stored done) {
  auto d = std::make_shared<NewDelivery>(std::move(delivery));
  auto inserted = std::make_shared<Inserted>(Inserted::duplicate);
  auto description = describe(*d);
  writes.submit_with_payload(
      std::make_shared<const std::string>(std::move(payload)), std::move(description),
      [d, inserted](Db& db, const PayloadPlace& place) { *inserted = insert(db, *d, place); },
      [d, inserted, done = std::move(done)](std::exception_ptr error) { done(*d, error, *inserted); });
}

namespace {

constexpr const char* claimed_columns =
    "seq, guid, event, action, installation_id, repo, number, attempts, payload_segment, payload_offset, payload_length";

Claimed claimed_from(const Stmt& s) {
  Claimed c;
  std::optional<std::int64_t> segment, offset, length;
  s.columns(c.seq, c.guid, c.event, c.action, c.installation_id, c.repo, c.number, c.attempts, segment, offset, length);
  if (segment && offset && length) c.payload = PayloadRef{*segment, *offset, *length};
  return c;
}

}  // namespace

std::vector<Claimed> claim_deliveries(Db& db, int limit, std::int64_t now_ms, const Claimant& who) {
  // Candidates: due, or running under a lapsed lease, and not held back by anything earlier in
  // their lane (a retry waiting for its time, or a delivery another process runs). Each comes
  // with how many earlier unfinished deliveries of its lane this process does not run yet.
  // The one place the engines' SQL differs in kind: on PostgreSQL other replicas claim at the
  // same moment, and rows they have locked are skipped, not waited for.
  static const std::string pick = std::string("SELECT ") + claimed_columns + ", state, lane,"
      " (SELECT count(*) FROM deliveries e WHERE e.lane = d.lane AND e.seq < d.seq"
      "    AND e.state IN ('pending', 'running') AND (e.state = 'pending' OR e.owner IS NULL OR e.owner <> $3))"
      " FROM deliveries d"
      " WHERE ((d.state = 'pending' AND d.next_at <= $1)"
      "     OR (d.state = 'running' AND d.lease_until < $1 AND d.owner <> $3))"
      " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.lane = d.lane AND e.seq < d.seq"
      "     AND ((e.state = 'pending' AND e.next_at > $1)"
      "       OR (e.state = 'running' AND (e.owner IS NULL OR e.owner <> $3) AND e.lease_until >= $1)))"
      " ORDER BY d.seq LIMIT $2";
  static const std::string pick_locking = pick + " FOR UPDATE SKIP LOCKED";
  Stmt& candidates = db.cached(db.engine() == Engine::postgresql ? pick_locking : pick);
  candidates.bind(1, now_ms).bind(2, limit).bind(3, who.owner);
  // A candidate is taken only when every earlier unfinished delivery of its lane is taken with
  // it: one skipped (another process is claiming it right now) holds the rest of its lane back.
  std::map<std::string, std::int64_t> taken_in_lane;
  std::vector<Claimed> out;
  while (candidates.step()) {
    auto lane = candidates.text(12);
    auto& taken = taken_in_lane[lane];
    if (candidates.int64(13) != taken) continue;
    ++taken;
    out.push_back(claimed_from(candidates));
    ++out.back().attempts;  // this one
    out.back().taken_over = candidates.text(11) == "running";
  }
  candidates.reset();
  Stmt& mark = db.cached(
      "UPDATE deliveries SET state = 'running', attempts = attempts + 1, owner = $2, lease_until = $3 WHERE seq = $1");
  for (const auto& c : out) {
    mark.bind(1, c.seq).bind(2, who.owner).bind(3, now_ms + who.lease_ms);
    mark.run();
  }
  return out;
}

int renew_leases(Db& db, std::string_view owner, std::int64_t until_ms) {
  // Never waits: a row another process has locked is one it takes over (this lease lapsed).
  Stmt& s = db.cached(db.engine() == Engine::postgresql
                          ? "UPDATE deliveries SET lease_until = $2 WHERE seq IN (SELECT seq FROM deliveries"
                            " WHERE state = 'running' AND owner = $1 FOR UPDATE SKIP LOCKED) AND owner = $1"
                          : "UPDATE deliveries SET lease_until = $2 WHERE state = 'running' AND owner = $1");
  s.bind(1, owner).bind(2, until_ms);
  s.run();
  return db.changes();
}

std::optional<Claimed> claim_delivery(Db& db, std::int64_t seq, const Claimant& who) {
  Stmt s = db.prepare(std::string("UPDATE deliveries SET state = 'running', attempts = attempts + 1, owner = $2,"
                                  " lease_until = $3 WHERE seq = $1 RETURNING ") + claimed_columns);
  s.bind(1, seq).bind(2, who.owner).bind(3, unix_ms() + who.lease_ms);
  if (!s.step()) return std::nullopt;
  auto c = claimed_from(s);
  while (s.step()) {
  }
  return c;
}

std::optional<std::string> payload_of(Db& db, const PayloadLog* log, std::int64_t seq) {
  Stmt& kept = db.cached("SELECT body FROM delivery_bodies WHERE seq = $1");
  kept.bind(1, seq);
  std::optional<std::string> out;
  if (kept.step()) out = kept.text(0);
  kept.reset();
  if (out || !log) return out;
  Stmt& where = db.cached("SELECT payload_segment, payload_offset, payload_length FROM deliveries WHERE seq = $1");
  where.bind(1, seq);
  std::optional<PayloadRef> ref;
  if (where.step() && !where.is_null(0)) ref = PayloadRef{where.int64(0), where.int64(1), where.int64(2)};
  where.reset();
  if (!ref) return std::nullopt;
  return log->read(*ref);
}

void release_delivery(Db& db, std::int64_t seq, std::string_view owner) {
  Stmt& s = db.cached(
      "UPDATE deliveries SET state = 'pending', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,"
      " owner = NULL, lease_until = NULL WHERE seq = $1 AND state = 'running' AND ($2 = '' OR owner = $2)");
  s.bind(1, seq).bind(2, owner);
  s.run();
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::handled: return "handled";
    case Outcome::ignored: return "ignored";
    case Outcome::retry: return "retry";
    case Outcome::failed: return "failed";
  }
  return "failed";
}

namespace {
// A result counts only while its process holds the delivery (no owner: tools and tests).
void expect_held(Db& db, std::int64_t seq, std::string_view owner) {
  if (db.changes() == 0 && !owner.empty()) {
    throw StoreError("delivery #" + std::to_string(seq) + " was taken over by another process", StoreError::Kind::taken_over);
  }
}
}  // namespace

void finish_delivery(Db& db, std::int64_t seq, Outcome outcome, std::int64_t now_ms, std::string_view owner) {
  Stmt& s = db.cached(
      "UPDATE deliveries SET state = 'done', outcome = $2, finished_at = $3, last_error = NULL, owner = NULL,"
      " lease_until = NULL WHERE seq = $1 AND ($4 = '' OR (owner = $4 AND state = 'running'))");
  s.bind(1, seq).bind(2, to_string(outcome)).bind(3, now_ms).bind(4, owner);
  s.run();
  expect_held(db, seq, owner);
}

void retry_delivery(Db& db, std::int64_t seq, std::string_view error, std::int64_t next_at_ms, std::string_view owner) {
  Stmt& s = db.cached(
      "UPDATE deliveries SET state = 'pending', last_error = $2, next_at = $3, owner = NULL, lease_until = NULL"
      " WHERE seq = $1 AND ($4 = '' OR (owner = $4 AND state = 'running'))");
  s.bind(1, seq).bind(2, error).bind(3, next_at_ms).bind(4, owner);
  s.run();
  expect_held(db, seq, owner);
}

namespace {
void keep_payload(Db& db, const PayloadLog* log, std::int64_t seq) {
  std::optional<std::string> payload;
  try {
    payload = payload_of(db, log, seq);
  } catch (const StoreError&) {
    return;  // a damaged record is not worth keeping
  }
  if (!payload) return;
  Stmt& keep = db.cached("INSERT INTO delivery_bodies (seq, body) VALUES ($1, $2) ON CONFLICT DO NOTHING");
  keep.bind(1, seq).bind_blob(2, *payload);
  keep.run();
}
}  // namespace

void park_delivery(Db& db, const PayloadLog* log, std::int64_t seq, std::string_view error, std::int64_t now_ms,
                   std::string_view owner) {
  keep_payload(db, log, seq);
  Stmt& s = db.cached(
      "UPDATE deliveries SET state = 'failed', outcome = 'failed', last_error = $2, finished_at = $3, owner = NULL,"
      " lease_until = NULL WHERE seq = $1 AND ($4 = '' OR (owner = $4 AND state = 'running'))");
  s.bind(1, seq).bind(2, error).bind(3, now_ms).bind(4, owner);
  s.run();
  expect_held(db, seq, owner);
}

Recovered recover_interrupted(Db& db, const PayloadLog* log, int max_attempts, std::int64_t now_ms,
                              std::string_view owner_prefix) {
  Recovered r;
  // Whose: every running delivery (one process per SQLite file), or those of this process's
  // earlier runs (a prefix match that needs no LIKE escaping).
  const std::string mine = " AND ($2 = '' OR substr(owner, 1, length($2)) = $2)";
  Stmt doomed = db.prepare("SELECT seq FROM deliveries WHERE state = 'running' AND attempts >= $1" + mine);
  doomed.bind(1, max_attempts).bind(2, owner_prefix);
  std::vector<std::int64_t> seqs;
  while (doomed.step()) seqs.push_back(doomed.int64(0));
  for (auto seq : seqs) keep_payload(db, log, seq);
  Stmt park = db.prepare(
      "UPDATE deliveries SET state = 'failed', outcome = 'failed', finished_at = $3, owner = NULL, lease_until = NULL,"
      " last_error = 'the process stopped while handling it, ' || attempts || ' time(s); parked'"
      " WHERE state = 'running' AND attempts >= $1" + mine);
  park.bind(1, max_attempts).bind(2, owner_prefix).bind(3, now_ms);
  park.run();
  r.parked = db.changes();
  Stmt requeue = db.prepare(
      "UPDATE deliveries SET state = 'pending', owner = NULL, lease_until = NULL WHERE state = 'running'"
      " AND ($1 = '' OR substr(owner, 1, length($1)) = $1)");
  requeue.bind(1, owner_prefix);
  requeue.run();
  r.requeued = db.changes();
  return r;
}

std::optional<std::int64_t> next_delivery_due(Db& db, std::int64_t now_ms, std::string_view owner) {
  // Retries waiting for their time, and other processes' leases (taken over when they lapse).
  Stmt& s = db.cached(
      "SELECT min(t) FROM (SELECT min(next_at) AS t FROM deliveries WHERE state = 'pending' AND next_at > $1"
      " UNION ALL SELECT min(lease_until) FROM deliveries WHERE state = 'running' AND owner <> $2"
      " AND lease_until > $1) AS due");
  s.bind(1, now_ms).bind(2, owner);
  std::optional<std::int64_t> out;
  if (s.step()) out = s.opt_int64(0);
  s.reset();
  return out;
}

namespace {
Row read_row(const Stmt& s) {
  Row r;
  s.columns(r.seq, r.guid, r.event, r.action, r.installation_id, r.repo, r.number, r.state, r.attempts, r.received_at,
            r.finished_at, r.outcome, r.last_error);
  return r;
}
constexpr const char* row_columns =
    "SELECT seq, guid, event, action, installation_id, repo, number, state, attempts, received_at, finished_at,"
    " outcome, last_error FROM deliveries ";
}  // namespace

std::vector<Row> list(Db& db, Filter filter, int limit) {
  std::string sql = row_columns;
  switch (filter) {
    case Filter::open: sql += "WHERE state <> 'done' ORDER BY seq LIMIT $1"; break;
    case Filter::failed: sql += "WHERE state = 'failed' ORDER BY seq LIMIT $1"; break;
    case Filter::all: sql += "ORDER BY seq DESC LIMIT $1"; break;
  }
  Stmt s = db.prepare(sql);
  s.bind(1, limit);
  std::vector<Row> out;
  while (s.step()) out.push_back(read_row(s));
  return out;
}

std::optional<Row> find_delivery(Db& db, std::string_view guid) {
  Stmt s = db.prepare(std::string(row_columns) + "WHERE guid = $1");
  s.bind(1, guid);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

std::map<std::string, std::int64_t> counts(Db& db, bool include_done) {
  std::map<std::string, std::int64_t> out{{"pending", 0}, {"running", 0}, {"failed", 0}};
  // The open states come from the small partial index; done is a plain count.
  Stmt open = db.prepare("SELECT state, count(*) FROM deliveries WHERE state <> 'done' GROUP BY state");
  while (open.step()) out[open.text(0)] = open.int64(1);
  if (include_done) {
    Stmt done = db.prepare("SELECT count(*) FROM deliveries WHERE state = 'done'");
    if (done.step()) out["done"] = done.int64(0);
  }
  return out;
}

Purged purge(Db& db, PayloadLog* log, std::int64_t payloads_before_ms, std::int64_t rows_before_ms) {
  Purged p;
  Stmt rows_bodies = db.prepare(
      "DELETE FROM delivery_bodies WHERE seq IN (SELECT seq FROM deliveries WHERE finished_at < $1)");
  rows_bodies.bind(1, rows_before_ms);
  rows_bodies.run();
  Stmt rows = db.prepare("DELETE FROM deliveries WHERE finished_at < $1");
  rows.bind(1, rows_before_ms);
  rows.run();
  p.rows = db.changes();
  // The database's copies of handled deliveries' payloads (PostgreSQL keeps every payload there).
  Stmt handled = db.prepare(
      "DELETE FROM delivery_bodies WHERE seq IN (SELECT seq FROM deliveries WHERE state = 'done' AND finished_at < $1)");
  handled.bind(1, payloads_before_ms);
  handled.run();
  if (!log) return p;
  // The oldest segment still needed: one holding an unfinished delivery, or one finished lately.
  Stmt needed = db.prepare(
      "SELECT min(payload_segment) FROM deliveries WHERE state IN ('pending', 'running')"
      " OR finished_at >= $1");
  needed.bind(1, payloads_before_ms);
  std::int64_t keep_from = log->current_segment();
  if (needed.step() && !needed.is_null(0)) keep_from = std::min(keep_from, needed.int64(0));
  p.segments = log->remove_before(keep_from);
  return p;
}

}  // namespace mentorbot::store::inbox
