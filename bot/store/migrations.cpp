#include "store/migrations.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace mentorbot::store {
namespace {

// Each entry moves the schema one version up. Never edit a released entry: add a new one.
constexpr std::array<const char*, 7> sqlite_steps = {
    // 1: the durable inbox of webhook deliveries.
    R"sql(
CREATE TABLE deliveries (
  seq             INTEGER PRIMARY KEY,          -- arrival order
  guid            TEXT    NOT NULL UNIQUE,      -- X-GitHub-Delivery: the door's idempotency key
  event           TEXT    NOT NULL,             -- X-GitHub-Event
  action          TEXT,
  installation_id INTEGER,
  repo            TEXT,                         -- owner/name
  number          INTEGER,                      -- PR or issue number
  received_at     INTEGER NOT NULL,             -- unix ms
  state           TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'running', 'done', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,   -- counted when claimed, so a crash counts too
  next_at         INTEGER NOT NULL DEFAULT 0,   -- unix ms; not claimed before
  finished_at     INTEGER,
  outcome         TEXT,                         -- handled | ignored | failed
  last_error      TEXT,
  payload_segment INTEGER,                      -- where the payload is in the payload log
  payload_offset  INTEGER,
  payload_length  INTEGER
);
-- Only unfinished rows: the dispatcher's and `inbox list`'s way in, small whatever the history.
CREATE INDEX deliveries_open ON deliveries (state, seq) WHERE state <> 'done';
CREATE INDEX deliveries_finished ON deliveries (finished_at) WHERE finished_at IS NOT NULL;
-- Payloads of deliveries parked as failed, copied out of the payload log so that its segments
-- can be deleted while someone still wants to look at (or replay) a failure.
CREATE TABLE delivery_bodies (
  seq  INTEGER PRIMARY KEY,
  body BLOB    NOT NULL
);
)sql",
    // 2: the outbox of GitHub writes, each with its idempotency key.
    R"sql(
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  key             TEXT    NOT NULL UNIQUE,      -- e.g. welcome:org/repo#7; also the hidden marker
  delivery_seq    INTEGER,                      -- the delivery whose handler planned it
  installation_id INTEGER NOT NULL,
  repo            TEXT    NOT NULL,             -- owner/name
  number          INTEGER NOT NULL,             -- issue or pull request
  kind            TEXT    NOT NULL,             -- comment | comment_edit | labels | review | review_edit
  payload         TEXT    NOT NULL,             -- JSON: what to send
  state           TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dry-run')),
  attempts        INTEGER NOT NULL DEFAULT 0,   -- counted before each send: > 0 means "maybe sent"
  next_at         INTEGER NOT NULL DEFAULT 0,   -- unix ms
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  result          TEXT,                         -- JSON: what GitHub made (its id)
  last_error      TEXT
);
CREATE INDEX outbox_open ON outbox (state, id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_delivery ON outbox (delivery_seq);
)sql",
    // 3: author indexes of the mirrored repositories (identities as commits name them; .mailmap
    // is applied when they are loaded, so a changed .mailmap needs no rescan).
    R"sql(
CREATE TABLE author_index (
  repo       TEXT    PRIMARY KEY,
  tip        TEXT    NOT NULL,   -- the last commit counted
  commits    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE author_identities (
  repo            TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  email           TEXT    NOT NULL,
  commits         INTEGER NOT NULL,
  first_commit_at INTEGER NOT NULL,
  PRIMARY KEY (repo, name, email)
) WITHOUT ROWID;
)sql",
    // 4: the mentoring review looks up what it said on a pull request before; the nudge sweep
    // needs the open pull requests of newcomers and whether a maintainer has answered.
    R"sql(
