#include "app/dispatcher.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <random>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "core/backoff.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "github/event.hpp"

namespace mentorbot::app {

Dispatcher::Dispatcher(store::Store& store, const features::Registry& registry, Metrics& metrics,
                       DispatcherOptions options, features::Ports ports)
    : store_(store),
      registry_(registry),
      metrics_(metrics),
      options_(options),
      ports_(ports),
      strand_(net::make_strand(io_)),
      timer_(strand_) {}

Dispatcher::~Dispatcher() { stop(std::chrono::milliseconds(0)); }

void Dispatcher::on_finished(std::function<void(const Finished&)> observer) { observer_ = std::move(observer); }

void Dispatcher::start() {
  auto recovered = std::make_shared<store::inbox::Recovered>();
  store_.writes().run([&](store::Db& db) {
    *recovered = store::inbox::recover_interrupted(db, store_.payloads(), static_cast<int>(options_.max_attempts), unix_ms());
  });
  if (recovered->requeued || recovered->parked) {
    spdlog::warn("the last run stopped while handling deliveries: {} back in the queue, {} parked as failed",
                 recovered->requeued, recovered->parked);
  }
  work_.emplace(io_.get_executor());
  for (unsigned i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] {
      // Answering GitHub comes first: on a busy machine the backlog waits, not the 202.
      setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), options_.worker_nice);
      pthread_setname_np(pthread_self(), "worker");
      io_.run();
    });
  }
  notify();
}

void Dispatcher::notify() {
  if (poll_queued_.exchange(true)) return;  // one queued poll covers many notifications
  net::post(strand_, [this] {
    poll_queued_ = false;
    poll();
  });
}

void Dispatcher::poll() {
  if (claiming_) {
    // The claim in flight may have run before what this poll announces was stored: claim
    // again when it is back.
    poll_wanted_ = true;
    return;
  }
  if (stopping_ || in_flight_ >= options_.capacity) return;
  claiming_ = true;
  {
    std::lock_guard lock(idle_mutex_);
    ++claims_;
  }
  int limit = static_cast<int>(options_.capacity - in_flight_);
  auto claimed = std::make_shared<std::vector<store::inbox::Claimed>>();
  auto next_due = std::make_shared<std::optional<std::int64_t>>();
  store_.writes().submit(
      [claimed, next_due, limit](store::Db& db) {
        *claimed = store::inbox::claim(db, limit, unix_ms());
        // Only a short claim means nothing else is due; then the rest are retries waiting.
        if (static_cast<int>(claimed->size()) < limit) *next_due = store::inbox::next_due(db);
      },
      [this, claimed, next_due, limit](std::exception_ptr error) {
        net::post(strand_, [this, claimed, next_due, error, limit] {
          bool full = static_cast<int>(claimed->size()) == limit;
          on_claimed(std::move(*claimed), *next_due, full, error);
        });
      });
}

void Dispatcher::on_claimed(std::vector<store::inbox::Claimed> claimed, std::optional<std::int64_t> next_due,
                            bool full, std::exception_ptr error) {
  claiming_ = false;
  if (poll_wanted_) {
    poll_wanted_ = false;
    full = true;  // look again at once, whatever this claim found
  }
  // Counted down when this returns: stop() waits for claims as it waits for handlers.
  struct Done {
    Dispatcher* d;
    ~Done() {
      {
        std::lock_guard lock(d->idle_mutex_);
        --d->claims_;
      }
      d->idle_.notify_all();
    }
  } done{this};
  if (stopping_) {
    for (auto& c : claimed) unclaim_on_stop_.push_back(c.seq);
    return;
  }
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::error("claiming deliveries failed: {}", e.what());
    }
    arm_timer(unix_ms() + 1000);
    return;
  }
  for (auto& d : claimed) {
    ++in_flight_;
    auto key = ordering_key(d);
    auto [it, fresh] = busy_.try_emplace(key);
    if (fresh) {
      launch(std::move(d));
    } else {
      it->second.push_back(std::move(d));  // runs when the one before it is recorded
    }
  }
  if (full) {
    poll();
  } else {
    arm_timer(next_due);
  }
}

