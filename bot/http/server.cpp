#include "http/server.hpp"

#include <fcntl.h>
#include <pthread.h>

#include <future>
#include <mutex>
#include <optional>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "http/session.hpp"

namespace mentorbot::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto sweep_every = std::chrono::milliseconds(100);
}  // namespace

struct Server::Loop {
  net::io_context io{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work{io.get_executor()};
  net::steady_timer sweeper{io};
  std::optional<tcp::acceptor> acceptor;  // on the first loop only
  std::mutex mutex;                        // sessions may end on another thread (a responder's)
  std::vector<std::weak_ptr<Connection>> sessions;
  std::thread thread;
  void sweep();
};

void Server::Loop::sweep() {
  sweeper.expires_after(sweep_every);
  sweeper.async_wait([this](beast::error_code ec) {
    if (ec) return;
    auto now = Clock::now();
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard lock(mutex);
      std::erase_if(sessions, [&](const std::weak_ptr<Connection>& w) {
        auto s = w.lock();
        if (!s) return true;
        live.push_back(std::move(s));
        return false;
      });
    }
    for (auto& s : live) s->check(now);
    sweep();
  });
}

Server::Server(ServerOptions options, Routes& routes)
    : shared_(std::make_shared<ServerShared>(std::move(options), routes)) {
  unsigned n = std::max(1u, shared_->options.threads);
  for (unsigned i = 0; i < n; ++i) loops_.push_back(std::make_unique<Loop>());
}

Server::~Server() {
  stop();
  join();
}

void Server::start() {
  const auto& o = shared_->options;
  beast::error_code ec;
  auto address = net::ip::make_address(o.host, ec);
  if (ec) throw ConfigError("HOST must be an IP address, got \"" + o.host + "\"");
  tcp::endpoint endpoint(address, o.port);
  auto& acceptor = loops_[0]->acceptor.emplace(loops_[0]->io);
  if (o.listen_fd >= 0) acceptor.assign(endpoint.protocol(), o.listen_fd, ec);  // the last server's socket
  if (o.listen_fd < 0) acceptor.open(endpoint.protocol(), ec);
  if (o.listen_fd < 0 && !ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (o.listen_fd < 0 && !ec) acceptor.bind(endpoint, ec);
  if (o.listen_fd < 0 && !ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw ConfigError("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
  port_ = acceptor.local_endpoint().port();
  for (auto& loop : loops_) {
    loop->sweep();
    loop->thread = std::thread([l = loop.get()] {
      pthread_setname_np(pthread_self(), "http");
      l->io.run();
    });
  }
  net::post(loops_[0]->io, [this] { accept(); });
}

void Server::accept() {
  // Connections are dealt to the loops in turn; each then lives on its loop's thread only.
  Loop& target = *loops_[next_loop_++ % loops_.size()];
  loops_[0]->acceptor->async_accept(target.io, [this, &target, shared = shared_](beast::error_code ec, Socket socket) {
    if (shared->stopping || ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of file descriptors, say: wait a little instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      auto timer = std::make_shared<net::steady_timer>(loops_[0]->io, std::chrono::milliseconds(100));
      timer->async_wait([this, timer, shared](beast::error_code) {
        if (!shared->stopping) accept();
      });
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    net::post(target.io, [&target, shared, socket = std::move(socket)]() mutable {
      auto session = start_connection(std::move(socket), shared);
      std::lock_guard lock(target.mutex);
      target.sessions.push_back(session);
    });
    accept();
  });
}

void Server::stop() {
  if (shared_->stopping.exchange(true)) return;
  for (auto& loop : loops_) {
    net::post(loop->io, [l = loop.get()] {
      if (l->acceptor) {
        beast::error_code ec;
        l->acceptor->close(ec);
      }
      std::vector<std::shared_ptr<Connection>> live;
      {
        std::lock_guard lock(l->mutex);
        for (auto& w : l->sessions) {
          if (auto s = w.lock()) live.push_back(std::move(s));
        }
      }
      for (auto& s : live) s->close_if_idle();
    });
  }
}

void Server::stop_accepting() {
  stop();
  // The first loop runs what is posted to it in order: after this, its acceptor is closed.
  std::promise<void> closed;
  auto done = closed.get_future();
  net::post(loops_[0]->io, [&closed] { closed.set_value(); });
  done.wait();
}

int Server::duplicate_listener() const {
  if (!loops_[0]->acceptor || !loops_[0]->acceptor->is_open()) return -1;
  return ::fcntl(loops_[0]->acceptor->native_handle(), F_DUPFD_CLOEXEC, 0);
}

std::size_t Server::sessions() const { return shared_->open.load(); }

void Server::join() {
  for (auto& loop : loops_) {
    loop->work.reset();
    net::post(loop->io, [l = loop.get()] { l->io.stop(); });
  }
  for (auto& loop : loops_) {
    if (loop->thread.joinable()) loop->thread.join();
  }
}

}  // namespace mentorbot::http
