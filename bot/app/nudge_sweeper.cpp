#include "app/nudge_sweeper.hpp"

#include <map>

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "store/outbox.hpp"
#include "store/pipeline.hpp"
#include "store/pull_requests.hpp"
#include "store/sweeps.hpp"

namespace mentorbot::app {
namespace {

// What one pass of the sweep asks, over the store and the configs (each config read once a pass).
class Sources final : public features::nudge::SweepSources {
 public:
  Sources(store::Store& store, RepoConfigs* configs, bool dry_run) : store_(store), configs_(configs), dry_run_(dry_run) {}

  std::vector<store::pull_requests::Tracked> waiting(std::int64_t before_ms, int limit) override {
    return store_.read([&](store::Db& db) { return store::pull_requests::waiting(db, before_ms, limit); });
  }
  const features::RepoConfig& read_config(std::int64_t installation, const std::string& repo) override {
    auto it = read_.find(repo);
    if (it != read_.end()) return it->second;
    features::RepoConfig config;
    if (configs_) config = configs_->config(installation, repo);
    return read_.emplace(repo, std::move(config)).first->second;
  }
  void hand_over(const store::pull_requests::Tracked& pr, const std::vector<store::outbox::Write>& writes,
                 std::int64_t now_ms) override {
    std::vector<const store::outbox::Write*> stored;
    store_.writes().run([&](store::Db& db) {
      stored.clear();
      for (const auto& w : writes) {
        if (store::outbox::add(db, w, std::nullopt, dry_run_, now_ms) == store::outbox::Added::added) stored.push_back(&w);
      }
      store::pull_requests::nudged(db, pr.repo, pr.number, now_ms);
    });
    if (dry_run_) {
      for (const auto* w : stored) store::outbox::log_dry_run(*w);
    }
  }
  std::vector<store::pipeline::Entry> due(store::pipeline::Note note, std::int64_t before_ms,
                                          const std::optional<store::pipeline::Cursor>& after, int limit) override {
    return store_.read([&](store::Db& db) { return store::pipeline::due(db, note, before_ms, after, limit); });
  }
  bool hand_over_turn(const store::pipeline::Entry& row, store::pipeline::Note note, const store::outbox::Write& write,
                      std::int64_t now_ms) override {
    bool marked = false;
    bool stored = false;
    store_.writes().run([&](store::Db& db) {
      marked = note == store::pipeline::Note::escalation
                   ? store::pipeline::mark_escalated(db, row.repo, row.number, row.turn, now_ms)
                   : store::pipeline::mark_author_nudged(db, row.repo, row.number, row.turn, now_ms);
      stored = marked && store::outbox::add(db, write, std::nullopt, dry_run_, now_ms) == store::outbox::Added::added;
    });
    if (dry_run_ && stored) store::outbox::log_dry_run(write);
    return marked;
  }

 private:
  store::Store& store_;
  RepoConfigs* configs_;
  bool dry_run_;
  std::map<std::string, features::RepoConfig> read_;
};

}  // namespace

NudgeSweeper::NudgeSweeper(boost::asio::any_io_executor executor, store::Store& store, RepoConfigs* configs,
                           const render::Templates* templates, NudgeOptions options, std::function<void()> on_writes)
    : store_(store),
      configs_(configs),
      templates_(templates),
      options_(options),
      on_writes_(std::move(on_writes)),
      periodic_(std::move(executor), options_.every, [this] {
        auto now = unix_ms();
        bool mine = options_.owner.empty();
        if (!mine) {
          store_.writes().run([&](store::Db& db) {
            mine = store::sweeps::claim(db, "nudge", options_.owner, now, options_.every.count());
          });
        }
        if (mine) sweep(now);
      }) {}

void NudgeSweeper::start() { periodic_.start(); }

void NudgeSweeper::stop() { periodic_.stop(); }

int NudgeSweeper::sweep(std::int64_t now_ms) {
  int nudged = 0;
  try {
    Sources sources(store_, configs_, options_.dry_run);
    nudged = features::nudge::sweep(sources, templates_, now_ms, options_.batch);
  } catch (const std::exception& e) {
    spdlog::warn("nudge sweep failed (will try again): {}", e.what());
  }
  if (nudged > 0 && on_writes_) on_writes_();
  return nudged;
}

}  // namespace mentorbot::app
