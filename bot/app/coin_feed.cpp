#include "app/coin_feed.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "http/sprint_board.hpp"
#include "store/coins.hpp"

namespace mentorbot::app {
namespace {

std::string coin_message(const store::coins::Award& a, const std::vector<store::coins::Sprint>& sprints) {
  return http::sse_message(a.id, "coin", boost::json::serialize(http::to_json(a, sprints)));
}

}  // namespace

CoinFeed::CoinFeed(store::Store& store, http::EventStream& stream, boost::asio::any_io_executor executor)
    : store_(store), stream_(stream), executor_(std::move(executor)) {
  published_ = store_.read([](store::Db& db) { return store::coins::last_id(db); });
}

void CoinFeed::notify() {
  if (pump_queued_.exchange(true)) return;
  boost::asio::post(executor_, [this] {
    pump_queued_ = false;
    try {
      pump();
    } catch (const std::exception& e) {
      // The next commit tries again; viewers that reconnect catch up from the ledger.
      spdlog::warn("live coin events: {}", e.what());
    }
  });
}

void CoinFeed::pump() {
  std::lock_guard lock(mutex_);
  while (true) {
    std::vector<store::coins::Award> batch;
    std::vector<store::coins::Sprint> sprints;
    store_.read([&](store::Db& db) {
      batch = store::coins::since(db, published_, 500);
      if (!batch.empty()) sprints = store::coins::sprints(db);
    });
    for (const auto& a : batch) {
      stream_.publish(a.id, "coin", boost::json::serialize(http::to_json(a, sprints)));
      published_ = a.id;
    }
    if (batch.size() < 500) return;
  }
}

void CoinFeed::attach(std::shared_ptr<http::StreamSink> sink, std::optional<std::int64_t> last_event_id) {
  std::lock_guard lock(mutex_);
  std::string bytes;
  if (last_event_id && *last_event_id < published_) {
    store_.read([&](store::Db& db) {
      auto missed = store::coins::since(db, *last_event_id, catch_up_limit + 1);
      if (missed.size() > static_cast<std::size_t>(catch_up_limit)) {
        bytes = http::sse_message(published_, "reset", "{}");  // too far behind: reload the board
        return;
      }
      auto sprints = store::coins::sprints(db);
      for (const auto& a : missed) {
        if (a.id > published_) break;  // the next pump sends these
        bytes += coin_message(a, sprints);
      }
    });
  }
  std::int64_t seen = published_;
  if (last_event_id && *last_event_id > published_) {
    // Seen on another replica ahead of this one's feed: not again. (More than the ledger holds
    // is a client's mistake: it hears what comes next.)
    auto newest = store_.read([](store::Db& db) { return store::coins::last_id(db); });
    seen = std::min(*last_event_id, newest);
  }
  // Where this viewer's stream starts, as an id with no event: an EventSource keeps it and sends
  // it back as Last-Event-ID, so one that reconnects before it heard its first coin still
  // catches up from here instead of from whenever it came back.
  bytes += "id: " + std::to_string(seen) + "\n\n";
  sink->push(std::make_shared<const std::string>(http::chunk(bytes)));
  stream_.subscribe(std::move(sink), seen);
}

std::int64_t CoinFeed::published() const {
  std::lock_guard lock(mutex_);
  return published_;
}

}  // namespace mentorbot::app
