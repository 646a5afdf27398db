#pragma once
// The nudge's periodic sweep: every so often, each newcomer pull request that has waited long
// enough without a maintainer's word gets its one reminder (features/nudge decides), planned
// into the outbox in the same transaction that marks it nudged.
#include <chrono>
#include <cstdint>
#include <functional>

#include <boost/asio/any_io_executor.hpp>

#include "features/ports.hpp"
#include "app/periodic.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

struct NudgeOptions {
  std::chrono::milliseconds every{std::chrono::minutes(15)};
  bool dry_run = false;
  int batch = 100;  // pull requests looked at per pass
};

class NudgeSweeper {
 public:
  NudgeSweeper(boost::asio::any_io_executor executor, store::Store& store, features::ConfigSource* configs,
               const render::Templates* templates, NudgeOptions options, std::function<void()> on_writes);
  void start();
  void stop();
  // One pass as of `now_ms`; returns how many pull requests were nudged.
  int sweep(std::int64_t now_ms);

 private:
  store::Store& store_;
  features::ConfigSource* configs_;
  const render::Templates* templates_;
  NudgeOptions options_;
  std::function<void()> on_writes_;
  Periodic periodic_;  // declared last: it stops before the parts its job uses go away
};

}  // namespace mentorbot::app
