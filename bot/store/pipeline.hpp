#pragma once
// The pipeline: every pull request a person opened, with whose turn it is and when it was first
// answered, merged or closed, as the webhooks (and the backfill) told it. One row per pull
// request; features/pipeline/ decides how a row moves, this keeps it.
#include <cstdint>
#include <optional>
#include <string>

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
};

// The whole row, inserted or replaced.
void save(Db& db, const Entry& entry);
std::optional<Entry> find(Db& db, const std::string& repo, std::int64_t number);

}  // namespace mentorbot::store::pipeline
