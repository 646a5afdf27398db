#pragma once
// `mentorbot backfill OWNER/REPO [--days 90]`: the pull requests opened in the window, with their
// reviews and comments, read through GitHub's REST API and replayed into the pipeline's rows
// (features/pipeline/backfill.hpp), so the numbers mean something on day one. Paged; a rate limit
// is waited out; a checkpoint file after every pull request lets a run that stopped go on where it
// was; a second run finds the same history and writes the same rows.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "github/client.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

struct BackfillOptions {
  std::string repo;  // owner/name
  int days = 90;
  std::int64_t installation = 0;
  int newcomer_threshold = 3;
  std::filesystem::path checkpoint;  // where a run keeps how far it got
  std::int64_t now_ms = 0;
};

struct BackfillReport {
  std::int64_t listed = 0;   // pull requests opened in the window
  std::int64_t skipped = 0;  // done by an earlier run that stopped
  std::int64_t saved = 0;
  std::int64_t newcomers = 0;
};

// Throws github::ApiError (refused: no access, no such repository), github::Unavailable (GitHub
// away after retries) or store errors; what was saved stays, and the next run goes on from there.
BackfillReport backfill(github::Client& client, store::Store& store, const BackfillOptions& options,
                        const std::function<void(const std::string&)>& say);

// The installation the store has heard from for `repo` (its deliveries), if any.
std::optional<std::int64_t> known_installation(store::Store& store, const std::string& repo);

}  // namespace mentorbot::app