CREATE INDEX outbox_pull_request ON outbox (repo, number);
CREATE TABLE pull_requests (
  repo            TEXT    NOT NULL,
  number          INTEGER NOT NULL,
  installation_id INTEGER NOT NULL,
  author          TEXT    NOT NULL,
  status          TEXT    NOT NULL,   -- the author's classification when it was opened
  waiting_since   INTEGER NOT NULL,   -- ms: opened, reopened or marked ready for review
  responded_at    INTEGER,            -- ms: first word from a maintainer
  closed_at       INTEGER,
  nudged_at       INTEGER,
  PRIMARY KEY (repo, number)
) WITHOUT ROWID;
CREATE INDEX pull_requests_waiting ON pull_requests (waiting_since)
  WHERE closed_at IS NULL AND responded_at IS NULL AND nudged_at IS NULL;
)sql",
    // 5: challenge coins. The ledger is keyed by what earned the coin (merge:owner/repo#7), so a
    // redelivery or a restart never awards twice; its ids are the order of the live event stream.
    R"sql(
CREATE TABLE coins (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  key         TEXT    NOT NULL UNIQUE,   -- merge:o/r#7, mentor:o/r#7:login, award:o/r#9:comment-id
  kind        TEXT    NOT NULL,          -- merge | mentor | award
  login       TEXT    NOT NULL,
  avatar_url  TEXT    NOT NULL DEFAULT '',
  repo        TEXT    NOT NULL,
  number      INTEGER NOT NULL,
  title       TEXT    NOT NULL DEFAULT '',
  reason      TEXT    NOT NULL DEFAULT '',
  newcomer    INTEGER NOT NULL DEFAULT 0,  -- the author was new here when the pull request opened
  first_timer INTEGER NOT NULL DEFAULT 0,  -- and this was their first merged pull request in the repo
  awarded_by  TEXT    NOT NULL DEFAULT '',
  awarded_at  INTEGER NOT NULL           -- ms: the merge (or the comment) time GitHub gives
);
CREATE INDEX coins_by_time ON coins (awarded_at);
CREATE INDEX coins_by_login ON coins (login, repo);
CREATE INDEX coins_by_login_nocase ON coins (login COLLATE NOCASE);  -- badges: logins ignore case
CREATE TABLE sprints (
  slug         TEXT    PRIMARY KEY,
  name         TEXT    NOT NULL,
  starts_at    INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL,
  org          TEXT    NOT NULL DEFAULT '',   -- every repo of this owner, or
  repos        TEXT    NOT NULL DEFAULT '[]', -- these (JSON array of owner/name)
  participants TEXT    NOT NULL DEFAULT '[]', -- only these logins, when not empty
  created_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE pull_request_approvals (
  repo        TEXT    NOT NULL,
  number      INTEGER NOT NULL,
  login       TEXT    NOT NULL,
  avatar_url  TEXT    NOT NULL DEFAULT '',
  approved_at INTEGER NOT NULL,
  PRIMARY KEY (repo, number, login)
) WITHOUT ROWID;
)sql",
    // 6: several processes on one database: leases on running deliveries, lanes, sweeps.
    R"sql(
ALTER TABLE deliveries ADD COLUMN lane TEXT;         -- deliveries of one lane run one after another, by seq
ALTER TABLE deliveries ADD COLUMN owner TEXT;        -- the process running it (host:data-dir#incarnation)
ALTER TABLE deliveries ADD COLUMN lease_until INTEGER; -- ms: renewed while it runs; another process takes it after
UPDATE deliveries SET lane = CASE
    WHEN repo IS NOT NULL AND number IS NOT NULL THEN repo || '#' || number
    WHEN repo IS NOT NULL THEN repo
    WHEN installation_id IS NOT NULL THEN 'installation:' || installation_id
    ELSE 'delivery:' || guid END
  WHERE state IN ('pending', 'running');
CREATE INDEX deliveries_lanes ON deliveries (lane, seq) WHERE state IN ('pending', 'running');
-- One process at a time sends an installation's writes (its lane), at least the interval apart.
CREATE TABLE write_lanes (
  installation_id INTEGER PRIMARY KEY,
  owner           TEXT,
  lease_until     INTEGER NOT NULL DEFAULT 0,
  next_send_at    INTEGER NOT NULL DEFAULT 0   -- ms: the interval after the last write recorded
);
-- Periodic sweeps run once per period across all processes.
CREATE TABLE sweeps (
  name        TEXT PRIMARY KEY,
  owner       TEXT,
  next_run_at INTEGER NOT NULL DEFAULT 0
);
)sql",
    // 7: the pipeline: every pull request a person opened, newcomer's or not, with whose turn it
    // is and when it was first answered, merged or closed (features/pipeline/turn.hpp).
    R"sql(
