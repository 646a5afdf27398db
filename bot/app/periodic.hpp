#pragma once
// A job run every so often on an executor, on a strand of its own: stop() from another thread
// returns once no run is in progress and none will start.
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
  void stop();

 private:
  void arm();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds every_;
  std::function<void()> job_;
  bool running_ = false;  // on the strand
};

}  // namespace mentorbot::app
