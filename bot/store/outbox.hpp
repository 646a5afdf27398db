#pragma once
// The outbox: every GitHub write mentorbot means to make, stored with its idempotency key in
// the same transaction as the delivery that planned it, before anything is sent. The sender
// marks a write "sending" (counting the attempt) before it goes out and "sent" after; a write
// found "sending" after a crash, or retried after an unclear failure, may already exist on
// GitHub, so the sender looks for its hidden marker before sending it again.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.hpp"

namespace mentorbot::store::outbox {

struct Write {
  std::string key;  // unique; no '>' (it goes into an HTML comment)
  std::int64_t installation_id = 0;
  std::string repo;
  std::int64_t number = 0;
  // comment | comment_edit | labels | label_ensure | review | review_edit | review_comment
  std::string kind;
  std::string payload;  // JSON
};

// The hidden marker a write's body carries on GitHub.
std::string marker(const std::string& key);

enum class Added { added, exists };
// INSERT OR IGNORE on the key. A dry-run write is stored as 'dry-run', never sent, and logged
// with its body when it is new (that log line is what a dry run shows).
Added add(Db& db, const Write& write, std::optional<std::int64_t> delivery_seq, bool dry_run, std::int64_t now_ms);

struct Row {
  std::int64_t id = 0;
  std::string key;
  std::optional<std::int64_t> delivery_seq;
  std::int64_t installation_id = 0;
  std::string repo;
  std::int64_t number = 0;
  std::string kind;
  std::string payload;
  std::string state;
  int attempts = 0;
  std::int64_t next_at = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> sent_at;
  std::optional<std::string> result;
  std::optional<std::string> last_error;
};

// Pending writes due by `now` with an id above `after_id`, oldest first.
std::vector<Row> due(Db& db, int limit, std::int64_t now_ms, std::int64_t after_id = 0);
std::optional<std::int64_t> next_due(Db& db);

void mark_sending(Db& db, std::int64_t id);  // attempts + 1
void mark_sent(Db& db, std::int64_t id, const std::string& result, std::int64_t now_ms);
void mark_retry(Db& db, std::int64_t id, const std::string& error, std::int64_t next_at_ms);
// Back to pending without counting an attempt (it never went out), not before `next_at_ms`.
void unclaim(Db& db, std::int64_t id, std::int64_t next_at_ms, const std::string& reason);
void mark_failed(Db& db, std::int64_t id, const std::string& error, std::int64_t now_ms);
// At start-up: writes left 'sending' by a process that died go back to pending (their attempt
// stays counted, so they are looked for on GitHub before they are sent again).
int requeue_sending(Db& db);

std::optional<Row> find(Db& db, const std::string& key);
std::vector<Row> for_delivery(Db& db, std::int64_t delivery_seq);
// Every write planned on one pull request (or issue), oldest first.
std::vector<Row> for_pull_request(Db& db, const std::string& repo, std::int64_t number);
// Only the writes still to go ("pending", "sending"): cheap, from the partial index.
std::map<std::string, std::int64_t> open_counts(Db& db);

}  // namespace mentorbot::store::outbox
