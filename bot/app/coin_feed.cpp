#include "app/coin_feed.hpp"

#include <boost/json/serialize.hpp>

#include "features/coins/leaderboard.hpp"
#include "store/coins.hpp"

namespace mentorbot::app {

CoinFeed::CoinFeed(store::Store& store, http::EventStream& stream) : store_(store), stream_(stream) {
  published_ = store_.read([](store::Db& db) { return store::coins::last_id(db); });
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
      stream_.publish(a.id, "coin", boost::json::serialize(features::coins::to_json(a, sprints)));
      published_ = a.id;
    }
    if (batch.size() < 500) return;
  }
}

void CoinFeed::attach(std::shared_ptr<http::StreamSink> sink, std::optional<std::int64_t> last_event_id) {
  std::lock_guard lock(mutex_);
  std::int64_t seen = published_;
  if (last_event_id && *last_event_id < published_) {
    std::vector<store::coins::Award> missed;
    std::vector<store::coins::Sprint> sprints;
    store_.read([&](store::Db& db) {
      missed = store::coins::since(db, *last_event_id, catch_up_limit + 1);
      sprints = store::coins::sprints(db);
    });
    if (missed.size() > static_cast<std::size_t>(catch_up_limit)) {
      // Too far behind to replay: the page reloads the board instead.
      sink->push(std::make_shared<const std::string>(http::chunk(http::sse_message(published_, "reset", "{}"))));
    } else {
      for (const auto& a : missed) {
        if (a.id > published_) break;  // the next pump sends these
        auto data = boost::json::serialize(features::coins::to_json(a, sprints));
        sink->push(std::make_shared<const std::string>(http::chunk(http::sse_message(a.id, "coin", data))));
      }
    }
  }
  stream_.subscribe(std::move(sink), seen);
}

std::int64_t CoinFeed::published() const {
  std::lock_guard lock(mutex_);
  return published_;
}

}  // namespace mentorbot::app
