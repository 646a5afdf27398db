#include "features/nudge/sweep.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"
#include "features/nudge/nudge.hpp"
#include "features/nudge/turns.hpp"

namespace mentorbot::features::nudge {

int sweep(SweepSources& sources, const render::Templates* templates, std::int64_t now_ms, int batch) {
  constexpr std::int64_t day_ms = 24LL * 60 * 60 * 1000;
  int nudged = 0;
  // A day is the shortest wait a config can ask for; each repository's own is checked in decide.
  for (const auto& pr : sources.waiting(now_ms - day_ms, batch)) {
    const RepoConfig* config = nullptr;
    try {
      config = &sources.read_config(pr.installation_id, pr.repo);
    } catch (const std::exception& e) {
      spdlog::warn("nudge: the config of {} cannot be read now ({}); trying at the next sweep", pr.repo, e.what());
      continue;
    }
    auto writes = decide(pr, *config, now_ms, Words(templates, *config));
    if (writes.empty()) continue;
    try {
      sources.hand_over(pr, writes, now_ms);
    } catch (const std::exception& e) {
      spdlog::warn("nudge: the reminder for {}#{} could not be stored ({}); trying at the next sweep", pr.repo,
                   pr.number, e.what());
      continue;
    }
    ++nudged;
    spdlog::info("nudge: {}#{} by {} has waited since {} for a maintainer; reminder planned", pr.repo, pr.number,
                 pr.author, format_iso8601(pr.waiting_since));
  }
  // Whose turn it is: a first response still missing (the escalation), the author's (their note).
  using Decide = std::optional<store::outbox::Write> (*)(const store::pipeline::Entry&, const RepoConfig&,
                                                          std::int64_t, const Words&);
  using Note = store::pipeline::Note;
  for (auto [note, decide_turn] : {std::pair<Note, Decide>{Note::escalation, decide_escalation},
                                   std::pair<Note, Decide>{Note::author_nudge, decide_author_nudge}}) {
    // Every row that may get the note, a page at a time (a page cannot be filled by rows whose
    // repository wants no note: the next page goes on past them).
    std::optional<store::pipeline::Cursor> after;
    for (int page = 0; page < 1000; ++page) {
      auto rows = sources.due(note, now_ms - day_ms, after, batch);
      for (const auto& row : rows) {
        const RepoConfig* config = nullptr;
        try {
          config = &sources.read_config(*row.installation_id, row.repo);
        } catch (const std::exception& e) {
          spdlog::warn("nudge: the config of {} cannot be read now ({}); trying at the next sweep", row.repo, e.what());
          continue;
        }
        auto write = decide_turn(row, *config, now_ms, Words(templates, *config));
        if (!write) continue;
        try {
          if (!sources.hand_over_turn(row, note, *write, now_ms)) continue;
        } catch (const std::exception& e) {
          spdlog::warn("nudge: {} could not be stored ({}); trying at the next sweep", write->key, e.what());
          continue;
        }
        ++nudged;
        spdlog::info("nudge: {} planned ({}#{} has been the {} turn since {})", write->key, row.repo, row.number,
                     note == Note::author_nudge ? "author's" : "maintainers'", format_iso8601(row.turn_since));
      }
      if (static_cast<int>(rows.size()) < batch) break;
      after = store::pipeline::Cursor{rows.back().turn_since, rows.back().repo, rows.back().number};
    }
  }
  return nudged;
}

}  // namespace mentorbot::features::nudge
