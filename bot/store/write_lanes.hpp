#pragma once
// An installation's GitHub writes go out from one process at a time and at least the interval
// apart, whichever process planned them: the process holding the installation's lane (a row in
// write_lanes with its owner and a lease it renews) sends them, and records after each write
// when the next may go. A process that dies stops renewing; once the lease lapses another takes
// the lane over, puts the writes the dead one had on their way back in the queue (each is looked
// for on GitHub before it is sent again), and keeps to the pace the dead one recorded.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.hpp"

namespace mentorbot::store::write_lanes {

struct Lane {
  std::int64_t installation_id = 0;
  bool held = false;               // by the asking process, now
  bool taken_over = false;         // from another process whose lease lapsed
  int requeued = 0;                // writes that process had on their way, pending again
  std::int64_t next_send_at = 0;   // ms: not before (held)
  std::int64_t lease_until = 0;    // ms: when another holder's lease lapses (not held)
};

// Takes the lane for `owner` unless another process holds it under a live lease. Writes the
// previous holder had on their way are pending again, not before `requeued_not_before` (ms):
// GitHub may still be making them, and looking for them sooner finds nothing.
Lane acquire(Db& db, std::int64_t installation_id, std::string_view owner, std::int64_t now_ms, std::int64_t lease_ms,
             std::int64_t requeued_not_before = 0);
// Extends every lane `owner` holds; returns their installations.
std::vector<std::int64_t> renew(Db& db, std::string_view owner, std::int64_t until_ms);
// The next write of the installation goes no sooner than `at_ms`.
void paced(Db& db, std::int64_t installation_id, std::int64_t at_ms);
// Lets go of the lanes of `owner` (a process stopping), or of every owner starting with
// `prefix` (earlier runs of this process), or of all (prefix empty, at start on SQLite). The
// writes those had on their way go back to pending (their attempts stay counted), due no sooner
// than `requeued_not_before` (recover). Returns them.
int release(Db& db, std::string_view owner);
int recover(Db& db, std::string_view prefix, std::int64_t requeued_not_before = 0);

}  // namespace mentorbot::store::write_lanes