CREATE TABLE pipeline (
  repo              TEXT    NOT NULL,
  number            INTEGER NOT NULL,
  installation_id   INTEGER,
  author            TEXT    NOT NULL,
  title             TEXT    NOT NULL DEFAULT '',
  newcomer          INTEGER NOT NULL,   -- 1: the author was new here when it was opened
  turn              TEXT    NOT NULL,   -- first_response | author | review | approved | merged | closed
  opened_at         INTEGER NOT NULL,   -- ms
  turn_since        INTEGER NOT NULL,   -- ms: when the current turn began
  first_response_at INTEGER,            -- ms: the first word from a person other than the author
  merged_at         INTEGER,
  closed_at         INTEGER,
  draft             INTEGER NOT NULL DEFAULT 0,
  ready_at          INTEGER NOT NULL,   -- ms: opened, or last marked ready for review (a draft's clock)
  author_nudged_at  INTEGER,            -- ms: the one kind note to an author whose turn it was
  escalated_at      INTEGER,            -- ms: the one escalation to the configured team
  PRIMARY KEY (repo, number)
) WITHOUT ROWID;
CREATE INDEX pipeline_opened ON pipeline (opened_at);
CREATE INDEX pipeline_author ON pipeline (lower(author), merged_at);  -- a login in any case
CREATE INDEX pipeline_turn ON pipeline (turn, turn_since);             -- who waits, oldest first
)sql",
};


// The same versions for PostgreSQL. The tables, columns and keys are SQLite's; what differs is
// the types (BIGINT for milliseconds and ids, identity columns for the sequence numbers, BYTEA
// for payloads), no WITHOUT ROWID, and a lower(login) index where SQLite has COLLATE NOCASE. On
// PostgreSQL the payload of every delivery lives in delivery_bodies: there is no payload log on
// one replica's disk.
constexpr std::array<const char*, 7> postgres_steps = {
    R"sql(
CREATE TABLE deliveries (
  seq             BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  guid            TEXT    NOT NULL UNIQUE,
  event           TEXT    NOT NULL,
  action          TEXT,
  installation_id BIGINT,
  repo            TEXT,
  number          BIGINT,
  received_at     BIGINT  NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'running', 'done', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_at         BIGINT  NOT NULL DEFAULT 0,
  finished_at     BIGINT,
  outcome         TEXT,
  last_error      TEXT,
  payload_segment BIGINT,
  payload_offset  BIGINT,
  payload_length  BIGINT
);
CREATE INDEX deliveries_open ON deliveries (state, seq) WHERE state <> 'done';
CREATE INDEX deliveries_finished ON deliveries (finished_at) WHERE finished_at IS NOT NULL;
CREATE TABLE delivery_bodies (
  seq  BIGINT PRIMARY KEY,
  body BYTEA  NOT NULL
);
)sql",
    R"sql(
CREATE TABLE outbox (
  id              BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  key             TEXT    NOT NULL UNIQUE,
  delivery_seq    BIGINT,
  installation_id BIGINT  NOT NULL,
  repo            TEXT    NOT NULL,
  number          BIGINT  NOT NULL,
  kind            TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dry-run')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_at         BIGINT  NOT NULL DEFAULT 0,
  created_at      BIGINT  NOT NULL,
  sent_at         BIGINT,
  result          TEXT,
  last_error      TEXT
);
CREATE INDEX outbox_open ON outbox (state, id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_delivery ON outbox (delivery_seq);
)sql",
    R"sql(
