#include "http/event_stream.hpp"

#include <charconv>

namespace mentorbot::http {

std::string sse_message(std::int64_t id, std::string_view event, std::string_view data) {
  std::string out = "id: " + std::to_string(id) + "\nevent: ";
  out.append(event);
  out += '\n';
  std::size_t start = 0;
  while (true) {
    auto end = data.find('\n', start);
    out += "data: ";
    out.append(data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out += '\n';
  return out;
}

std::optional<std::int64_t> parse_last_event_id(std::string_view header) {
  if (header.empty() || header.front() < '0' || header.front() > '9') return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), id);
  if (ec != std::errc() || end != header.data() + header.size()) return std::nullopt;
  return id;
}

void EventStream::subscribe(std::shared_ptr<StreamSink> sink, std::int64_t seen) {
  std::lock_guard lock(mutex_);
  viewers_.push_back({std::move(sink), seen});
}

std::size_t EventStream::publish(std::int64_t id, std::string_view event, std::string_view data) {
  auto bytes = std::make_shared<const std::string>(chunk(sse_message(id, event, data)));
  std::lock_guard lock(mutex_);
  std::size_t sent = 0;
  std::erase_if(viewers_, [&](Viewer& v) {
    if (v.seen >= id) return false;
    auto sink = v.sink.lock();
    if (!sink || !sink->push(bytes)) return true;
    v.seen = id;
    ++sent;
    return false;
  });
  return sent;
}

void EventStream::heartbeat() {
  static const auto bytes = std::make_shared<const std::string>(chunk(": keep-alive\n\n"));
  std::lock_guard lock(mutex_);
  std::erase_if(viewers_, [&](Viewer& v) {
    auto sink = v.sink.lock();
    return !sink || !sink->push(bytes);
  });
}

std::size_t EventStream::viewers() {
  std::lock_guard lock(mutex_);
  // A viewer that left is gone as soon as its connection is: the count holds the cap.
  std::erase_if(viewers_, [](const Viewer& v) { return v.sink.expired(); });
  return viewers_.size();
}

}  // namespace mentorbot::http
