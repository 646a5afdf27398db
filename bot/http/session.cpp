#include "http/session.hpp"

#include <array>
#include <deque>
#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

namespace mentorbot::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::uint32_t header_limit = 16 * 1024;
constexpr auto write_timeout = std::chrono::seconds(30);
constexpr auto linger_timeout = std::chrono::seconds(2);
constexpr std::size_t linger_limit = 64u << 20;
// What a stream may have queued for a client that reads slowly before it is dropped: memory
// stays bounded whatever the number of viewers, and the viewer reconnects and catches up.
constexpr std::size_t stream_queue_limit = 1u << 20;

// A parse error from Beast's HTTP parser (as opposed to a socket error).
bool is_http_error(const beast::error_code& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category();
}
}  // namespace

std::string chunk(std::string_view data) {
  char size[20];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out;
  out.reserve(static_cast<std::size_t>(n) + data.size() + 2);
  out.append(size, static_cast<std::size_t>(n));
  out.append(data);
  out.append("\r\n");
  return out;
}

namespace {

class Session final : public Connection, public StreamSink, public std::enable_shared_from_this<Session> {
 public:
  Session(Socket socket, std::shared_ptr<ServerShared> shared)
      : socket_(std::move(socket)), shared_(std::move(shared)) {
    ++shared_->open;
    // Room for a whole webhook per read: a 25 KB payload arrives in one or two reads, not
    // fifty of Beast's default 512 bytes.
    buffer_.reserve(64 * 1024);
  }
  ~Session() override {
    release_budget();
    --shared_->open;
  }

  void run() { read_header(); }

  // On the session's own thread, from the sweeper.
  void check(Clock::time_point now) override {
    if (now < deadline_) return;
    deadline_ = Clock::time_point::max();
    timed_out_ = true;
    beast::error_code ec;
    socket_.cancel(ec);  // the pending operation completes with operation_aborted
  }

  // On the session's own thread, when the server stops: an idle keep-alive connection closes now.
  void close_if_idle() override {
    if (idle_ || streaming_) close();
  }

  // From any thread: the stream's next bytes, written in order on the session's thread.
  bool push(std::shared_ptr<const std::string> bytes) override {
    if (closed_.load()) return false;
    net::post(socket_.get_executor(),
              [self = shared_from_this(), bytes = std::move(bytes)]() mutable { self->enqueue(std::move(bytes)); });
    return true;
  }

 private:
  void arm(Clock::duration timeout) {
    deadline_ = Clock::now() + timeout;
    timed_out_ = false;
  }

