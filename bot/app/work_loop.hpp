#pragma once
// The loop the dispatcher and the outbox sender share: take due work from the store, run it on
// worker threads, one turn at a time per lane and in the order it was taken, and look again
// when told (notify), when a take came back full, or when the earliest waiting item falls due.
// A turn reports back once its results are committed; stopping waits for the turns on their way
// and gives back what was taken and never run. (With several replicas, `take` is where leases
// will come in.)
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"

namespace mentorbot::app {

namespace net = boost::asio;

template <class Item>
class WorkLoop {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Taken {
    std::vector<Item> items;
    std::optional<std::int64_t> next_due_ms;  // when an item that is not due yet will be (unix ms)
    bool more = false;                        // the take stopped at its limit: take again at once
    std::map<std::string, std::int64_t> lane_not_before_ms;  // lanes that may not run a turn before (unix ms)
  };
  // How a turn reports back, from any thread. `free_lane`: the lane may run its next turn (not
  // before `not_before`); `finished`: the turn's results are committed (its items may be taken
  // again; it frees the lane too, if that was not done). Each counts once. `hold_lane` (before
  // `finished`): this turn's items will run again later, so what the lane took after them may
  // not run before them: it is given back, with what takes already on their way bring for it.
  class Turn {
   public:
    void free_lane(std::optional<SteadyTime> not_before = std::nullopt) const { state_->free(not_before); }
    void hold_lane() const { state_->on_hold(); }
    void finished() const { state_->finish(); }

   private:
    friend class WorkLoop;
    struct State {
      std::function<void(std::optional<SteadyTime>)> on_free;
      std::function<void()> on_finish;
      std::function<void()> on_hold;
      std::atomic<bool> freed{false}, done{false};
      void free(std::optional<SteadyTime> not_before) {
        if (!freed.exchange(true)) on_free(not_before);
      }
      void finish() {
        free(std::nullopt);
        if (!done.exchange(true)) on_finish();
      }
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
  };
  struct Parts {
    std::string thread_name;
    unsigned threads = 4;
    unsigned capacity = 256;                  // items taken and not yet finished
    int nice = 0;                             // niceness of the worker threads
    std::size_t turn_size = 1;                // items one turn takes from its lane
    std::chrono::milliseconds lane_gap{0};    // least time between two turns of one lane
    // On a worker thread, one at a time: at most `limit` due items; `rescan` asks for every due
    // item, not only those new since the last take. Throws when the store fails.
    std::function<Taken(int limit, bool rescan)> take;
    std::function<std::int64_t(const Item&)> id;     // an item taken twice is run once
    std::function<std::string(const Item&)> lane;
    // On a worker thread: one turn; must at last call `turn.finished()`.
    std::function<void(std::vector<Item> items, Turn turn)> run;
    // At stop: items taken and never run. May be empty.
    std::function<void(std::vector<Item>)> give_back;
  };

  explicit WorkLoop(Parts parts) : parts_(std::move(parts)), strand_(net::make_strand(io_)), timer_(strand_) {}
  // Waits for the turns on their way (each ends: every GitHub and store call has a deadline).
  ~WorkLoop() {
    while (!stop(std::chrono::seconds(30))) {
    }
  }
  WorkLoop(const WorkLoop&) = delete;
  WorkLoop& operator=(const WorkLoop&) = delete;

  void start() {
    work_.emplace(io_.get_executor());
    for (unsigned i = 0; i < parts_.threads; ++i) {
      threads_.emplace_back([this] {
        pthread_setname_np(pthread_self(), parts_.thread_name.substr(0, 15).c_str());
        if (parts_.nice) setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), parts_.nice);
        io_.run();
      });
    }
    net::post(strand_, [this] { look(true); });
  }

  // New work was committed: look for it (cheap to call often, from any thread).
  void notify() {
    if (look_queued_.exchange(true)) return;  // one queued look covers many notifications
    net::post(strand_, [this] {
      look_queued_ = false;
      look(false);
    });
  }

