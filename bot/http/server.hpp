#pragma once
// The HTTP/1.1 listener and its sessions (Boost.Beast). One io_context per thread, each
// connection owned by one of them, so a session's steps never need a lock or a strand. Every
// read has a size limit and a deadline before it starts; a sweeper on each thread cancels
// whatever is past its deadline (no timer syscalls per request).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/message.hpp"

namespace mentorbot::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 3000;
  unsigned threads = 1;
  std::chrono::milliseconds read_timeout{30'000};
  std::uint64_t max_body = 25u << 20;  // GitHub never sends more than 25 MB
  // Bodies read before anyone could check who sent them (webhooks before their signature): all
  // at once at most this many bytes, bodies above `large_body` at most half of it; above, 503
  // with Retry-After. Anyone can send such bodies: this bounds what they cost in memory.
  std::uint64_t unverified_budget = 64u << 20;
  std::uint64_t large_body = 1u << 20;
  int listen_fd = -1;  // a listening socket to take over (from duplicate_listener) instead of binding
};

struct ServerShared;  // what the connections share with the server (http/session.hpp)

class Server {
 public:
  Server(ServerOptions options, Routes& routes);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Throws ConfigError when the address cannot be bound.
  void start();
  std::uint16_t port() const { return port_; }
  // A second descriptor of the listening socket (the caller closes it): the socket stays open
  // after this server stops, connections wait in its backlog, and the next server takes it over
  // (ServerOptions::listen_fd). -1 when it cannot be made.
  int duplicate_listener() const;

  // Stops accepting, closes idle keep-alive connections; requests in progress get their answer.
  void stop();
  // stop(), and returns once no connection is accepted any more. Not from the server's threads.
  void stop_accepting();
  // Connections still open.
  std::size_t sessions() const;
  // Ends the threads (after stop(); open connections are dropped).
  void join();

  struct Loop;  // one io_context and its thread

 private:
  void accept();

  std::shared_ptr<ServerShared> shared_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::uint16_t port_ = 0;
  std::size_t next_loop_ = 0;
};

}  // namespace mentorbot::http
