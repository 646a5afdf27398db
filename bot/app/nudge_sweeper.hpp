#pragma once
// Runs the nudge's sweep (features/nudge/sweep.hpp) on a timer, over the store and the
// repositories' configs: each reminder is planned into the outbox in the same transaction that
// marks its pull request nudged.
#include <chrono>
#include <string>
#include <cstdint>
#include <functional>

#include <boost/asio/any_io_executor.hpp>

#include "app/periodic.hpp"
#include "app/repo_configs.hpp"
#include "features/nudge/sweep.hpp"
#include "store/store.hpp"

namespace mentorbot::render {
class Templates;
}

namespace mentorbot::app {

struct NudgeOptions {
  std::chrono::milliseconds every{std::chrono::minutes(15)};
  bool dry_run = false;
  int batch = 100;  // pull requests looked at per pass
  std::string owner;  // with several processes on one database, one of them sweeps each period; empty: here
};

class NudgeSweeper {
 public:
  // `configs` null: the defaults. `on_writes`: called when a pass planned writes (the sender's cue).
  NudgeSweeper(boost::asio::any_io_executor executor, store::Store& store, RepoConfigs* configs,
               const render::Templates* templates, NudgeOptions options, std::function<void()> on_writes);
  void start();
  void stop();
  // One pass as of `now_ms`; returns how many pull requests were nudged.
  int sweep(std::int64_t now_ms);

 private:
  store::Store& store_;
  RepoConfigs* configs_;
  const render::Templates* templates_;
  NudgeOptions options_;
  std::function<void()> on_writes_;
  Periodic periodic_;  // declared last: it stops before the parts its job uses go away
};

}  // namespace mentorbot::app
