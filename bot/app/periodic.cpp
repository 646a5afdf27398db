#include "app/periodic.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace mentorbot::app {

namespace net = boost::asio;

Periodic::Periodic(net::any_io_executor executor, std::chrono::milliseconds every, std::function<void()> job)
    : strand_(net::make_strand(executor)), timer_(strand_), every_(every), job_(std::move(job)) {}

Periodic::~Periodic() { stop(); }

void Periodic::start() {
  started_ = true;
  net::post(strand_, [this] {
    running_ = true;
    arm();
  });
}

void Periodic::stop() {
  if (!started_ || stopped_.exchange(true)) return;
  // Shared: if the wait gives up, the posted step still has a promise to keep.
  auto stopped = std::make_shared<std::promise<void>>();
  auto done = stopped->get_future();
  net::post(strand_, [this, stopped] {
    running_ = false;
    timer_.cancel();
    stopped->set_value();
  });
  // A job in progress finishes first. If the executor's threads are gone, nothing can run the
  // job either.
  if (done.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    spdlog::warn("a periodic job did not stop within 30 s");
  }
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
