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
};

// Marks up to `limit` due pending deliveries as running (attempts + 1), oldest first.
std::vector<Claimed> claim_deliveries(Db& db, int limit, std::int64_t now_ms);

// The payload, from the database's copy or from the payload log (if any); nullopt once purged.
std::optional<std::string> payload_of(Db& db, const PayloadLog* log, std::int64_t seq);

// Gives back a claimed delivery that never ran (the process is stopping): pending again, the
// attempt not counted.
void release_delivery(Db& db, std::int64_t seq);

// What became of a delivery: its handlers ran (handled), none wanted it (ignored), it waits
// for another attempt (retry), or it is parked for good (failed).
enum class Outcome { handled, ignored, retry, failed };
std::string_view to_string(Outcome outcome);

// Done: handled or ignored.
void finish_delivery(Db& db, std::int64_t seq, Outcome outcome, std::int64_t now_ms);
void retry_delivery(Db& db, std::int64_t seq, std::string_view error, std::int64_t next_at_ms);
// Parks a delivery; its payload is copied into the database so the log can be purged.
void park_delivery(Db& db, const PayloadLog* log, std::int64_t seq, std::string_view error, std::int64_t now_ms);

struct Recovered {
  int requeued = 0;
  int parked = 0;
};
// At start-up: deliveries left running by a process that died go back to pending, or to failed
// once they have used all their attempts (a payload that crashes the process is not retried
// forever).
Recovered recover_interrupted(Db& db, const PayloadLog* log, int max_attempts, std::int64_t now_ms);

// After SQLite lost its newest commits (a power cut: the database commits without waiting
// for the disk; the payload log does wait), re-inserts the deliveries the log holds beyond the
// newest row. Also places the log's next append. Returns how many rows it put back.
int rebuild_from_log(Db& db, PayloadLog& log);

// Earliest next_at of a pending delivery, if any (when the dispatcher should look again).
std::optional<std::int64_t> next_delivery_due(Db& db);

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
std::optional<Claimed> claim_delivery(Db& db, std::int64_t seq);

struct Purged {
  int rows = 0;
  int segments = 0;
};
// Forgets deliveries finished before `rows_before` (their ids must outlive GitHub's redelivery
// window), and the payloads of those finished before `payloads_before`: payload log segments
// (SQLite) or the database's copies of the handled ones (PostgreSQL; a parked delivery's stays).
Purged purge(Db& db, PayloadLog* log, std::int64_t payloads_before_ms, std::int64_t rows_before_ms);

}  // namespace mentorbot::store::inbox
