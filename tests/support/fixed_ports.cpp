#include "support/fixed_ports.hpp"

#include "core/clock.hpp"
#include "github/client.hpp"

namespace testing {

const std::vector<mentorbot::github::ChangedFile>& FakeSources::read_files(const mentorbot::github::PullRequestEvent&) {
  ++files_read;
  if (files_fail) throw mentorbot::github::Unavailable("the fake GitHub is down");
  return files;
}

mentorbot::features::Plan commit(mentorbot::store::Store& store, mentorbot::features::Handover& handover) {
  auto plan = handover.plan;
  store.writes().run([&](mentorbot::store::Db& db) {
    for (const auto& step : handover.steps) step(db, plan);
    for (const auto& w : plan.writes) mentorbot::store::outbox::add(db, w, std::nullopt, false, mentorbot::unix_ms());
  });
  return plan;
}

}  // namespace testing
