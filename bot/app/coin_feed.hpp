#pragma once
// The live coin events: after a delivery's awards are committed, the feed reads the ledger past
// the last id it sent and publishes each award to every viewer of /api/events. The ledger is the
// truth and the stream a tail of it, so an event is sent only for a committed coin, once, and a
// viewer that reconnects with Last-Event-ID catches up from the store.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/any_io_executor.hpp>

#include "http/event_stream.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

class CoinFeed {
 public:
  // Starts at the end of the ledger: what was awarded before this process started is history.
  // Pumps run on `executor`, never on the thread that called notify().
  CoinFeed(store::Store& store, http::EventStream& stream, boost::asio::any_io_executor executor);

  // New awards may have been committed (cheap, from any thread; calls close together make one pump).
  void notify();
  // Publishes what the ledger holds past the last id sent. Throws what the store throws.
  void pump();
  // A new viewer. `last_event_id`: a reconnecting EventSource's last event; it is sent what it
  // missed in one piece (at most `catch_up_limit` events, else a `reset` event: reload the board).
  void attach(std::shared_ptr<http::StreamSink> sink, std::optional<std::int64_t> last_event_id);

  std::int64_t published() const;
  // About 0.5 MB of events: well inside a viewer's queue (http/server.cpp).
  static constexpr int catch_up_limit = 1000;

 private:
  store::Store& store_;
  http::EventStream& stream_;
  boost::asio::any_io_executor executor_;
  std::atomic<bool> pump_queued_{false};
  mutable std::mutex mutex_;  // one pump or attach at a time, so ids go out once and in order
  std::int64_t published_ = 0;
};

}  // namespace mentorbot::app
