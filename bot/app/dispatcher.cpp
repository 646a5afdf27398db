#include "app/dispatcher.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/backoff.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "github/event.hpp"

namespace mentorbot::app {

using store::inbox::Outcome;

Dispatcher::Dispatcher(store::Store& store, const features::Registry& registry, Services services, Metrics& metrics,
                       DispatcherOptions options)
    : store_(store),
      registry_(registry),
      services_(services),
      metrics_(metrics),
      options_(options),
      loop_(parts()) {}

Dispatcher::~Dispatcher() { loop_.stop(std::chrono::milliseconds(0)); }

Dispatcher::Loop::Parts Dispatcher::parts() {
  Loop::Parts p;
  p.thread_name = "worker";
  p.threads = options_.threads;
  p.capacity = options_.capacity;
  p.nice = options_.worker_nice;  // answering GitHub comes first: on a busy machine the backlog waits, not the 202
  p.take = [this](int limit, bool) {
    Loop::Taken taken;
    store_.writes().run([&](store::Db& db) {
      auto now = unix_ms();
      taken.items = store::inbox::claim_deliveries(db, limit, now, options_.claimant);
      // Only a short claim means nothing else is due; then the rest are retries waiting, or
      // deliveries another process runs.
      taken.more = static_cast<int>(taken.items.size()) >= limit;
      if (!taken.more) taken.next_due_ms = store::inbox::next_delivery_due(db, now, options_.claimant.owner);
    });
    count_claims(taken.items);
    return taken;
  };
  p.id = [](const store::inbox::Claimed& d) { return d.seq; };
  p.lane = [](const store::inbox::Claimed& d) { return store::inbox::lane_of(d); };
  // The next delivery about the same pull request waits until this one's result is committed.
  p.run = [this](std::vector<store::inbox::Claimed> items, Loop::Turn turn) {
    auto finished = std::make_shared<Finished>(execute(items.front()));
    record(finished, [turn, finished] {
      // Tried again later, or another process's now: what this process took after it in its
      // lane goes back, so nothing runs ahead of it.
      if (finished->outcome == Outcome::retry || finished->taken_over) turn.hold_lane();
      turn.finished();
    });
  };
  p.give_back = [this](std::vector<store::inbox::Claimed> held) {
    // Claimed, never run (the process is stopping): pending again, the attempt not counted.
    store_.writes().run([&](store::Db& db) {
      for (const auto& d : held) store::inbox::release_delivery(db, d.seq, options_.claimant.owner);
    });
  };
  return p;
}

void Dispatcher::start() {
  store::inbox::Recovered recovered;
  store_.writes().run([&](store::Db& db) {
    recovered = store::inbox::recover_interrupted(db, store_.payload_log(), static_cast<int>(options_.max_attempts),
                                                  unix_ms(), options_.owner_prefix);
  });
  if (recovered.requeued || recovered.parked) {
    spdlog::warn("the last run stopped while handling deliveries: {} back in the queue, {} parked as failed",
                 recovered.requeued, recovered.parked);
  }
  loop_.start();
}

void Dispatcher::count_claims(const std::vector<store::inbox::Claimed>& claimed) {
  if (claimed.empty()) return;
  metrics_.counter("mentorbot_claims_total", "Work this process claimed from the store, by kind", {{"kind", "delivery"}})
      .inc(claimed.size());
  auto taken_over = std::count_if(claimed.begin(), claimed.end(), [](const auto& d) { return d.taken_over; });
  if (taken_over == 0) return;
  metrics_
      .counter("mentorbot_lease_takeovers_total",
               "Work another process held and let its lease lapse (it died), taken over here, by kind",
               {{"kind", "delivery"}})
      .inc(static_cast<std::uint64_t>(taken_over));
  spdlog::warn("took over {} {} whose process stopped renewing its claim", taken_over,
               taken_over == 1 ? "delivery" : "deliveries");
}

Finished Dispatcher::execute(const store::inbox::Claimed& d, bool only_attempt) {
  Finished f;
  f.delivery = d;
  auto started = std::chrono::steady_clock::now();
  bool last = only_attempt || d.attempts >= static_cast<int>(options_.max_attempts);
  f.last_attempt = last;
  try {
    // Processes died while handling it (each claim counts): a payload that kills is not tried forever.
    if (d.attempts > static_cast<int>(options_.max_attempts)) {
      throw PermanentError("the process stopped while handling it, " + std::to_string(d.attempts - 1) +
                           " time(s); parked");
    }
    auto handlers = registry_.handlers_for(d.event, d.action.value_or(""));
    if (handlers.empty()) {
      f.outcome = Outcome::ignored;  // nobody reads it: it is not even parsed
    } else {
      // Straight from the log (the claim says where), else as the inbox keeps it (a parked
      // delivery's own copy, when the log's is gone or damaged).
      std::optional<std::string> body;
      try {
        if (d.payload && store_.payload_log()) body = store_.payload_log()->read(*d.payload);
      } catch (const store::StoreError&) {
      }
      if (!body) body = store_.read([&](store::Db& db) { return store::inbox::payload_of(db, store_.payload_log(), d.seq); });
      if (!body) throw PermanentError("the payload is no longer stored");
      auto event = github::parse_event(d.guid, d.event, *body);
      DeliverySources sources(services_, d.guid, last);
      features::Context context{d.guid, last, sources, services_.templates, f.handover};
      for (const auto* h : handlers) {
        try {
          h->handler(event, context);
        } catch (const std::exception& e) {
          f.error = h->feature + ": " + e.what();
          throw;
        }
      }
    }
  } catch (const PermanentError& e) {
    f.outcome = Outcome::failed;
    if (f.error.empty()) f.error = e.what();
  } catch (const std::exception& e) {
    f.outcome = last ? Outcome::failed : Outcome::retry;
    if (f.error.empty()) f.error = e.what();
  }
  if (f.outcome == Outcome::retry || f.outcome == Outcome::failed) f.handover = {};
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.histogram("mentorbot_handler_seconds", "Time to handle one delivery, by event", {{"event", d.event}},
                     Metrics::latency_buckets())
      .observe(seconds);
  return f;
}

Finished Dispatcher::run_one(std::int64_t seq) {
  std::optional<store::inbox::Claimed> claimed;
  store_.writes().run([&](store::Db& db) { claimed = store::inbox::claim_delivery(db, seq, options_.claimant); });
  if (!claimed) throw std::runtime_error("no stored delivery #" + std::to_string(seq));
  // Nobody retries a replay: its handlers decide now with what they can find out.
  auto f = std::make_shared<Finished>(execute(*claimed, true));
  if (f->outcome == Outcome::retry) f->outcome = Outcome::failed;  // nobody would retry it: say so now
  std::promise<void> recorded;
  record(f, [&recorded] { recorded.set_value(); });
  recorded.get_future().wait();
  return std::move(*f);
}

std::chrono::milliseconds Dispatcher::backoff(std::chrono::milliseconds base, int attempt, double jitter01) {
  return mentorbot::backoff(base, attempt, 4.0, jitter01);
}

// The delivery's result, the facts its handlers keep and the GitHub writes they planned, in one
// transaction: a crash either keeps all of it (and the writes go out) or none (and the delivery
// runs again, planning the same keys).
void Dispatcher::commit_result(store::Db& db, Finished& f) {
  auto seq = f.delivery.seq;
  const auto& owner = options_.claimant.owner;
  switch (f.outcome) {
    case Outcome::failed:
      store::inbox::park_delivery(db, store_.payload_log(), seq, f.error, unix_ms(), owner);
      return;
    case Outcome::retry: {
      auto delay = backoff(options_.retry_base, f.delivery.attempts, random_jitter());
      store::inbox::retry_delivery(db, seq, f.error, unix_ms() + delay.count(), owner);
      return;
    }
    case Outcome::handled:
    case Outcome::ignored: break;
  }
  // A commit tried again (the store was away, or lost a deadlock to another replica) starts
  // over from what the handlers planned: steps add to the plan.
  if (!f.planned) f.planned = f.handover.plan;
  auto plan = *f.planned;
  for (const auto& step : f.handover.steps) step(db, plan);
  f.dry_run.clear();
  for (const auto& w : plan.writes) {
    bool added = store::outbox::add(db, w, seq, options_.dry_run, unix_ms()) == store::outbox::Added::added;
    if (added && options_.dry_run) f.dry_run.push_back(w);
  }
  store::inbox::finish_delivery(db, seq, f.outcome, unix_ms(), owner);
  f.handover.plan = std::move(plan);  // what was committed (the feed and the sender look at it)
}

void Dispatcher::record(std::shared_ptr<Finished> f, std::function<void()> done) {
  if (f->outcome == Outcome::retry) {
    spdlog::warn("delivery {} ({}) failed on attempt {} of {}, retrying: {}", f->delivery.guid, f->delivery.event,
                 f->delivery.attempts, options_.max_attempts, f->error);
  } else if (f->outcome == Outcome::failed) {
    spdlog::error("delivery {} ({}) parked as failed after {} attempt(s): {}", f->delivery.guid, f->delivery.event,
                  f->delivery.attempts, f->error);
  }
  store_.writes().submit([this, f](store::Db& db) { commit_result(db, *f); },
                         [this, f, done = std::move(done)](std::exception_ptr error) mutable {
                           if (!error) {
                             count(*f);
                             return done();
                           }
                           std::string why;
                           auto kind = store::StoreError::Kind::failed;
                           try {
                             std::rethrow_exception(error);
                           } catch (const store::StoreError& e) {
                             why = e.what();
                             kind = e.kind();
                           } catch (const std::exception& e) {
                             why = e.what();
                           }
                           if (kind == store::StoreError::Kind::taken_over) {
                             // Its lease lapsed and another process runs it: that one's result counts.
                             spdlog::warn("delivery {}: {}; this result is dropped", f->delivery.guid, why);
                             f->taken_over = true;
                             return done();
                           }
                           bool database_in_the_way = kind == store::StoreError::Kind::conflict ||
                                                      kind == store::StoreError::Kind::unavailable;
                           if (database_in_the_way || (f->outcome != Outcome::handled && f->outcome != Outcome::ignored)) {
                             // Not recorded (the database does not answer, or keeps undoing it to let
                             // another replica on): the result stands and the delivery is still this
                             // process's (its lease is renewed), so nobody else would ever finish it.
                             // Record it again shortly; a stop in between leaves it to the next start.
                             spdlog::error("recording delivery {} failed, trying again in 1 s: {}", f->delivery.guid, why);
                             auto timer = std::make_shared<net::steady_timer>(loop_.executor(), std::chrono::seconds(1));
                             timer->async_wait([this, f, timer, done = std::move(done)](boost::system::error_code ec) mutable {
                               if (ec) return done();
                               record(f, std::move(done));
                             });
                             return;
                           }
                           // A step refused to commit (nothing of it was kept): another attempt, or the end.
                           f->outcome = f->last_attempt ? Outcome::failed : Outcome::retry;
                           f->error = "committing its result: " + why;
                           f->handover = {};
                           record(f, std::move(done));
                         });
}

// After the result is committed (on the store's commit thread: short, and nothing thrown past here).
void Dispatcher::count(const Finished& f) {
  for (const auto& w : f.dry_run) store::outbox::log_dry_run(w);
  metrics_
      .counter("mentorbot_deliveries_processed_total", "Deliveries processed, by event and outcome",
               {{"event", f.delivery.event}, {"outcome", std::string(store::inbox::to_string(f.outcome))}})
      .inc();
  if (!observer_) return;
  try {
    observer_(f);
  } catch (const std::exception& e) {
    spdlog::error("after delivery {}: {}", f.delivery.guid, e.what());
  }
}

}  // namespace mentorbot::app