  // Something waiting falls due at `at_ms` (unix ms): look at every due item then.
  void wake_at(std::int64_t at_ms) {
    net::post(strand_, [this, at_ms] { arm(at_ms); });
  }

  // Takes nothing more and runs nothing more: turns handed to the workers and not started yet are
  // given back at once. Waits up to `grace` for the turns running; false if some still are (call
  // again to wait more).
  bool stop(std::chrono::milliseconds grace) {
    if (threads_.empty()) return true;
    if (!halted_.exchange(true)) {
      std::vector<Item> unstarted;
      {
        std::lock_guard lock(dispatch_mutex_);
        for (auto& [id, items] : dispatched_) {
          for (auto& item : items) unstarted.push_back(std::move(item));
        }
        dispatched_.clear();
      }
      if (!unstarted.empty() && parts_.give_back) parts_.give_back(std::move(unstarted));
      net::post(strand_, [this] {
        timer_.cancel();
        for (auto& [name, lane] : lanes_) {
          if (lane.timer) lane.timer->cancel();
        }
      });
    }
    {
      std::unique_lock lock(idle_mutex_);
      if (!idle_.wait_for(lock, grace, [this] { return running_ == 0 && takes_ == 0; })) {
        spdlog::warn("{}: {} turn(s) still running after {} ms", parts_.thread_name, running_, grace.count());
        return false;
      }
    }
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    // The strand's state is this thread's now. Taken, never run: given back to the store.
    std::vector<Item> held = std::move(taken_after_stop_);
    for (auto& [name, lane] : lanes_) {
      for (auto& item : lane.queue) held.push_back(std::move(item));
    }
    lanes_.clear();
    if (!held.empty() && parts_.give_back) parts_.give_back(std::move(held));
    return true;
  }

  // Where other timers of the process may run (the workers' io_context).
  net::any_io_executor executor() { return io_.get_executor(); }

 private:
  struct Lane {
    std::deque<Item> queue;
    bool busy = false;
    SteadyTime next_allowed{};
    std::unique_ptr<net::steady_timer> timer;
  };

  // On the strand.
  void look(bool rescan) {
    if (halted_) return;
    if (taking_) {
      // The take in flight may have read the store before what this look announces was stored:
      // take again when it is back.
      again_ = true;
      rescan_again_ = rescan_again_ || rescan;
      return;
    }
    if (in_flight_ >= parts_.capacity) return;  // a finishing item looks again
    taking_ = true;
    {
      std::lock_guard lock(idle_mutex_);
      ++takes_;
    }
    int limit = static_cast<int>(parts_.capacity - in_flight_);
    net::post(io_, [this, limit, rescan] {
      Taken taken;
      try {
        taken = parts_.take(limit, rescan);
      } catch (const std::exception& e) {
        spdlog::error("{}: reading the store failed: {}", parts_.thread_name, e.what());
        taken.next_due_ms = unix_ms() + 1000;
      }
      net::post(strand_, [this, rescan, taken = std::move(taken)]() mutable { on_taken(std::move(taken), rescan); });
    });
  }

