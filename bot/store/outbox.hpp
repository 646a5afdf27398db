#pragma once
// The outbox: every GitHub write mentorbot means to make, stored with its idempotency key in
// the same transaction as the delivery that planned it, before anything is sent. A write is a
// typed value (one struct per kind); this file and outbox.cpp are the only place that turns it
// into stored text and back. The sender marks a write "sending" (counting the attempt) before
// it goes out and "sent" after; a write found "sending" after a crash, or retried after an
// unclear failure, may already exist on GitHub, so the sender looks for its hidden marker
// before sending it again.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/db.hpp"

namespace mentorbot::store::outbox {

// A comment on a pull request's (or issue's) conversation.
struct Comment {
  std::string body;
};
// A comment on one added line of a pull request (side RIGHT: the line number in the new file).
struct InlineComment {
  std::string path;
  int line = 0;
  std::string side = "RIGHT";
  std::string body;
  std::string rule;  // which review rule found it (kept, never sent)
};
// A review with event COMMENT: a summary and its inline comments.
struct Review {
  std::string commit_id;  // empty: the pull request's head when GitHub receives it
  std::string body;
  std::vector<InlineComment> comments;
};
// The summary of the review made by write `of`, rewritten.
struct ReviewEdit {
  std::string of;
  std::string body;
};
// The comment made by write `of` (a Comment), rewritten: the words preview after a push.
struct CommentEdit {
  std::string of;
  std::string body;
};
// One more inline comment, outside a review.
struct ReviewComment {
  std::string commit_id;
  InlineComment comment;
};
// Labels added to a pull request (or issue).
struct Labels {
  std::vector<std::string> names;
};
// A repository label that exists afterwards with this colour and description.
struct LabelUpsert {
  std::string name;
  std::string color;  // six hex digits, lower case
  std::string description;
};

using Change = std::variant<Comment, CommentEdit, Review, ReviewEdit, ReviewComment, Labels, LabelUpsert>;

// "comment", "comment_edit", "review", "review_edit", "review_comment", "labels", "label_ensure": how a kind is
// stored and counted in /metrics.
std::string_view kind_of(const Change& change);

struct Write {
  std::string key;  // unique; no '>' (it goes into an HTML comment)
  std::int64_t installation_id = 0;
  std::string repo;
  std::int64_t number = 0;  // 0 for a write about the repository (a label)
  Change change;
};

// The hidden marker a write's body carries on GitHub.
std::string marker(const std::string& key);

enum class Added { added, exists };
// INSERT OR IGNORE on the key. A dry-run write is stored as 'dry-run' and never sent.
Added add(Db& db, const Write& write, std::optional<std::int64_t> delivery_seq, bool dry_run, std::int64_t now_ms);
// The line a dry run shows for a write it stored (once committed): its kind, where, its key and body.
void log_dry_run(const Write& write);

enum class State { pending, sending, sent, failed, dry_run };
std::string_view to_string(State state);

struct Row {
  std::int64_t id = 0;
  Write write;
  std::string unreadable;  // set when the stored write could not be read back (the sender parks it)
  std::optional<std::int64_t> delivery_seq;
  State state = State::pending;
  int attempts = 0;
  std::int64_t next_at = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> sent_at;
  std::optional<std::string> result;  // what GitHub made: {"id":…,"html_url":…}
  std::optional<std::string> last_error;
};

// Pending writes due by `now` with an id above `after_id`, oldest first.
std::vector<Row> due_writes(Db& db, int limit, std::int64_t now_ms, std::int64_t after_id = 0);
std::optional<std::int64_t> next_write_due(Db& db);

// attempts + 1, if it is still pending and (with an `owner`) its installation's lane is still
// that process's (store/write_lanes.hpp), its lease lasting at least until `lease_left_until`
// (unix ms): the attempts made before this one, as stored (a row read earlier may be older than
// an attempt that has ended since); nothing when it may not go out from here.
std::optional<int> mark_sending(Db& db, std::int64_t id, std::string_view owner = {}, std::int64_t lease_left_until = 0);
void mark_sent(Db& db, std::int64_t id, const std::string& result, std::int64_t now_ms);
void retry_write(Db& db, std::int64_t id, const std::string& error, std::int64_t next_at_ms);
// Back to pending without counting an attempt (it never went out), not before `next_at_ms`.
void release_write(Db& db, std::int64_t id, std::int64_t next_at_ms, const std::string& reason);
void park_write(Db& db, std::int64_t id, const std::string& error, std::int64_t now_ms);
// At start-up: writes left 'sending' by a process that died go back to pending (their attempt
// stays counted, so they are looked for on GitHub before they are sent again).
int requeue_sending(Db& db);

std::optional<Row> find_write(Db& db, const std::string& key);
std::vector<Row> writes_of_delivery(Db& db, std::int64_t delivery_seq);
// Every write planned on one pull request (or issue), oldest first.
std::vector<Row> writes_on(Db& db, const std::string& repo, std::int64_t number);
// Only the writes still to go ("pending", "sending"): cheap, from the partial index.
std::map<std::string, std::int64_t> open_counts(Db& db);

}  // namespace mentorbot::store::outbox
