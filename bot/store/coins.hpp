#pragma once
// The challenge-coin ledger and the sprints that count it. One row per coin, keyed by what
// earned it, so awarding is idempotent; the leaderboard, the badges, the CSV export and the
// live event stream are all read from here.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace mentorbot::store::coins {

struct Award {
  std::int64_t id = 0;  // ledger order; 0 until stored
  std::string key;      // merge:owner/repo#7, mentor:owner/repo#7:login, award:owner/repo#9:comment-id
  std::string kind;     // merge | mentor | award
  std::string login;
  std::string avatar_url;
  std::string repo;
  std::int64_t number = 0;
  std::string title;   // of the pull request (or issue)
  std::string reason;  // for an award by comment
  bool newcomer = false;
  bool first_timer = false;  // first merged pull request of the author in this repo
  std::string awarded_by;
  std::int64_t awarded_at = 0;  // ms
};

// Stores the coin unless its key is already in the ledger. True when it was new.
bool award(Db& db, const Award& a);
bool exists(Db& db, const std::string& key);
std::optional<Award> find(Db& db, const std::string& key);
// Coins of `kind` that `login` holds in `repo` (every kind when empty).
std::int64_t count(Db& db, const std::string& login, const std::string& repo, const std::string& kind = "");
// Every coin `login` holds.
std::int64_t total(Db& db, const std::string& login);
// Coins after ledger id `after`, oldest first (the live stream and its catch-up).
std::vector<Award> since(Db& db, std::int64_t after, int limit);
std::int64_t last_id(Db& db);

struct Sprint {
  std::string slug;
  std::string name;
  std::int64_t starts_at = 0;  // ms, inclusive
  std::int64_t ends_at = 0;    // ms, exclusive
  std::string org;             // every repo of this owner…
  std::vector<std::string> repos;         // …or these
  std::vector<std::string> participants;  // empty: everyone
  std::int64_t created_at = 0;

  // Whether an award counts for this sprint.
  bool counts(const Award& a) const;
};

// False when the slug is taken.
bool create_sprint(Db& db, const Sprint& s);
std::vector<Sprint> sprints(Db& db);  // by start time, newest first
std::optional<Sprint> find_sprint(Db& db, const std::string& slug);
// The sprint running at `now_ms` (the latest started when several do).
std::optional<Sprint> current_sprint(Db& db, std::int64_t now_ms);

// Coins in a sprint's window and scope (every coin without a sprint), oldest first.
std::vector<Award> awards(Db& db, const std::optional<Sprint>& sprint);

}  // namespace mentorbot::store::coins
