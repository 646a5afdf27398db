#pragma once
// Newcomers' open pull requests as the webhooks told them, for the nudge sweep: when each began
// waiting for review, whether a maintainer has answered, whether it was closed or nudged.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace mentorbot::store::pull_requests {

struct Tracked {
  std::string repo;
  std::int64_t number = 0;
  std::int64_t installation_id = 0;
  std::string author;
  std::string status;
  std::int64_t waiting_since = 0;
  std::optional<std::int64_t> responded_at;
  std::optional<std::int64_t> closed_at;
  std::optional<std::int64_t> nudged_at;
};

// Opened, reopened or ready for review: waiting from `now` (a reopened one keeps its answer and
// its nudge, so it is never nudged twice).
void opened(Db& db, const Tracked& pr, std::int64_t now_ms);
void closed(Db& db, const std::string& repo, std::int64_t number, std::int64_t now_ms);
void responded(Db& db, const std::string& repo, std::int64_t number, std::int64_t now_ms);
void nudged(Db& db, const std::string& repo, std::int64_t number, std::int64_t now_ms);
std::optional<Tracked> find(Db& db, const std::string& repo, std::int64_t number);
// Who approved a pull request (for the mentor coins at its merge); a dismissed review is withdrawn.
struct Approval {
  std::string login;
  std::string avatar_url;
  std::int64_t approved_at = 0;
};
void approved(Db& db, const std::string& repo, std::int64_t number, const Approval& approval);
void withdrawn(Db& db, const std::string& repo, std::int64_t number, const std::string& login);
std::vector<Approval> approvals(Db& db, const std::string& repo, std::int64_t number);

// Open, unanswered, never nudged, waiting since before `before_ms`; oldest first.
std::vector<Tracked> waiting(Db& db, std::int64_t before_ms, int limit);

}  // namespace mentorbot::store::pull_requests
