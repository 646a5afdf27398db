#include "app/outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include "core/backoff.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "github/client.hpp"
#include "store/write_lanes.hpp"

namespace mentorbot::app {

namespace {
constexpr int load_limit = 512;
// However it is woken, the sender looks at every due write at least this often: a write whose
// wake-up went missing waits this long, not until the next write of its installation (the soak
// once found a retry left pending after its installation's last write).
constexpr std::int64_t sweep_ms = 10'000;

// With pacing on, one write per turn; with it off, a run of writes shares one "sending" commit.
std::size_t turn_size(std::chrono::milliseconds interval) { return interval.count() == 0 ? 32 : 1; }
}  // namespace

std::string_view to_string(OutboxSender::Outcome outcome) {
  using O = OutboxSender::Outcome;
  switch (outcome) {
    case O::sent: return "sent";
    case O::reconciled: return "reconciled";
    case O::retry: return "retry";
    case O::failed: return "failed";
    case O::rate_limited: return "rate_limited";
    case O::unclaimed: return "unclaimed";
    case O::elsewhere: return "elsewhere";
  }
  return "failed";
}

OutboxSender::OutboxSender(store::Store& store, GitHubWrites& github, Metrics& metrics, SenderOptions options)
    : store_(store), github_(github), metrics_(metrics), options_(std::move(options)), loop_(parts()) {}

OutboxSender::~OutboxSender() { loop_.stop(std::chrono::milliseconds(0)); }

OutboxSender::Loop::Parts OutboxSender::parts() {
  Loop::Parts p;
  p.thread_name = "outbox";
  p.threads = options_.threads;
  p.capacity = 1u << 20;  // rows are read, not claimed: the lanes hold what is due
  p.turn_size = turn_size(options_.interval);
  p.lane_gap = options_.interval;
  p.take = [this](int, bool rescan) {
    // New writes (above the high-water mark), or every due one on a rescan (at start, and when a
    // retry's time has come), a page at a time: a full page is followed by the next one. With
    // several processes writing to PostgreSQL, ids do not commit in order (a smaller one may
    // become visible after a larger one was read): there every look is a rescan.
    rescan = rescan || store_.engine() == store::Engine::postgresql;
    Loop::Taken taken;
    store_.read([&](store::Db& db) {
      taken.items = store::outbox::due_writes(db, load_limit, unix_ms(), rescan ? rescan_from_ : high_water_);
      if (rescan) {
        auto now = unix_ms();
        taken.next_due_ms = now + sweep_ms;
        if (auto next = store::outbox::next_write_due(db); next && *next > now) taken.next_due_ms = std::min(*next, now + sweep_ms);
      }
    });
    taken.more = static_cast<int>(taken.items.size()) >= load_limit;
    if (rescan) rescan_from_ = taken.more ? taken.items.back().id : 0;
    for (const auto& r : taken.items) high_water_ = std::max(high_water_, r.id);
    hold_lanes(taken);
    if (options_.after_load) options_.after_load();
    return taken;
  };
  p.id = [](const store::outbox::Row& r) { return r.id; };
  p.lane = [](const store::outbox::Row& r) { return std::to_string(r.write.installation_id); };
  p.run = [this](std::vector<store::outbox::Row> items, Loop::Turn turn) { send_turn(std::move(items), turn); };
  return p;
}

// Keeps the writes of lanes this process holds, or can take now; the others are another
// process's to send (looked at again when that one's lease would lapse).
void OutboxSender::hold_lanes(Loop::Taken& taken) {
  std::set<std::int64_t> wanted;
  {
    std::lock_guard lock(lanes_mutex_);
    for (const auto& r : taken.items) {
      if (!held_.count(r.write.installation_id)) wanted.insert(r.write.installation_id);
    }
  }
  if (wanted.empty()) return;
  std::vector<store::write_lanes::Lane> lanes;
  auto now = unix_ms();
  store_.writes().run([&](store::Db& db) {
    lanes.clear();  // a job may run twice (its transaction lost a deadlock)
    for (auto id : wanted) {
      lanes.push_back(store::write_lanes::acquire(db, id, options_.owner, now, options_.lease_ms, now + options_.settle.count()));
    }
  });
  std::set<std::int64_t> elsewhere;
  std::lock_guard lock(lanes_mutex_);
  for (const auto& lane : lanes) {
    if (!lane.held) {
      elsewhere.insert(lane.installation_id);
      auto again = lane.lease_until + 1;
      taken.next_due_ms = taken.next_due_ms ? std::min(*taken.next_due_ms, again) : again;
      continue;
    }
    held_.insert(lane.installation_id);
    if (lane.next_send_at > now) taken.lane_not_before_ms[std::to_string(lane.installation_id)] = lane.next_send_at;
    if (lane.taken_over) {
      metrics_
          .counter("mentorbot_lease_takeovers_total",
                   "Work another process held and let its lease lapse (it died), taken over here, by kind",
                   {{"kind", "write_lane"}})
          .inc();
      spdlog::warn("took over the writes of installation {} from a process that stopped renewing its claim; {} "
                   "write(s) it had on their way are looked for on GitHub before they are sent again",
                   lane.installation_id, lane.requeued);
    }
  }
  std::erase_if(taken.items, [&](const store::outbox::Row& r) { return elsewhere.count(r.write.installation_id) > 0; });
  metrics_.counter("mentorbot_claims_total", "Work this process claimed from the store, by kind", {{"kind", "write_lane"}})
      .inc(lanes.size() - elsewhere.size());
}

void OutboxSender::lanes_renewed(const std::vector<std::int64_t>& installations) {
  std::lock_guard lock(lanes_mutex_);
  held_ = std::set<std::int64_t>(installations.begin(), installations.end());
}

bool OutboxSender::stop(std::chrono::milliseconds grace) {
  if (!loop_.stop(grace)) return false;
  try {
    store_.writes().run([&](store::Db& db) { store::write_lanes::release(db, options_.owner); });
  } catch (const std::exception& e) {
    spdlog::warn("outbox: could not let go of this process's lanes (they lapse by themselves): {}", e.what());
  }
  return true;
}

void OutboxSender::start() {
  int requeued = 0;
  // What the last run had on its way: GitHub may still be making it (settle).
  store_.writes().run([&](store::Db& db) {
    requeued = store::write_lanes::recover(db, options_.owner_prefix, unix_ms() + options_.settle.count());
  });
  if (requeued) {
    spdlog::warn("{} GitHub write(s) were on their way when the last run stopped; each is looked for on GitHub "
                 "before it is sent again",
                 requeued);
  }
  loop_.start();
}

OutboxSender::Attempt OutboxSender::send_one(const store::outbox::Row& w) {
  int attempt = w.attempts + 1;
  if (!w.unreadable.empty()) return {Outcome::failed, "the stored write cannot be read: " + w.unreadable, 0};
  try {
    // An earlier attempt may have reached GitHub (a crash, a timeout, a 502 after the fact);
    // the writes side knows which kinds carry a marker to look for.
    if (w.attempts > 0) {
      if (auto existing = github_.find_existing(w.write)) return {Outcome::reconciled, *existing, 0};
    }
    return {Outcome::sent, github_.perform(w.write), 0};
  } catch (const github::RateLimited& e) {
    return {Outcome::rate_limited, e.what(), e.retry_at_ms};
  } catch (const github::ApiError& e) {
    return {Outcome::failed, e.what(), 0};
  } catch (const PermanentError& e) {
    return {Outcome::failed, e.what(), 0};
  } catch (const std::exception& e) {
    if (attempt >= static_cast<int>(options_.max_attempts)) return {Outcome::failed, e.what(), 0};
    // ×3 per attempt (a delivery's retries grow ×4), as the README says.
    auto wait = backoff(options_.retry_base, attempt, 3.0, random_jitter());
    // Looking for a write GitHub is still making finds nothing, and it is made twice.
    auto* unanswered = dynamic_cast<const github::Unavailable*>(&e);
    if (unanswered && unanswered->answer_missing) wait = std::max(wait, options_.settle);
    return {Outcome::retry, e.what(), unix_ms() + wait.count()};
  }
}

void OutboxSender::send_turn(std::vector<store::outbox::Row> turn, Loop::Turn done) {
  std::vector<Attempt> attempts(turn.size());
  std::optional<std::int64_t> blocked_until;
  try {
    // Durable "maybe sent" first: after a crash from here on, these are looked for on GitHub.
    // Only while the lane is still this process's with half a lease left: a write marked here
    // has gone out long before the lease could lapse and another process take the lane over.
    std::vector<std::optional<int>> marked(turn.size());
    store_.writes().run([&](store::Db& db) {
      for (std::size_t i = 0; i < turn.size(); ++i) marked[i] = store::outbox::mark_sending(db, turn[i].id, options_.owner, unix_ms() + options_.lease_ms / 2);
    });
    for (std::size_t i = 0; i < turn.size(); ++i) {
      // The attempts as stored, not as read: the row may have been read before an attempt that
      // has ended since, and then it would not be looked for on GitHub before going out again.
      if (marked[i]) turn[i].attempts = *marked[i];
      if (!marked[i]) {
        attempts[i] = {Outcome::elsewhere, "its installation's writes are another process's now", 0};
        std::lock_guard lock(lanes_mutex_);
        held_.erase(turn[i].write.installation_id);
        continue;
      }
      if (blocked_until) {
        attempts[i] = {Outcome::unclaimed, "waiting for GitHub's rate limit", *blocked_until};
        continue;
      }
      attempts[i] = send_one(turn[i]);
      if (attempts[i].outcome == Outcome::rate_limited) blocked_until = attempts[i].next_at_ms;
    }
  } catch (const std::exception& e) {
    // The store refused the "sending" mark: nothing was sent; try again shortly.
    spdlog::error("outbox: could not mark writes as sending: {}", e.what());
    for (auto& a : attempts) a = {Outcome::unclaimed, e.what(), unix_ms() + 1000};
  }
  // A rate limit keeps this installation's lane shut until GitHub's time.
  std::optional<Loop::SteadyTime> not_before;
  if (blocked_until) {
    not_before = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max<std::int64_t>(*blocked_until - unix_ms(), 0));
  }
  // The installation's next writes may go now; these are taken again only once their outcomes
  // are committed.
  done.free_lane(not_before);
  auto rows = std::make_shared<std::vector<store::outbox::Row>>(std::move(turn));
  auto results = std::make_shared<std::vector<Attempt>>(std::move(attempts));
  store_.writes().submit(
      [rows, results, interval = options_.interval.count()](store::Db& db) {
        for (std::size_t i = 0; i < rows->size(); ++i) {
          auto id = (*rows)[i].id;
          const auto& a = (*results)[i];
          // A request went to GitHub: the installation's next write keeps the pace, whichever
          // process sends it.
          if (a.outcome == Outcome::sent || a.outcome == Outcome::reconciled || a.outcome == Outcome::retry ||
              a.outcome == Outcome::failed) {
            store::write_lanes::paced(db, (*rows)[i].write.installation_id, unix_ms() + interval);
          }
          switch (a.outcome) {
            case Outcome::elsewhere: break;  // never marked here: not ours to record
            case Outcome::sent:
            case Outcome::reconciled: store::outbox::mark_sent(db, id, a.detail, unix_ms()); break;
            case Outcome::retry: store::outbox::retry_write(db, id, a.detail, a.next_at_ms); break;
            case Outcome::failed: store::outbox::park_write(db, id, a.detail, unix_ms()); break;
            case Outcome::rate_limited:
            case Outcome::unclaimed: store::outbox::release_write(db, id, a.next_at_ms, a.detail); break;  // never went out
          }
        }
      },
      [this, rows, results, done](std::exception_ptr error) {
        // Whatever the reporting does, the turn ends: its writes may be taken again.
        struct Finish {
          Loop::Turn turn;
          ~Finish() { turn.finished(); }
        } finish{done};
        if (error) spdlog::error("outbox: recording {} outcome(s) failed; they are retried after a restart", rows->size());
        for (std::size_t i = 0; i < rows->size(); ++i) report((*rows)[i], (*results)[i]);
      });
}

