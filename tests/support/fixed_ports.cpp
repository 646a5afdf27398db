#include "support/fixed_ports.hpp"

#include "core/clock.hpp"
#include "github/client.hpp"
#include "store/pipeline_numbers.hpp"

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

std::optional<std::int64_t> FakeSources::usual_first_response_s(const std::string& repo, std::int64_t except,
                                                                int min_points) {
  auto now = mentorbot::unix_ms();
  mentorbot::store::pipeline::Window window{now - 90LL * 24 * 3600 * 1000, now};
  std::vector<mentorbot::store::pipeline::Entry> rows;
  for (const auto& r : pipeline) {
    if (r.repo == repo && r.number != except) rows.push_back(r);
  }
  return mentorbot::store::pipeline::usual_first_response_s(rows, window, min_points);
}

}  // namespace testing