CREATE TABLE author_index (
  repo       TEXT    PRIMARY KEY,
  tip        TEXT    NOT NULL,
  commits    BIGINT  NOT NULL,
  updated_at BIGINT  NOT NULL
);
CREATE TABLE author_identities (
  repo            TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  email           TEXT    NOT NULL,
  commits         BIGINT  NOT NULL,
  first_commit_at BIGINT  NOT NULL,
  PRIMARY KEY (repo, name, email)
);
)sql",
    R"sql(
CREATE INDEX outbox_pull_request ON outbox (repo, number);
CREATE TABLE pull_requests (
  repo            TEXT    NOT NULL,
  number          BIGINT  NOT NULL,
  installation_id BIGINT  NOT NULL,
  author          TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  waiting_since   BIGINT  NOT NULL,
  responded_at    BIGINT,
  closed_at       BIGINT,
  nudged_at       BIGINT,
  PRIMARY KEY (repo, number)
);
CREATE INDEX pull_requests_waiting ON pull_requests (waiting_since)
  WHERE closed_at IS NULL AND responded_at IS NULL AND nudged_at IS NULL;
)sql",
    R"sql(
CREATE TABLE coins (
  id          BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  key         TEXT    NOT NULL UNIQUE,
  kind        TEXT    NOT NULL,
  login       TEXT    NOT NULL,
  avatar_url  TEXT    NOT NULL DEFAULT '',
  repo        TEXT    NOT NULL,
  number      BIGINT  NOT NULL,
  title       TEXT    NOT NULL DEFAULT '',
  reason      TEXT    NOT NULL DEFAULT '',
  newcomer    INTEGER NOT NULL DEFAULT 0,
  first_timer INTEGER NOT NULL DEFAULT 0,
  awarded_by  TEXT    NOT NULL DEFAULT '',
  awarded_at  BIGINT  NOT NULL
);
CREATE INDEX coins_by_time ON coins (awarded_at);
CREATE INDEX coins_by_login ON coins (login, repo);
CREATE INDEX coins_by_login_lower ON coins (lower(login));
CREATE TABLE sprints (
  slug         TEXT    PRIMARY KEY,
  name         TEXT    NOT NULL,
  starts_at    BIGINT  NOT NULL,
  ends_at      BIGINT  NOT NULL,
  org          TEXT    NOT NULL DEFAULT '',
  repos        TEXT    NOT NULL DEFAULT '[]',
  participants TEXT    NOT NULL DEFAULT '[]',
  created_at   BIGINT  NOT NULL
);
CREATE TABLE pull_request_approvals (
  repo        TEXT    NOT NULL,
  number      BIGINT  NOT NULL,
  login       TEXT    NOT NULL,
  avatar_url  TEXT    NOT NULL DEFAULT '',
  approved_at BIGINT  NOT NULL,
  PRIMARY KEY (repo, number, login)
);
)sql",
    R"sql(
ALTER TABLE deliveries ADD COLUMN lane TEXT;         -- deliveries of one lane run one after another, by seq
ALTER TABLE deliveries ADD COLUMN owner TEXT;        -- the process running it (host:data-dir#incarnation)
ALTER TABLE deliveries ADD COLUMN lease_until BIGINT; -- ms: renewed while it runs; another process takes it after
UPDATE deliveries SET lane = CASE
    WHEN repo IS NOT NULL AND number IS NOT NULL THEN repo || '#' || number
    WHEN repo IS NOT NULL THEN repo
    WHEN installation_id IS NOT NULL THEN 'installation:' || installation_id
    ELSE 'delivery:' || guid END
  WHERE state IN ('pending', 'running');
CREATE INDEX deliveries_lanes ON deliveries (lane, seq) WHERE state IN ('pending', 'running');
-- One process at a time sends an installation's writes (its lane), at least the interval apart.
CREATE TABLE write_lanes (
  installation_id BIGINT PRIMARY KEY,
  owner           TEXT,
  lease_until     BIGINT NOT NULL DEFAULT 0,
  next_send_at    BIGINT NOT NULL DEFAULT 0   -- ms: the interval after the last write recorded
);
-- Periodic sweeps run once per period across all processes.
CREATE TABLE sweeps (
  name        TEXT PRIMARY KEY,
  owner       TEXT,
  next_run_at BIGINT NOT NULL DEFAULT 0
);
)sql",
    R"sql(
