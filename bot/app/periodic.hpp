#pragma once
// A job run every so often on an executor, on a strand of its own: stop() from another thread
// returns once no run is in progress and none will start.
#include <atomic>
#include <chrono>
#include <functional>
#include <future>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace mentorbot::app {

class Periodic {
 public:
  Periodic(boost::asio::any_io_executor executor, std::chrono::milliseconds every, std::function<void()> job);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void start();
  // Call while the executor still runs (a stop after it stopped waits 30 s for nothing).
  // Idempotent; a Periodic never started stops at once.
  void stop();

 private:
  void arm();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds every_;
  std::function<void()> job_;
  bool running_ = false;  // on the strand
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
};

}  // namespace mentorbot::app
