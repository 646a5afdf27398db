#include "app/nudge_sweeper.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "features/nudge/nudge.hpp"
#include "store/outbox.hpp"
#include "store/pull_requests.hpp"

namespace mentorbot::app {

NudgeSweeper::NudgeSweeper(boost::asio::any_io_executor executor, store::Store& store,
                           features::ConfigSource* configs, const render::Templates* templates, NudgeOptions options,
                           std::function<void()> on_writes)
    : store_(store),
      configs_(configs),
      templates_(templates),
      options_(options),
      on_writes_(std::move(on_writes)),
      periodic_(std::move(executor), options_.every, [this] { sweep(unix_ms()); }) {}

void NudgeSweeper::start() { periodic_.start(); }

void NudgeSweeper::stop() { periodic_.stop(); }

int NudgeSweeper::sweep(std::int64_t now_ms) {
  constexpr std::int64_t day_ms = 24LL * 60 * 60 * 1000;
  int nudged = 0;
  try {
    // A day is the shortest wait a config can ask for; each repository's own is checked below.
    auto waiting = store_.read([&](store::Db& db) {
      return store::pull_requests::waiting(db, now_ms - day_ms, options_.batch);
    });
    for (const auto& pr : waiting) {
      RepoConfig config;
      try {
        if (configs_) config = configs_->config(pr.installation_id, pr.repo);
      } catch (const std::exception& e) {
        spdlog::warn("nudge: the config of {} cannot be read now ({}); trying at the next sweep", pr.repo, e.what());
        continue;
      }
      auto writes = features::nudge::decide(pr, config, now_ms, templates_);
      if (writes.empty()) continue;
      store_.writes().run([&](store::Db& db) {
        for (const auto& w : writes) store::outbox::add(db, w, std::nullopt, options_.dry_run, now_ms);
        store::pull_requests::nudged(db, pr.repo, pr.number, now_ms);
      });
      ++nudged;
      spdlog::info("nudge: {}#{} by {} has waited since {} for a maintainer; reminder planned", pr.repo, pr.number,
                   pr.author, pr.waiting_since);
    }
  } catch (const std::exception& e) {
    spdlog::warn("nudge sweep failed (will try again): {}", e.what());
  }
  if (nudged > 0 && on_writes_) on_writes_();
  return nudged;
}

}  // namespace mentorbot::app