  void read_header() {
    if (shared_->stopping) return close();
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(shared_->options.max_body);  // lowered per route once the target is known
    idle_ = true;
    arm(shared_->options.read_timeout);
    beast_http::async_read_header(socket_, buffer_, *parser_,
                                  [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    idle_ = false;
    if (timed_out_) {
      if (buffer_.size() == 0) return close();  // an idle keep-alive connection
      return reply_and_close(text(408, "request header not received in time"));
    }
    if (ec == beast_http::error::body_limit) return reply_and_close(text(413, "request body is larger than 25 MiB"));
    if (ec == beast_http::error::header_limit) return reply_and_close(text(431, "request header is too large"));
    if (ec && is_http_error(ec) && ec != beast_http::error::end_of_stream) {
      return reply_and_close(text(400, "malformed HTTP request (" + ec.message() + ")"));
    }
    if (ec) return close();

    auto verdict = shared_->routes.on_head(parser_->get());
    auto limit = verdict.body_limit;
    auto length = parser_->content_length();
    if (length && *length > limit) return reply_and_close(text(413, "request body is larger than this route accepts"));
    if (verdict.answer) return reply_and_close(std::move(*verdict.answer));
    parser_->body_limit(limit);
    if (parser_->is_done()) return dispatch();
    // Counted before any byte of it is read (a chunked body as the most it may be).
    if (verdict.unverified && !reserve_budget(length.value_or(limit))) {
      Response busy = text(503, "too many request bodies are being received at once; please try again shortly");
      busy.headers.emplace_back("Retry-After", "5");
      return reply_and_close(std::move(busy));
    }
    if (beast::iequals(parser_->get()[beast_http::field::expect], "100-continue")) {
      // The client waits for this before it sends the body (curl does, above 1 MB).
      auto cont = std::make_shared<beast_http::response<beast_http::empty_body>>(beast_http::status::continue_,
                                                                                   parser_->get().version());
      arm(write_timeout);
      return beast_http::async_write(socket_, *cont, [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
        if (wec || self->timed_out_) return self->close();
        self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    arm(shared_->options.read_timeout);
    beast_http::async_read(socket_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (timed_out_) return reply_and_close(text(408, "request body not received in time"));
    if (ec == beast_http::error::body_limit) return reply_and_close(text(413, "request body is larger than 25 MiB"));
    if (ec && is_http_error(ec) && ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message) {
      return reply_and_close(text(400, "malformed HTTP request (" + ec.message() + ")"));
    }
    if (ec) return close();
    dispatch();
  }

  void dispatch() {
    Request request = parser_->release();
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    deadline_ = Clock::time_point::max();  // the route may answer later (after a commit)
    auto respond = [self = shared_from_this()](Response response) {
      auto executor = self->socket_.get_executor();
      net::post(executor, [self = std::move(self), response = std::move(response)]() mutable {
        self->write(std::move(response), false);
      });
    };
    try {
      shared_->routes.handle(std::move(request), std::move(respond));
    } catch (const std::exception& e) {
      spdlog::error("route failed: {}", e.what());
      write(text(500, "internal error"), true);
    }
    release_budget();  // the route has checked what it read (a webhook: its signature)
  }

  void reply_and_close(Response response) {
    parser_.reset();  // whatever body was read goes now, not after the linger
    release_budget();
    write(std::move(response), true);
  }

  // Bodies nobody has verified share ServerOptions::unverified_budget; large ones (above
  // large_body) at most half of it, so small deliveries always find room.
  bool reserve_budget(std::uint64_t bytes) {
    auto& s = *shared_;
    bool large = bytes > s.options.large_body;
    std::lock_guard lock(s.budget_mutex);
    if (s.unverified + bytes > s.options.unverified_budget) return false;
    if (large && s.unverified_large + bytes > s.options.unverified_budget / 2) return false;
    s.unverified += bytes;
    if (large) s.unverified_large += bytes;
    reserved_ = bytes;
    reserved_large_ = large;
    return true;
  }

  void release_budget() {
    if (reserved_ == 0) return;
    auto& s = *shared_;
    std::lock_guard lock(s.budget_mutex);
    s.unverified -= reserved_;
    if (reserved_large_) s.unverified_large -= reserved_;
    reserved_ = 0;
    reserved_large_ = false;
  }

  void write(Response r, bool close_after) {
    if (r.stream && !close_after) return start_stream(std::move(r));
    auto res = std::make_shared<beast_http::response<beast_http::string_body>>(
        static_cast<beast_http::status>(r.status), version_ ? version_ : 11);
    res->set(beast_http::field::server, "mentorbot");
    res->set(beast_http::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) res->set(name, value);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive_ && !close_after && !shared_->stopping);
    res->prepare_payload();
    arm(write_timeout);
    beast_http::async_write(socket_, *res, [self = shared_from_this(), res, close_after](beast::error_code ec, std::size_t) {
      if (ec || self->timed_out_) return self->close();
      if (close_after) return self->linger();
      if (!res->keep_alive()) return self->close();
      self->read_header();
    });
  }

  // A response that stays open: the head by hand (chunked, no length), then whatever is pushed.
  void start_stream(Response r) {
    if (shared_->stopping) return close();  // the server stopped while this answer was on its way
    streaming_ = true;
    // A stream lives long: give back what reading requests needed.
    parser_.reset();
    buffer_.clear();
    buffer_.shrink_to_fit();
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " +
                       std::string(beast_http::obsolete_reason(static_cast<beast_http::status>(r.status))) +
                       "\r\nServer: mentorbot\r\nContent-Type: " + r.content_type + "\r\n";
    for (const auto& [name, value] : r.headers) head += name + ": " + value + "\r\n";
    head += "Transfer-Encoding: chunked\r\n\r\n";
    if (!r.body.empty()) head += chunk(r.body);
    auto attach = std::move(r.stream);
    enqueue(std::make_shared<const std::string>(std::move(head)));
    watch_for_close();
    try {
      attach(shared_from_this());
    } catch (const std::exception& e) {
      spdlog::warn("a stream could not start: {}", e.what());
      close();
    }
  }

  void enqueue(std::shared_ptr<const std::string> bytes) {
    if (closed_.load()) return;
    queued_bytes_ += bytes->size();
    if (queued_bytes_ > stream_queue_limit) {
      spdlog::debug("a stream client fell {} bytes behind; closing it", queued_bytes_);
      return close();
    }
    queue_.push_back(std::move(bytes));
    if (!writing_) write_next();
  }

  void write_next() {
    if (queue_.empty() || closed_.load()) {
      writing_ = false;
      deadline_ = Clock::time_point::max();  // waiting for the next event is not a timeout
      return;
    }
    writing_ = true;
    arm(write_timeout);
    net::async_write(socket_, net::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || self->timed_out_) return self->close();
      self->queued_bytes_ -= self->queue_.front()->size();
      self->queue_.pop_front();
      self->write_next();
    });
  }

  // A viewer that leaves is noticed at once, not at the next event: its end of the connection
  // completes this read.
  void watch_for_close() {
    socket_.async_read_some(net::buffer(watch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->watch_for_close();
    });
  }

  // After an early answer the client may still be sending; read and discard for a moment so
  // it sees our answer instead of a reset connection.
  void linger() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    arm(linger_timeout);
    drain_ = std::make_unique<std::array<char, 64 * 1024>>();
    drain_more();
  }

  void drain_more() {
    socket_.async_read_some(net::buffer(*drain_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->timed_out_ || self->drained_ > linger_limit) return self->close();
      self->drain_more();
    });
  }

  void close() {
    closed_.store(true);  // the queue stays: a write in flight still reads its front
    deadline_ = Clock::time_point::max();
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  Socket socket_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  std::shared_ptr<ServerShared> shared_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  bool idle_ = true;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  std::unique_ptr<std::array<char, 64 * 1024>> drain_;
  std::size_t drained_ = 0;
  std::uint64_t reserved_ = 0;  // of the unverified budget, while this body is read
  bool reserved_large_ = false;
  // A stream (Server-Sent Events): what is queued for the client, on the session's thread.
  bool streaming_ = false;
  bool writing_ = false;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  std::atomic<bool> closed_{false};
  std::array<char, 256> watch_;  // what a stream's client sends is read here and ignored
};

}  // namespace

std::shared_ptr<Connection> start_connection(Socket socket, std::shared_ptr<ServerShared> shared) {
  auto session = std::make_shared<Session>(std::move(socket), std::move(shared));
  session->run();
  return session;
}

}  // namespace mentorbot::http
