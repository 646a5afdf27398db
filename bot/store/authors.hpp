#pragma once
// The persisted author index of each mirrored repository: which commit it has counted up to,
// and the identities it found, so a restart does not rescan the history.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace mentorbot::store::authors {

struct Identity {
  std::string name;
  std::string email;
  std::int64_t commits = 0;
  std::int64_t first_commit_at = 0;
};

struct Saved {
  std::string tip;
  std::int64_t commits = 0;
  std::vector<Identity> identities;
};

std::optional<Saved> load(Db& db, const std::string& repo);
// Replaces everything saved for `repo` (a full scan).
void replace(Db& db, const std::string& repo, const std::string& tip, const std::vector<Identity>& identities,
             std::int64_t now_ms);
// Adds the identities of newly counted commits and moves the tip.
void add(Db& db, const std::string& repo, const std::string& tip, const std::vector<Identity>& identities,
         std::int64_t now_ms);

}  // namespace mentorbot::store::authors
