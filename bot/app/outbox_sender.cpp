#include "app/outbox_sender.hpp"

#include <pthread.h>

#include <cmath>
#include <future>
#include <algorithm>
#include <random>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "core/backoff.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "github/client.hpp"

namespace mentorbot::app {

namespace {
constexpr int load_limit = 512;
using SteadyClock = std::chrono::steady_clock;

// With pacing on, one write per turn; with it off, a run of writes shares one "sending" commit.
std::size_t batch_size(std::chrono::milliseconds interval) { return interval.count() == 0 ? 32 : 1; }
}  // namespace

OutboxSender::OutboxSender(store::Store& store, GitHubWrites& github, Metrics& metrics, SenderOptions options)
    : store_(store),
      github_(github),
      metrics_(metrics),
      options_(options),
      strand_(net::make_strand(io_)),
      poll_timer_(strand_) {}

OutboxSender::~OutboxSender() { stop(std::chrono::milliseconds(0)); }

void OutboxSender::on_outcome(std::function<void(const store::outbox::Row&, const std::string&)> observer) {
  observer_ = std::move(observer);
}

void OutboxSender::start() {
  int requeued = 0;
  store_.writes().run([&](store::Db& db) { requeued = store::outbox::requeue_sending(db); });
  if (requeued) {
    spdlog::warn("{} GitHub write(s) were on their way when the last run stopped; each is looked for on GitHub "
                 "before it is sent again",
                 requeued);
  }
  work_.emplace(io_.get_executor());
  for (unsigned i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "outbox");
      io_.run();
    });
  }
  net::post(strand_, [this] { poll(true); });
}

void OutboxSender::notify() {
  if (poll_queued_.exchange(true)) return;  // one queued poll covers many notifications
  net::post(strand_, [this] {
    poll_queued_ = false;
    poll(false);
  });
}

void OutboxSender::poll(bool rescan) {
  if (stopping_) return;
  if (loading_) {
    // The read in flight may have run its query before what this poll announces was stored:
    // read again when it is back.
    poll_wanted_ = true;
    rescan_wanted_ = rescan_wanted_ || rescan;
    return;
  }
  loading_ = true;
  auto after = rescan ? 0 : high_water_;
  net::post(io_, [this, after, rescan] {
    std::vector<store::outbox::Row> rows;
    std::optional<std::int64_t> next;
    try {
      store_.read([&](store::Db& db) {
        rows = store::outbox::due(db, load_limit, unix_ms(), after);
        if (rescan) next = store::outbox::next_due(db);
      });
    } catch (const std::exception& e) {
      spdlog::error("reading the outbox failed: {}", e.what());
      next = unix_ms() + 1000;
    }
    if (options_.after_load) options_.after_load();
    net::post(strand_, [this, rows = std::move(rows), next, rescan]() mutable {
      loading_ = false;
      bool full = static_cast<int>(rows.size()) == load_limit;
      std::set<std::int64_t> touched;
      for (auto& r : rows) {
        high_water_ = std::max(high_water_, r.id);
        if (!known_.insert(r.id).second) continue;
        touched.insert(r.installation_id);
        lanes_[r.installation_id].queue.push_back(std::move(r));
      }
      for (auto installation : touched) run_lane(installation);
      if (next && *next > unix_ms()) arm_rescan(*next);
      bool again = poll_wanted_, rescan_again = rescan_wanted_;
      poll_wanted_ = rescan_wanted_ = false;
      if (full || again) poll(rescan_again || (full && rescan));
    });
  });
}