void Dispatcher::arm_timer(std::optional<std::int64_t> next_due_ms) {
  if (!next_due_ms || stopping_) return;
  auto wait = std::max<std::int64_t>(*next_due_ms - unix_ms(), 1);
  timer_.expires_after(std::chrono::milliseconds(std::min<std::int64_t>(wait, 60'000)));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) poll();
  });
}

std::string Dispatcher::ordering_key(const store::inbox::Claimed& d) {
  if (d.repo && d.number) return *d.repo + "#" + std::to_string(*d.number);
  if (d.repo) return *d.repo;
  if (d.installation_id) return "installation:" + std::to_string(*d.installation_id);
  return "delivery:" + d.guid;
}

void Dispatcher::launch(store::inbox::Claimed delivery) {
  {
    std::lock_guard lock(idle_mutex_);
    ++running_;
  }
  net::post(io_, [this, delivery = std::move(delivery)]() mutable { record(execute(delivery)); });
}

Finished Dispatcher::execute(const store::inbox::Claimed& d, bool only_attempt) {
  Finished f;
  f.delivery = d;
  f.outcome = "handled";
  auto started = std::chrono::steady_clock::now();
  try {
    auto body = store_.read([&](store::Db& db) { return store::inbox::body(db, store_.payloads(), d.seq); });
    if (!body) throw PermanentError("the payload is no longer stored");
    auto event = github::parse_event(d.guid, d.event, *body);
    auto handlers = registry_.handlers_for(event.name, event.action);
    if (handlers.empty()) f.outcome = "ignored";
    features::Context context(event, ports_, d.attempts,
                              only_attempt || d.attempts >= static_cast<int>(options_.max_attempts));
    for (const auto* h : handlers) {
      try {
        h->handler(context);
      } catch (const std::exception& e) {
        f.error = h->feature + ": " + e.what();
        throw;
      }
    }
    f.writes = std::move(context.writes);
    f.records = std::move(context.records);
  } catch (const PermanentError& e) {
    f.outcome = "failed";
    if (f.error.empty()) f.error = e.what();
  } catch (const std::exception& e) {
    f.outcome = d.attempts >= static_cast<int>(options_.max_attempts) ? "failed" : "retry";
    if (f.error.empty()) f.error = e.what();
  }
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.histogram("mentorbot_handler_seconds", "Time to handle one delivery, by event", {{"event", d.event}},
                     Metrics::latency_buckets())
      .observe(seconds);
  return f;
}

Finished Dispatcher::run_one(std::int64_t seq) {
  std::optional<store::inbox::Claimed> claimed;
  store_.writes().run([&](store::Db& db) { claimed = store::inbox::claim_one(db, seq); });
  if (!claimed) throw std::runtime_error("no stored delivery #" + std::to_string(seq));
  // Nobody retries a replay: its handlers decide now with what they can find out.
  Finished f = execute(*claimed, true);
  if (f.outcome == "retry") f.outcome = "failed";  // nobody would retry it: say so now
  store_.writes().run([&](store::Db& db) { commit_result(db, f); });
  count(f);
  return f;
}

std::chrono::milliseconds Dispatcher::backoff(std::chrono::milliseconds base, int attempt, double jitter01) {
  return mentorbot::backoff(base, attempt, 4.0, jitter01);
}

void Dispatcher::record(Finished f) {
  if (f.outcome == "retry") {
    auto delay = backoff(options_.retry_base, f.delivery.attempts, random_jitter());
    spdlog::warn("delivery {} ({}) failed on attempt {} of {}, retrying in {} ms: {}", f.delivery.guid,
                 f.delivery.event, f.delivery.attempts, options_.max_attempts, delay.count(), f.error);
    auto next_at = unix_ms() + delay.count();
    auto shared = std::make_shared<Finished>(std::move(f));
    store_.writes().submit(
        [shared, next_at](store::Db& db) { store::inbox::mark_retry(db, shared->delivery.seq, shared->error, next_at); },
        [this, shared](std::exception_ptr) { release(*shared); });
    return;
  }
  if (f.outcome == "failed") {
    spdlog::error("delivery {} ({}) parked as failed after {} attempt(s): {}", f.delivery.guid, f.delivery.event,
                  f.delivery.attempts, f.error);
  }
  auto shared = std::make_shared<Finished>(std::move(f));
  store_.writes().submit(
      [this, shared](store::Db& db) { commit_result(db, *shared); },
      [this, shared](std::exception_ptr error) {
        if (error) {
          // Not recorded: the delivery stays "running" and is requeued at the next start.
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            spdlog::error("recording delivery {} failed: {}", shared->delivery.guid, e.what());
          }
        }
        release(*shared);
      });
}

