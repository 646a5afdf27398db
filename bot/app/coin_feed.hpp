#pragma once
// The live coin events: after a delivery's awards are committed, the feed reads the ledger past
// the last id it sent and publishes each award to every viewer of /api/events. The ledger is the
// truth and the stream a tail of it, so an event is sent only for a committed coin, once, and a
// viewer that reconnects with Last-Event-ID catches up from the store.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "http/event_stream.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

class CoinFeed {
 public:
  // Starts at the end of the ledger: what was awarded before this process started is history.
  CoinFeed(store::Store& store, http::EventStream& stream);

  // New awards may have been committed: publish them (from any thread).
  void pump();
  // A new viewer. `last_event_id`: a reconnecting EventSource's last event; it is sent what it
  // missed (at most `catch_up_limit` events, else it is told to reload the board).
  void attach(std::shared_ptr<http::StreamSink> sink, std::optional<std::int64_t> last_event_id);

  std::int64_t published() const;
  static constexpr int catch_up_limit = 5000;

 private:
  store::Store& store_;
  http::EventStream& stream_;
  mutable std::mutex mutex_;  // one pump or attach at a time, so ids go out in order
  std::int64_t published_ = 0;
};

}  // namespace mentorbot::app
