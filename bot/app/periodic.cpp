#include "app/periodic.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace mentorbot::app {

namespace net = boost::asio;

Periodic::Periodic(net::any_io_executor executor, std::chrono::milliseconds every, std::function<void()> job)
    : strand_(net::make_strand(executor)), timer_(strand_), every_(every), job_(std::move(job)) {}

Periodic::~Periodic() { stop(); }

void Periodic::start() {
  net::post(strand_, [this] {
    running_ = true;
    arm();
  });
}

void Periodic::stop() {
  std::promise<void> stopped;
  net::post(strand_, [this, &stopped] {
    running_ = false;
    timer_.cancel();
    stopped.set_value();
  });
  // The strand runs on the executor's threads; if they are gone, nothing can run the job either.
  stopped.get_future().wait_for(std::chrono::seconds(5));
}

void Periodic::arm() {
  timer_.expires_after(every_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || !running_) return;
    try {
      job_();
    } catch (const std::exception& e) {
      spdlog::warn("periodic job failed: {}", e.what());
    }
    arm();
  });
}

}  // namespace mentorbot::app
