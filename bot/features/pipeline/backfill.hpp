#pragma once
// The backfill's pure part: pull requests as GitHub's REST API lists them, with their reviews and
// comments, replayed through the same state machine the webhooks drive (turn.hpp), so that the
// numbers mean something on day one. app/backfill.* reads GitHub and keeps the rows.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/pipeline/turn.hpp"
#include "store/pipeline.hpp"

namespace mentorbot::features::pipeline {

struct PastPullRequest {
  std::string repo;
  std::int64_t number = 0;
  std::string author;
  bool author_is_bot = false;
  std::string association;  // the author's, as GitHub says it now
  std::string title;
  bool draft = false;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> merged_at;
  std::optional<std::int64_t> closed_at;
  std::vector<Step> steps;  // reviews and comments, in any order
};

// Pure: which pull requests were a newcomer's, over every pull request the backfill saw (any
// order): not a maintainer's or a bot's, and fewer than `threshold` pull requests of the same
// author merged before it was opened. The backfill sees only its window; a person whose merges all came
// before it counts as new, unless GitHub calls them a CONTRIBUTOR and nothing in the window made
// them one. One flag per pull request, in the order given.
std::vector<bool> newcomers(const std::vector<PastPullRequest>& prs, int threshold);

// Pure: the row the webhooks would have made for it (nullopt for a bot's), its events replayed
// in time order; the merge or close comes last among equal times.
std::optional<store::pipeline::Entry> replayed(const PastPullRequest& pr, bool newcomer,
                                               std::optional<std::int64_t> installation);

// Pure: the row to keep when one is there already: the webhooks' classification of the author
// and the notes already sent stand, the earlier first response counts, and the replayed history
// never takes a row backwards (a merge, a close or a later turn the webhooks saw stands).
store::pipeline::Entry merged_with(store::pipeline::Entry replayed, const std::optional<store::pipeline::Entry>& kept);

}  // namespace mentorbot::features::pipeline