// After an attempt's outcome is committed: count it, say it, and come back when it is due again.
void OutboxSender::report(const store::outbox::Row& w, const Attempt& a) {
  const auto& write = w.write;
  auto kind = w.unreadable.empty() ? std::string(store::outbox::kind_of(write.change)) : std::string("unreadable");
  metrics_
      .counter("mentorbot_outbox_writes_total", "GitHub writes from the outbox, by kind and outcome",
               {{"kind", kind}, {"outcome", std::string(to_string(a.outcome))}})
      .inc();
  switch (a.outcome) {
    case Outcome::failed:
      spdlog::error("GitHub write {} ({} on {}#{}) parked as failed after {} attempt(s): {}", write.key, kind,
                    write.repo, write.number, w.attempts + 1, a.detail);
      break;
    case Outcome::retry:
      spdlog::warn("GitHub write {} failed (attempt {}), retrying: {}", write.key, w.attempts + 1, a.detail);
      break;
    case Outcome::rate_limited:
      spdlog::warn("GitHub rate limit for installation {}: writes wait {} ms ({})", write.installation_id,
                   a.next_at_ms - unix_ms(), a.detail);
      break;
    case Outcome::reconciled:
      spdlog::info("GitHub write {} was already made by an earlier attempt; not sent again", write.key);
      break;
    case Outcome::sent:
    case Outcome::unclaimed:
    case Outcome::elsewhere: break;
  }
  // Retries and writes that never went out are pending again, due at next_at.
  if (a.outcome == Outcome::retry || a.outcome == Outcome::rate_limited || a.outcome == Outcome::unclaimed) {
    loop_.wake_at(a.next_at_ms);
  }
  if (observer_) observer_(w, a.outcome);
}

}  // namespace mentorbot::app
