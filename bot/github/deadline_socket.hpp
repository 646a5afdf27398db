#pragma once
// A connected TCP socket read and written synchronously under a deadline: each wait for the
// socket is one poll() bounded by the time left. A blocking client needs no event loop for
// that, and every request then costs its send and receive calls and nothing more (the
// reactor's registrations, timers and wake-ups were most of the HTTP client's CPU).
// It is a SyncReadStream and SyncWriteStream for Beast, and a next layer for asio's ssl::stream.
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <chrono>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/system/system_error.hpp>

namespace mentorbot::github {

class DeadlineSocket {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using lowest_layer_type = socket_type::lowest_layer_type;
  using executor_type = socket_type::executor_type;
  using clock = std::chrono::steady_clock;

  explicit DeadlineSocket(socket_type socket) : socket_(std::move(socket)) { socket_.non_blocking(true); }

  // Every read and write from now on must be done by then.
  void expires_after(std::chrono::milliseconds timeout) { deadline_ = clock::now() + timeout; }

  lowest_layer_type& lowest_layer() { return socket_.lowest_layer(); }
  const lowest_layer_type& lowest_layer() const { return socket_.lowest_layer(); }
  executor_type get_executor() { return socket_.get_executor(); }
  int native_handle() { return socket_.native_handle(); }

  template <class Buffers>
  std::size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
    return transfer(buffers, POLLIN, ec, [this](iovec* iov, int n) { return ::readv(native_handle(), iov, n); });
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers, boost::system::error_code& ec) {
    return transfer(buffers, POLLOUT, ec, [this](iovec* iov, int n) {
      msghdr m{};
      m.msg_iov = iov;
      m.msg_iovlen = static_cast<std::size_t>(n);
      return ::sendmsg(native_handle(), &m, MSG_NOSIGNAL);
    });
  }
  // The throwing forms the stream concepts ask for too.
  template <class Buffers>
  std::size_t read_some(const Buffers& buffers) {
    return or_throw([&](boost::system::error_code& ec) { return read_some(buffers, ec); });
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers) {
    return or_throw([&](boost::system::error_code& ec) { return write_some(buffers, ec); });
  }

 private:
  template <class Op>
  static std::size_t or_throw(Op op) {
    boost::system::error_code ec;
    auto n = op(ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  // Waits until the socket is ready for `events`, or the deadline passes (ec: timeout).
  bool wait(short events, boost::system::error_code& ec) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - clock::now()).count();
      if (left <= 0) {
        ec = boost::beast::error::timeout;
        return false;
      }
      pollfd p{native_handle(), events, 0};
      int r = ::poll(&p, 1, static_cast<int>(left));
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) {
        ec.assign(errno, boost::system::system_category());
        return false;
      }
    }
  }

  template <class Buffers, class Call>
  std::size_t transfer(const Buffers& buffers, short events, boost::system::error_code& ec, Call call) {
    ec = {};
    iovec iov[16];
    int n = 0;
    std::size_t total = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers) && n < 16;
         ++it) {
      boost::asio::const_buffer b(*it);
      if (b.size() == 0) continue;
      iov[n].iov_base = const_cast<void*>(b.data());
      iov[n].iov_len = b.size();
      total += b.size();
      ++n;
    }
    if (total == 0) return 0;
    for (;;) {
      ssize_t done = call(iov, n);
      if (done > 0) return static_cast<std::size_t>(done);
      if (done == 0 && events == POLLIN) {
        ec = boost::asio::error::eof;
        return 0;
      }
      if (done < 0 && errno == EINTR) continue;
      if (done < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!wait(events, ec)) return 0;
        continue;
      }
      ec.assign(done < 0 ? errno : EIO, boost::system::system_category());
      return 0;
    }
  }

  socket_type socket_;
  clock::time_point deadline_ = clock::now();
};

}  // namespace mentorbot::github