  void on_taken(Taken taken, bool rescan) {
    taking_ = false;
    // Counted down when this returns: stop() waits for takes as it waits for turns.
    struct Done {
      WorkLoop* loop;
      ~Done() {
        std::lock_guard lock(loop->idle_mutex_);
        --loop->takes_;
        loop->idle_.notify_all();  // under the lock: stop() cannot go on before this returns
      }
    } done{this};
    bool full = taken.more;
    if (halted_) {
      for (auto& item : taken.items) taken_after_stop_.push_back(std::move(item));
      return;
    }
    std::set<std::string> touched;
    for (const auto& [name, at_ms] : taken.lane_not_before_ms) {
      auto& lane = lanes_[name];
      auto at = std::chrono::steady_clock::now() + std::chrono::milliseconds(at_ms - unix_ms());
      lane.next_allowed = std::max(lane.next_allowed, at);
    }
    std::vector<Item> stale;
    for (auto& item : taken.items) {
      if (known_.count(parts_.id(item))) {
        // Already queued or running. It may be due again once its turn ends (a retry): the look
        // after that turn sees every due item, not only new ones.
        look_all_after_turn_ = true;
        continue;
      }
      auto name = parts_.lane(item);
      if (held_while_taking_.count(name)) {
        stale.push_back(std::move(item));  // taken before an earlier item of its lane went back
        continue;
      }
      known_.insert(parts_.id(item));
      ++in_flight_;
      lanes_[name].queue.push_back(std::move(item));
      touched.insert(std::move(name));
    }
    held_while_taking_.clear();  // takes after this one see the store as the holds left it
    std::deque<Item> kept;
    if (!give_back_now(std::move(stale), &kept)) {
      for (auto& item : kept) {  // out of order rather than stuck here
        known_.insert(parts_.id(item));
        ++in_flight_;
        auto name = parts_.lane(item);
        lanes_[name].queue.push_back(std::move(item));
        touched.insert(std::move(name));
      }
    }
    for (const auto& name : touched) run_lane(name);
    if (taken.next_due_ms) arm(*taken.next_due_ms);
    bool again = again_, rescan_again = rescan_again_;
    again_ = rescan_again_ = false;
    if (full || again) look(rescan_again || (full && rescan));
  }

