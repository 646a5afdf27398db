#pragma once
// The durable inbox of webhook deliveries: stored before the 202, claimed by the dispatcher,
// finished as handled, retried with backoff, or parked as failed. Functions run on a Db the
// caller provides: writes inside a WriteQueue job, reads on a leased read connection.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/payload_log.hpp"
#include "store/db.hpp"
#include "store/write_queue.hpp"

namespace mentorbot::store::inbox {

// What a delivery is, as its headers and the door's scan of its payload say (the inbox indexes it).
struct Delivery {
  std::string guid;
  std::string event;
  std::optional<std::string> action;
  std::optional<std::int64_t> installation_id;
  std::optional<std::string> repo;
  std::optional<std::int64_t> number;
};

// Deliveries of one lane run one after another in arrival order, whichever process runs them:
// one pull request (or issue), else one repository, else one installation.
std::string lane_of(const Delivery& delivery);

struct NewDelivery : Delivery {
  std::int64_t received_at = 0;
};

// What the payload log keeps beside each payload, so it can rebuild the row (JSON).
std::string describe(const NewDelivery& delivery);
NewDelivery from_description(std::string_view description);

enum class Inserted { stored, duplicate };

// Stores a delivery unless its id is known: a redelivery is remembered, never stored twice. The
// payload (the JSON; form deliveries decoded) is already in the payload log at `payload.log`, or
// goes into the database beside its row.
Inserted insert(Db& db, const NewDelivery& delivery, const PayloadPlace& payload);

// Stores a delivery as the webhook door does: the payload durable in the log, then its row.
// `done` runs on a store thread after the commit (or the failure): keep it short.
using Stored = std::function<void(const NewDelivery& delivery, std::exception_ptr error, Inserted inserted)>;
void store_delivery(WriteQueue& writes, NewDelivery delivery, std::string payload, Stored done);

struct Claimed : Delivery {
  std::int64_t seq = 0;
  int attempts = 0;  // including this one
  std::optional<PayloadRef> payload;  // where the payload log holds it
  bool taken_over = false;  // another process was running it and let its lease lapse
};

// Who claims: a process (several may share a PostgreSQL database) and how long its claims hold
// unless renewed.
struct Claimant {
  std::string owner;  // host:data-dir#incarnation
  std::int64_t lease_ms = 30'000;
};

// Marks up to `limit` deliveries as running for `who` (attempts + 1, a lease until now +
// lease_ms), oldest first: due pending ones, and running ones whose lease lapsed (their process
// died). A delivery is taken only when nothing earlier in its lane is unfinished, except what
// `who` itself runs (its lanes keep the order). On PostgreSQL rows other processes are claiming
// at the same moment are skipped (FOR UPDATE SKIP LOCKED), never waited for.
std::vector<Claimed> claim_deliveries(Db& db, int limit, std::int64_t now_ms, const Claimant& who);
// Extends the leases of everything `owner` runs. Returns how many.
int renew_leases(Db& db, std::string_view owner, std::int64_t until_ms);

// The payload, from the database's copy or from the payload log (if any); nullopt once purged.
std::optional<std::string> payload_of(Db& db, const PayloadLog* log, std::int64_t seq);

// Gives back a claimed delivery that never ran (the process is stopping): pending again, the
// attempt not counted.
void release_delivery(Db& db, std::int64_t seq, std::string_view owner = {});

// What became of a delivery: its handlers ran (handled), none wanted it (ignored), it waits
// for another attempt (retry), or it is parked for good (failed).
enum class Outcome { handled, ignored, retry, failed };
std::string_view to_string(Outcome outcome);

// What became of a claimed delivery. With an `owner`, only while that process still holds it:
// once another process took it over, these throw StoreError (Kind::conflict), so the result
// (and whatever was planned with it, in the same transaction) is not kept twice.
// Done: handled or ignored.
void finish_delivery(Db& db, std::int64_t seq, Outcome outcome, std::int64_t now_ms, std::string_view owner = {});
void retry_delivery(Db& db, std::int64_t seq, std::string_view error, std::int64_t next_at_ms,
                    std::string_view owner = {});
// Parks a delivery; its payload is copied into the database so the log can be purged.
void park_delivery(Db& db, const PayloadLog* log, std::int64_t seq, std::string_view error, std::int64_t now_ms,
                   std::string_view owner = {});

struct Recovered {
  int requeued = 0;
  int parked = 0;
};
// At start-up: deliveries left running by a process that died go back to pending, or to failed
// once they have used all their attempts (a payload that crashes the process is not retried
// forever). With `owner_prefix` (host:data-dir#), only those of earlier runs of this process:
// other replicas' work is theirs until their leases lapse.
Recovered recover_interrupted(Db& db, const PayloadLog* log, int max_attempts, std::int64_t now_ms,
                              std::string_view owner_prefix = {});

// After SQLite lost its newest commits (a power cut: the database commits without waiting
// for the disk; the payload log does wait), re-inserts the deliveries the log holds beyond the
// newest row. Also places the log's next append. Returns how many rows it put back.
int rebuild_from_log(Db& db, PayloadLog& log);

// When the dispatcher should look again: the earliest retry still to come, or the earliest lease
// of another process that lapses (its delivery is taken over then). Due deliveries held back
// behind another process's are its to take, when it finishes what holds them.
std::optional<std::int64_t> next_delivery_due(Db& db, std::int64_t now_ms, std::string_view owner = {});

struct Row : Delivery {
  std::int64_t seq = 0;
  std::string state;
  int attempts = 0;
  std::int64_t received_at = 0;
  std::optional<std::int64_t> finished_at;
  std::optional<std::string> outcome;
  std::optional<std::string> last_error;
};

enum class Filter { open, failed, all };
std::vector<Row> list(Db& db, Filter filter, int limit);
std::optional<Row> find_delivery(Db& db, std::string_view guid);

// Deliveries per state ("pending", "running", "failed", and "done" when asked: that one counts
// the whole history, so /metrics leaves it out).
std::map<std::string, std::int64_t> counts(Db& db, bool include_done);

// Claims one delivery by its sequence number, whatever its state (`mentorbot replay`).
std::optional<Claimed> claim_delivery(Db& db, std::int64_t seq, const Claimant& who);

struct Purged {
  int rows = 0;
  int segments = 0;
};
// Forgets deliveries finished before `rows_before` (their ids must outlive GitHub's redelivery
// window), and the payloads of those finished before `payloads_before`: payload log segments
// (SQLite) or the database's copies of the handled ones (PostgreSQL; a parked delivery's stays).
Purged purge(Db& db, PayloadLog* log, std::int64_t payloads_before_ms, std::int64_t rows_before_ms);

}  // namespace mentorbot::store::inbox
