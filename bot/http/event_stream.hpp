#pragma once
// Server-Sent Events to many viewers at once: each event is formatted and framed once and the
// same bytes go to every connection. Every viewer remembers the last id it was sent, so an event
// reaches each viewer once, in order, whether it arrived live or in a catch-up.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace mentorbot::http {

// One SSE message ("id: 7\nevent: coin\ndata: {...}\n\n"); newlines in `data` become data lines.
std::string sse_message(std::int64_t id, std::string_view event, std::string_view data);

// A reconnecting viewer's Last-Event-ID: only what this server could have sent (a plain
// non-negative integer) counts; anything else ("1e9", "-1", "") is nullopt: start from now.
std::optional<std::int64_t> parse_last_event_id(std::string_view header);

class EventStream {
 public:
  // A viewer that already has every event up to id `seen`.
  void subscribe(std::shared_ptr<StreamSink> sink, std::int64_t seen);
  // Sends the event to every viewer that has not had it. Returns how many were sent it.
  std::size_t publish(std::int64_t id, std::string_view event, std::string_view data);
  // A comment line to every viewer (keeps proxies from closing an idle stream) and forgets the
  // viewers that left.
  void heartbeat();
  std::size_t viewers();

 private:
  struct Viewer {
    std::weak_ptr<StreamSink> sink;
    std::int64_t seen = 0;
  };
  mutable std::mutex mutex_;
  std::vector<Viewer> viewers_;
};

}  // namespace mentorbot::http