CREATE TABLE pipeline (
  repo              TEXT    NOT NULL,
  number            BIGINT  NOT NULL,
  installation_id   BIGINT,
  author            TEXT    NOT NULL,
  title             TEXT    NOT NULL DEFAULT '',
  newcomer          INTEGER NOT NULL,
  turn              TEXT    NOT NULL,
  opened_at         BIGINT  NOT NULL,
  turn_since        BIGINT  NOT NULL,
  first_response_at BIGINT,
  merged_at         BIGINT,
  closed_at         BIGINT,
  draft             INTEGER NOT NULL DEFAULT 0,
  ready_at          BIGINT  NOT NULL,
  author_nudged_at  BIGINT,
  escalated_at      BIGINT,
  PRIMARY KEY (repo, number)
);
CREATE INDEX pipeline_opened ON pipeline (opened_at);
CREATE INDEX pipeline_author ON pipeline (lower(author), merged_at);
CREATE INDEX pipeline_turn ON pipeline (turn, turn_since);
)sql",
};
static_assert(sqlite_steps.size() == postgres_steps.size(), "one schema version means the same on both engines");

// Any number: the lock two replicas starting together take before they look at the schema.
constexpr std::int64_t migration_lock = 0x6d656e746f72;  // "mentor"

int postgres_version(Db& db) {
  db.exec("CREATE TABLE IF NOT EXISTS mentorbot_schema (version INTEGER NOT NULL)");
  Stmt s = db.prepare("SELECT coalesce(max(version), 0) FROM mentorbot_schema");
  s.step();
  return static_cast<int>(s.int64(0));
}

}  // namespace

int schema_version(Db& db) {
  if (db.engine() == Engine::postgresql) {
    Stmt exists = db.prepare("SELECT to_regclass('mentorbot_schema') IS NOT NULL");
    exists.step();
    if (exists.int64(0) == 0) return 0;
    Stmt s = db.prepare("SELECT coalesce(max(version), 0) FROM mentorbot_schema");
    s.step();
    return static_cast<int>(s.int64(0));
  }
  Stmt s = db.prepare("PRAGMA user_version");
  s.step();
  return static_cast<int>(s.int64(0));
}

void migrate(Db& db) {
  bool postgres = db.engine() == Engine::postgresql;
  const auto& steps = postgres ? postgres_steps : sqlite_steps;
  // Replicas starting together: the first migrates, the others wait and then find nothing to do.
  // (On SQLite, BEGIN IMMEDIATE in each step does the same.)
  struct Unlock {
    Db* db = nullptr;
    ~Unlock() {
      if (db && db->usable()) db->exec(("SELECT pg_advisory_unlock(" + std::to_string(migration_lock) + ")").c_str());
    }
  } unlock;
  if (postgres) {
    db.exec(("SELECT pg_advisory_lock(" + std::to_string(migration_lock) + ")").c_str());
    unlock.db = &db;
  }
  int version = postgres ? postgres_version(db) : schema_version(db);
  if (version > static_cast<int>(steps.size())) {
    throw StoreError("the database has schema version " + std::to_string(version) +
                     ", newer than this mentorbot knows (" + std::to_string(steps.size()) + ")");
  }
  for (auto v = static_cast<std::size_t>(version); v < steps.size(); ++v) {
    Txn txn(db);
    db.exec(steps[v]);
    if (postgres) {
      db.exec(("INSERT INTO mentorbot_schema (version) VALUES (" + std::to_string(v + 1) + ")").c_str());
    } else {
      db.exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
    }
    txn.commit();
  }
}

}  // namespace mentorbot::store
