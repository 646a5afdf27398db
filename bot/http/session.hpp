#pragma once
// One HTTP connection of the server (http/server.hpp): reads requests with Beast, asks the routes
// what each may read (Routes::on_head), answers, streams Server-Sent Events, and times out.
// Internal to the server; nothing else includes it.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/message.hpp"
#include "http/server.hpp"

namespace mentorbot::http {

// A socket bound to one io_context's executor: no type erasure on the hot path.
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

// What the connections share with the server.
struct ServerShared {
  ServerShared(ServerOptions o, Routes& r) : options(std::move(o)), routes(r) {}
  ServerOptions options;
  Routes& routes;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> open{0};
  // Bytes of bodies being read that nobody has verified yet (ServerOptions::unverified_budget).
  std::mutex budget_mutex;
  std::uint64_t unverified = 0;
  std::uint64_t unverified_large = 0;
};

// What the server's sweeper and stop() ask of a connection, on the connection's own thread.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void check(std::chrono::steady_clock::time_point now) = 0;  // times out what waited too long
  virtual void close_if_idle() = 0;  // the server stops: an idle keep-alive connection closes now
};

// Starts reading requests from `socket` (call on the socket's executor).
std::shared_ptr<Connection> start_connection(Socket socket, std::shared_ptr<ServerShared> shared);

}  // namespace mentorbot::http