// The delivery's result and the GitHub writes it planned, in one transaction: a crash either
// keeps both (and the writes go out) or neither (and the delivery runs again, planning the same
// keys).
void Dispatcher::commit_result(store::Db& db, const Finished& f) {
  if (f.outcome == "failed") {
    store::inbox::mark_failed(db, store_.payloads(), f.delivery.seq, f.error, unix_ms());
    return;
  }
  for (const auto& r : f.records) r(db);
  for (const auto& w : f.writes) store::outbox::add(db, w, f.delivery.seq, options_.dry_run, unix_ms());
  store::inbox::mark_done(db, f.delivery.seq, f.outcome, unix_ms());
}

// After the result is committed: count it, let the next delivery with the same key run.
void Dispatcher::count(const Finished& f) {
  // This runs on the store's commit thread, before the bookkeeping below: it must be short and
  // must not throw past here.
  try {
    if (!f.writes.empty() && f.outcome != "failed" && on_writes_) on_writes_();
  } catch (const std::exception& e) {
    spdlog::error("after delivery {}: {}", f.delivery.guid, e.what());
  }
  metrics_
      .counter("mentorbot_deliveries_processed_total", "Deliveries processed, by event and outcome",
               {{"event", f.delivery.event}, {"outcome", f.outcome}})
      .inc();
  if (observer_) observer_(f);
}

void Dispatcher::release(const Finished& f) {
  count(f);
  net::post(strand_, [this, key = ordering_key(f.delivery)] {
    --in_flight_;
    auto it = busy_.find(key);
    if (it != busy_.end()) {
      if (it->second.empty()) {
        busy_.erase(it);
      } else if (stopping_) {
        // Held deliveries do not start now; stop() gives them back to the inbox.
      } else {
        auto next = std::move(it->second.front());
        it->second.pop_front();
        launch(std::move(next));
      }
    }
    {
      std::lock_guard lock(idle_mutex_);
      --running_;
    }
    idle_.notify_all();
    poll();
  });
}

bool Dispatcher::stop(std::chrono::milliseconds grace) {
  if (threads_.empty()) return true;
  std::promise<void> stopped;
  net::post(strand_, [this, &stopped] {
    stopping_ = true;
    timer_.cancel();
    stopped.set_value();
  });
  stopped.get_future().wait();  // from here on nothing new is claimed or launched
  bool idle;
  {
    std::unique_lock lock(idle_mutex_);
    idle = idle_.wait_for(lock, grace, [this] { return running_ == 0 && claims_ == 0; });
  }
  if (!idle) {
    unsigned still;
    {
      std::lock_guard lock(idle_mutex_);
      still = running_;
    }
    spdlog::warn("{} deliveries still running after {} ms; they run again at the next start", still, grace.count());
    return false;
  }
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  // Deliveries claimed but held behind another with the same key never ran: give them back.
  std::vector<std::int64_t> held = std::move(unclaim_on_stop_);
  for (auto& [key, waiting] : busy_) {
    for (auto& d : waiting) held.push_back(d.seq);
  }
  busy_.clear();
  if (!held.empty()) {
    store_.writes().run([&](store::Db& db) {
      for (auto seq : held) store::inbox::unclaim(db, seq);
    });
  }
  return true;
}

}  // namespace mentorbot::app
