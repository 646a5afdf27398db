#pragma once
// The pipeline: every pull request a person opened, with whose turn it is and when it was first
// answered, merged or closed, as the webhooks (and the backfill) told it. One row per pull
// request; features/pipeline/ decides how a row moves, this keeps it, and
// store/pipeline_numbers.hpp reads the numbers from it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace mentorbot::store::pipeline {

struct Entry {
  std::string repo;
  std::int64_t number = 0;
  std::optional<std::int64_t> installation_id;
  std::string author;
  std::string title;
  bool newcomer = false;
  std::string turn;  // features::pipeline::to_string(Turn)
  std::int64_t opened_at = 0;
  std::int64_t turn_since = 0;
  std::optional<std::int64_t> first_response_at;
  std::optional<std::int64_t> merged_at;
  std::optional<std::int64_t> closed_at;
  bool draft = false;
  std::int64_t ready_at = 0;  // opened, or last marked ready for review: where waiting starts
  std::optional<std::int64_t> author_nudged_at;
  std::optional<std::int64_t> escalated_at;
};

// The whole row, inserted or replaced.
void save(Db& db, const Entry& entry);
std::optional<Entry> find(Db& db, const std::string& repo, std::int64_t number);

// Which pull requests: one repository ("owner/name"), every repository of an owner, or a list
// of repositories (a sprint's); with none of them, all. Logins and names in any case.
struct Scope {
  std::string repo;
  std::string org;
  std::vector<std::string> repos;
};
// The rows in `scope` opened at or after `since_ms`, and every open one still waiting for its
// first response however old (the numbers need both). Oldest first.
std::vector<Entry> rows(Db& db, const Scope& scope, std::int64_t since_ms);

// The once-only notes that follow the turn: to the escalation team while a newcomer's pull
// request waits for a first response, to its author while it is theirs.
enum class Note { escalation, author_nudge };
struct Cursor {
  std::int64_t turn_since = 0;
  std::string repo;
  std::int64_t number = 0;
};
// Newcomers' open pull requests, not drafts, that may get `note`: their turn for it since before
// `before_ms` and no such note yet; oldest first, a page of `limit` after `after`.
std::vector<Entry> due(Db& db, Note note, std::int64_t before_ms, const std::optional<Cursor>& after, int limit);

// Marks the one escalation / the one note to the author, only while the turn is still `turn` and
// it was not marked before; false when the pull request moved on (or was marked) meanwhile.
bool mark_escalated(Db& db, const std::string& repo, std::int64_t number, const std::string& turn, std::int64_t now_ms);
bool mark_author_nudged(Db& db, const std::string& repo, std::int64_t number, const std::string& turn,
                        std::int64_t now_ms);

}  // namespace mentorbot::store::pipeline
