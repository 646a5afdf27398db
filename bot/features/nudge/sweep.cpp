#include "features/nudge/sweep.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"
#include "features/nudge/nudge.hpp"

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
  return nudged;
}

}  // namespace mentorbot::features::nudge
