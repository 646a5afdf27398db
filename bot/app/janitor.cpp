#include "app/janitor.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "store/inbox.hpp"
#include "store/sweeps.hpp"

namespace mentorbot::app {

Janitor::Janitor(boost::asio::any_io_executor executor, store::Store& store, JanitorOptions options)
    : store_(store), options_(options), periodic_(std::move(executor), options_.every, [this] { sweep(); }) {}

void Janitor::start() { periodic_.start(); }

void Janitor::stop() { periodic_.stop(); }

void Janitor::sweep() {
  auto now = unix_ms();
  try {
    store::inbox::Purged purged;
    store_.writes().run([&](store::Db& db) {
      if (!options_.owner.empty() && !store_.payload_log() &&
          !store::sweeps::claim(db, "janitor", options_.owner, now, options_.every.count())) {
        return;  // another process sweeps this period
      }
      purged = store::inbox::purge(db, store_.payload_log(), now - options_.keep_payloads.count(),
                                   now - options_.keep_deliveries.count());
    });
    if (purged.rows || purged.segments) {
      spdlog::info("housekeeping: forgot {} old deliveries, deleted {} payload segment(s)", purged.rows,
                   purged.segments);
    }
  } catch (const std::exception& e) {
    spdlog::warn("housekeeping failed (will try again): {}", e.what());
  }
}

}  // namespace mentorbot::app