  // On the strand: a look at every due item at `at_ms`, unless one is armed sooner.
  void arm(std::int64_t at_ms) {
    if (halted_ || (armed_at_ms_ != 0 && armed_at_ms_ <= at_ms)) return;
    armed_at_ms_ = at_ms;
    timer_.expires_after(std::chrono::milliseconds(std::clamp<std::int64_t>(at_ms - unix_ms(), 1, 60'000)));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      armed_at_ms_ = 0;
      look(true);
    });
  }

  // On the strand.
  void run_lane(const std::string& name) {
    auto found = lanes_.find(name);
    if (found == lanes_.end()) return;
    auto& lane = found->second;
    if (lane.busy || lane.queue.empty() || halted_) return;
    auto now = std::chrono::steady_clock::now();
    if (now < lane.next_allowed) {
      // Paced: come back when this lane may go again.
      if (!lane.timer) lane.timer = std::make_unique<net::steady_timer>(strand_);
      lane.timer->expires_at(lane.next_allowed);
      lane.timer->async_wait([this, name](boost::system::error_code ec) {
        if (!ec) run_lane(name);
      });
      return;
    }
    std::vector<Item> turn;
    while (!lane.queue.empty() && turn.size() < parts_.turn_size) {
      turn.push_back(std::move(lane.queue.front()));
      lane.queue.pop_front();
    }
    lane.busy = true;
    std::vector<std::int64_t> ids;
    for (const auto& item : turn) ids.push_back(parts_.id(item));
    Turn handle;
    handle.state_->on_free = [this, name](std::optional<SteadyTime> not_before) {
      net::post(strand_, [this, name, not_before] { lane_free(name, not_before); });
    };
    handle.state_->on_hold = [this, name] { net::post(strand_, [this, name] { hold(name); }); };
    handle.state_->on_finish = [this, ids = std::move(ids)] {
      // Runs on whichever thread committed the turn (the store's writer), which stop() does not
      // join: once running_ reaches 0 this WorkLoop may be destroyed, so nothing of it is touched
      // after the lock is let go (the notification too is given under the lock).
      net::post(strand_, [this, ids] { turn_done(ids); });
      std::lock_guard lock(idle_mutex_);
      --running_;
      idle_.notify_all();
    };
    // Handed to the workers; stop() gives it back if no worker has started it by then.
    auto id = ++next_turn_;
    {
      std::lock_guard lock(dispatch_mutex_);
      dispatched_.emplace(id, std::move(turn));
    }
    net::post(io_, [this, id, handle] {
      std::vector<Item> items;
      {
        std::lock_guard lock(dispatch_mutex_);
        auto it = dispatched_.find(id);
        if (it == dispatched_.end()) return;  // given back by stop()
        items = std::move(it->second);
        dispatched_.erase(it);
        std::lock_guard running(idle_mutex_);
        ++running_;
      }
      parts_.run(std::move(items), handle);
    });
  }

  // On the strand: a turn of the lane will run again later; what the lane holds after it goes
  // back to the store (where the order is kept) and is taken again in order.
  void hold(const std::string& name) {
    if (halted_) return;  // stop() gives back what is queued
    if (taking_) held_while_taking_.insert(name);
    auto it = lanes_.find(name);
    if (it == lanes_.end() || it->second.queue.empty()) return;
    std::vector<Item> later(std::make_move_iterator(it->second.queue.begin()),
                            std::make_move_iterator(it->second.queue.end()));
    it->second.queue.clear();
    for (const auto& item : later) known_.erase(parts_.id(item));
    in_flight_ -= static_cast<unsigned>(later.size());
    if (!give_back_now(std::move(later), &it->second.queue)) {
      for (const auto& item : it->second.queue) known_.insert(parts_.id(item));
      in_flight_ += static_cast<unsigned>(it->second.queue.size());
    }
  }

  // On the strand: gives items back to the store at once (a rare event: one round trip). When
  // the store refuses, they are put in `keep` (if any) rather than lost to this process.
  bool give_back_now(std::vector<Item> items, std::deque<Item>* keep = nullptr) {
    if (items.empty() || !parts_.give_back) return true;
    try {
      parts_.give_back(items);
      return true;
    } catch (const std::exception& e) {
      spdlog::error("{}: giving back {} item(s) failed: {}", parts_.thread_name, items.size(), e.what());
      if (keep) {
        for (auto& item : items) keep->push_back(std::move(item));
      }
      return false;
    }
  }

  // On the strand: the lane may take its next turn.
  void lane_free(const std::string& name, std::optional<SteadyTime> not_before) {
    auto it = lanes_.find(name);
    if (it == lanes_.end()) return;
    auto& lane = it->second;
    lane.busy = false;
    auto now = std::chrono::steady_clock::now();
    lane.next_allowed = std::max(not_before.value_or(SteadyTime{}), now + parts_.lane_gap);
    if (lane.queue.empty() && lane.next_allowed <= now) {
      lanes_.erase(it);  // nothing waits and no pace to keep (a paced lane stays, one per installation)
    } else if (!halted_) {
      run_lane(name);
    }
  }

  // On the strand: a turn's items are done.
  void turn_done(const std::vector<std::int64_t>& ids) {
    for (auto id : ids) known_.erase(id);
    in_flight_ -= static_cast<unsigned>(ids.size());
    look(std::exchange(look_all_after_turn_, false));
  }

  Parts parts_;
  net::io_context io_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer timer_;
  std::vector<std::thread> threads_;
  std::atomic<bool> look_queued_{false};

  // On strand_:
  std::map<std::string, Lane> lanes_;
  std::set<std::int64_t> known_;  // ids queued or running
  unsigned in_flight_ = 0;
  bool taking_ = false;
  bool again_ = false;         // a look was asked for while taking
  bool rescan_again_ = false;  // …and it was a rescan
  bool look_all_after_turn_ = false;  // a look passed over a running item: the next turn_done rescans
  std::int64_t armed_at_ms_ = 0;
  std::uint64_t next_turn_ = 0;
  std::vector<Item> taken_after_stop_;
  std::set<std::string> held_while_taking_;  // lanes held while a take was on its way

  std::atomic<bool> halted_{false};  // stop() began: nothing more is taken or run
  std::mutex dispatch_mutex_;
  std::map<std::uint64_t, std::vector<Item>> dispatched_;  // turns handed to the workers, not started
  std::mutex idle_mutex_;
  std::condition_variable idle_;
  unsigned running_ = 0;  // turns started and not finished; guarded by idle_mutex_
  unsigned takes_ = 0;    // guarded by idle_mutex_
};

}  // namespace mentorbot::app
