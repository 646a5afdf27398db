// A stream (Server-Sent Events) through the real server: a client that stops reading is
// dropped once its queue passes the limit, so one slow viewer cannot make the bot's memory grow.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "http/server.hpp"

using namespace mentorbot::http;
using namespace std::chrono_literals;

namespace {

struct StreamRoutes final : Routes {
  std::promise<std::shared_ptr<StreamSink>> sink;
  HeadVerdict on_head(const Request&) override { return {1024, false, std::nullopt}; }
  void handle(Request&&, Responder respond) override {
    Response r;
    r.content_type = "text/event-stream";
    r.body = "retry: 2000\n\n";
    r.stream = [this](std::shared_ptr<StreamSink> s) { sink.set_value(std::move(s)); };
    respond(std::move(r));
  }
};

int connect_to(std::uint16_t port, int receive_buffer) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string request = "GET /api/events HTTP/1.1\r\nHost: test\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  return fd;
}

}  // namespace

TEST_CASE("streams: a client that stops reading is dropped, not buffered without end", "[sse][server]") {
  StreamRoutes routes;
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  Server server(options, routes);
  server.start();
  int fd = connect_to(server.port(), 4096);  // and never reads
  auto future = routes.sink.get_future();
  REQUIRE(future.wait_for(5s) == std::future_status::ready);
  auto sink = future.get();

  auto piece = std::make_shared<const std::string>(chunk(std::string(64 * 1024, 'x')));
  std::size_t pushed = 0;
  bool open = true;
  // 32 MiB offered: far more than the socket buffers and the 1 MiB queue together.
  for (int i = 0; i < 512 && open; ++i) {
    open = sink->push(piece);
    if (open) pushed += piece->size();
    std::this_thread::sleep_for(2ms);
  }
  INFO("accepted " << pushed / 1024 << " KiB before closing");
  CHECK_FALSE(open);
  CHECK(pushed < 16u * 1024 * 1024);
  ::close(fd);
  server.stop();
  server.join();
}
