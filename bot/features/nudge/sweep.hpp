#pragma once
// The nudge's sweep: every so often, each newcomer pull request that has waited long enough
// without a maintainer's word gets its one reminder, planned into the outbox in the same
// transaction that marks it nudged. The app runs it on a timer and implements what it asks.
#include <cstdint>
#include <vector>

#include "features/repo_config.hpp"
#include "store/outbox.hpp"
#include "store/pipeline.hpp"
#include "store/pull_requests.hpp"

namespace mentorbot::render {
class Templates;
}

namespace mentorbot::features::nudge {

struct SweepSources {
  virtual ~SweepSources() = default;
  // Open, unanswered, never nudged, waiting since before `before_ms`; oldest first.
  virtual std::vector<store::pull_requests::Tracked> waiting(std::int64_t before_ms, int limit) = 0;
  // Throws when it cannot be read now (the pull request waits for the next sweep).
  virtual const RepoConfig& read_config(std::int64_t installation, const std::string& repo) = 0;
  // Stores the writes and marks the pull request nudged, in one transaction.
  virtual void hand_over(const store::pull_requests::Tracked& pr, const std::vector<store::outbox::Write>& writes,
                         std::int64_t now_ms) = 0;
  // The pipeline's rows that may get `note` (store::pipeline::due), a page after `after`.
  virtual std::vector<store::pipeline::Entry> due(store::pipeline::Note note, std::int64_t before_ms,
                                                  const std::optional<store::pipeline::Cursor>& after, int limit) = 0;
  // Stores `write` and marks the row for `note` (store::pipeline::mark_escalated or
  // mark_author_nudged) in one transaction, only while its turn is still `row.turn`; false when
  // it moved on meanwhile (nothing stored).
  virtual bool hand_over_turn(const store::pipeline::Entry& row, store::pipeline::Note note, const store::outbox::Write& write,
                              std::int64_t now_ms) = 0;
};

// One pass as of `now_ms` over at most `batch` pull requests of each kind: the reviewers'
// reminders (nudge.hpp), the escalations and the notes to authors (turns.hpp); returns how many
// writes were planned.
int sweep(SweepSources& sources, const render::Templates* templates, std::int64_t now_ms, int batch = 100);

}  // namespace mentorbot::features::nudge