// A rescan when a waiting write (a retry, a rate-limited one) becomes due.
void OutboxSender::arm_rescan(std::int64_t at_ms) {
  if (stopping_ || (rescan_at_ms_ != 0 && rescan_at_ms_ <= at_ms)) return;
  rescan_at_ms_ = at_ms;
  poll_timer_.expires_after(std::chrono::milliseconds(std::clamp<std::int64_t>(at_ms - unix_ms(), 1, 60'000)));
  poll_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    rescan_at_ms_ = 0;
    poll(true);
  });
}

void OutboxSender::run_lane(std::int64_t installation) {
  auto& lane = lanes_[installation];
  if (lane.busy || lane.queue.empty() || stopping_) return;
  auto now = SteadyClock::now();
  if (now < lane.next_allowed) {
    // Paced: come back when this installation may write again.
    if (!lane.timer) lane.timer = std::make_unique<net::steady_timer>(strand_);
    lane.timer->expires_at(lane.next_allowed);
    lane.timer->async_wait([this, installation](boost::system::error_code ec) {
      if (!ec) run_lane(installation);
    });
    return;
  }
  std::vector<store::outbox::Row> batch;
  while (!lane.queue.empty() && batch.size() < batch_size(options_.interval)) {
    batch.push_back(std::move(lane.queue.front()));
    lane.queue.pop_front();
  }
  lane.busy = true;
  {
    std::lock_guard lock(idle_mutex_);
    ++sending_;
  }
  net::post(io_, [this, installation, batch = std::move(batch)]() mutable { send_batch(installation, std::move(batch)); });
}

OutboxSender::Outcome OutboxSender::send_one(const store::outbox::Row& w) {
  int attempt = w.attempts + 1;
  try {
    // An earlier attempt may have reached GitHub (a crash, a timeout, a 502 after the fact);
    // the writes side knows which kinds carry a marker to look for.
    if (w.attempts > 0) {
      if (auto existing = github_.find_existing(w)) return {"reconciled", *existing, 0};
    }
    return {"sent", github_.perform(w), 0};
  } catch (const github::RateLimited& e) {
    return {"rate_limited", e.what(), e.retry_at_ms};
  } catch (const github::ApiError& e) {
    return {"failed", e.what(), 0};
  } catch (const PermanentError& e) {
    return {"failed", e.what(), 0};
  } catch (const std::exception& e) {
    if (attempt >= static_cast<int>(options_.max_attempts)) return {"failed", e.what(), 0};
    // ×3 per attempt (a delivery's retries grow ×4), as the README says.
    return {"retry", e.what(), unix_ms() + backoff(options_.retry_base, attempt, 3.0, random_jitter()).count()};
  }
}

void OutboxSender::send_batch(std::int64_t installation, std::vector<store::outbox::Row> batch) {
  std::vector<Outcome> outcomes(batch.size());
  std::optional<std::int64_t> blocked_until;
  try {
    // Durable "maybe sent" first: after a crash from here on, these are looked for on GitHub.
    store_.writes().run([&](store::Db& db) {
      for (const auto& w : batch) store::outbox::mark_sending(db, w.id);
    });
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (blocked_until) {
        outcomes[i] = {"unclaimed", "waiting for GitHub's rate limit", *blocked_until};
        continue;
      }
      outcomes[i] = send_one(batch[i]);
      if (outcomes[i].kind == "rate_limited") blocked_until = outcomes[i].next_at_ms;
    }
  } catch (const std::exception& e) {
    // The store refused the "sending" mark: nothing was sent; try again shortly.
    spdlog::error("outbox: could not mark writes as sending: {}", e.what());
    for (auto& o : outcomes) o = {"unclaimed", e.what(), unix_ms() + 1000};
  }

  auto shared_batch = std::make_shared<std::vector<store::outbox::Row>>(std::move(batch));
  auto shared_outcomes = std::make_shared<std::vector<Outcome>>(std::move(outcomes));
  store_.writes().submit(
      [shared_batch, shared_outcomes](store::Db& db) {
        for (std::size_t i = 0; i < shared_batch->size(); ++i) {
          const auto& w = (*shared_batch)[i];
          const auto& o = (*shared_outcomes)[i];
          if (o.kind == "sent" || o.kind == "reconciled") {
            store::outbox::mark_sent(db, w.id, o.detail, unix_ms());
          } else if (o.kind == "retry") {
            store::outbox::mark_retry(db, w.id, o.detail, o.next_at_ms);
          } else if (o.kind == "failed") {
            store::outbox::mark_failed(db, w.id, o.detail, unix_ms());
          } else {  // rate_limited or unclaimed: it never went out
            store::outbox::unclaim(db, w.id, o.next_at_ms, o.detail);
          }
        }
      },
      [this, shared_batch, shared_outcomes](std::exception_ptr error) {
        if (error) spdlog::error("outbox: recording {} outcome(s) failed; they are retried after a restart", shared_batch->size());
        for (std::size_t i = 0; i < shared_batch->size(); ++i) {
          const auto& w = (*shared_batch)[i];
          const auto& o = (*shared_outcomes)[i];
          metrics_
              .counter("mentorbot_outbox_writes_total", "GitHub writes from the outbox, by kind and outcome",
                       {{"kind", w.kind}, {"outcome", o.kind}})
              .inc();
          if (o.kind == "failed") {
            spdlog::error("GitHub write {} ({} on {}#{}) parked as failed after {} attempt(s): {}", w.key, w.kind,
                          w.repo, w.number, w.attempts + 1, o.detail);
          } else if (o.kind == "retry") {
            spdlog::warn("GitHub write {} failed (attempt {}), retrying: {}", w.key, w.attempts + 1, o.detail);
          } else if (o.kind == "rate_limited") {
            spdlog::warn("GitHub rate limit for installation {}: writes wait {} ms ({})", w.installation_id,
                         o.next_at_ms - unix_ms(), o.detail);
          } else if (o.kind == "reconciled") {
            spdlog::info("GitHub write {} was already made by an earlier attempt; not sent again", w.key);
          }
          if (observer_) observer_(w, o.kind);
        }
        net::post(strand_, [this, shared_batch, shared_outcomes] {
          for (std::size_t i = 0; i < shared_batch->size(); ++i) {
            known_.erase((*shared_batch)[i].id);
            const auto& o = (*shared_outcomes)[i];
            // Retries and writes that never went out are pending again, due at next_at.
            if (o.kind == "retry" || o.kind == "rate_limited" || o.kind == "unclaimed") arm_rescan(o.next_at_ms);
          }
        });
      });

  net::post(strand_, [this, installation, blocked_until] {
    auto& lane = lanes_[installation];
    lane.busy = false;
    lane.next_allowed = SteadyClock::now() + options_.interval;
    if (blocked_until) {
      lane.next_allowed = SteadyClock::now() + std::chrono::milliseconds(std::max<std::int64_t>(*blocked_until - unix_ms(), 0));
      // What is queued behind stays queued; it goes when the lane opens again.
    }
    {
      std::lock_guard lock(idle_mutex_);
      --sending_;
    }
    idle_.notify_all();
    run_lane(installation);
  });
}

bool OutboxSender::stop(std::chrono::milliseconds grace) {
  if (threads_.empty()) return true;
  std::promise<void> stopped;
  net::post(strand_, [this, &stopped] {
    stopping_ = true;
    poll_timer_.cancel();
    for (auto& [id, lane] : lanes_) {
      if (lane.timer) lane.timer->cancel();
    }
    stopped.set_value();
  });
  stopped.get_future().wait();
  bool idle;
  {
    std::unique_lock lock(idle_mutex_);
    idle = idle_.wait_for(lock, grace, [this] { return sending_ == 0; });
  }
  if (!idle) {
    spdlog::warn("GitHub writes still on the wire after {} ms; they are looked for on GitHub at the next start",
                 grace.count());
    return false;
  }
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  return true;
}

}  // namespace mentorbot::app
