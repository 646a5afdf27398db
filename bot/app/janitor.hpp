#pragma once
// Housekeeping on a timer: forgets deliveries once GitHub can no longer redeliver them, and
// deletes payload log segments nobody needs.
#include <chrono>
#include <string>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "app/periodic.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

struct JanitorOptions {
  std::chrono::milliseconds every{std::chrono::minutes(10)};
  // GitHub Enterprise redelivers up to 7 days back: delivery ids are kept a day longer.
  std::chrono::milliseconds keep_deliveries{std::chrono::hours(24 * 8)};
  // Payloads of finished deliveries, for `mentorbot replay` and debugging.
  std::chrono::milliseconds keep_payloads{std::chrono::hours(24)};
  // With several processes on one database, each period's sweep runs in one of them (the
  // payload log's segments, beside SQLite, are this process's own and always looked at).
  std::string owner;  // empty: every period, here
};

class Janitor {
 public:
  Janitor(boost::asio::any_io_executor executor, store::Store& store, JanitorOptions options);
  void start();
  void stop();
  // One pass, now (tests, and the first pass at start-up).
  void sweep();

 private:
  store::Store& store_;
  JanitorOptions options_;
  Periodic periodic_;  // declared last: it stops before the parts its job uses go away
};

}  // namespace mentorbot::app
