#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/signature.hpp"

namespace testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

HttpResult http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const Headers& headers, const std::string& body, std::chrono::milliseconds timeout) {
  net::io_context io;
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  if (!body.empty() || method == "POST") req.prepare_payload();
  http::response<http::string_body> res;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  HttpResult result;

  stream.expires_after(timeout);
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    if (ec) return;
    http::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
      // Even when the write fails (the server answered early and closed), read the answer.
      (void)wec;
      http::async_read(stream, buffer, parser, [&](beast::error_code rec, std::size_t) {
        if (rec) return;
        auto& m = parser.get();
        result.status = m.result_int();
        result.body = m.body();
        for (const auto& f : m) {
          std::string name(f.name_string());
          for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          result.headers[name] = std::string(f.value());
        }
      });
    });
  });
  io.run();
  return result;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout,
                         bool* closed_by_server) {
  net::io_context io;
  beast::tcp_stream stream(io);
  std::string received;
  std::array<char, 4096> chunk{};
  bool closed = false;
  std::function<void()> read_more = [&] {
    stream.async_read_some(net::buffer(chunk), [&](beast::error_code ec, std::size_t n) {
      received.append(chunk.data(), n);
      if (ec) {
        closed = ec != beast::error::timeout;
        return;
      }
      read_more();
    });
  };
  stream.expires_after(timeout);
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    if (ec) return;
    net::async_write(stream, net::buffer(bytes), [&](beast::error_code, std::size_t) { read_more(); });
  });
  io.run();
  if (closed_by_server) *closed_by_server = closed;
  return received;
}

std::string github_signature(const std::string& secret, const std::string& body) {
  return "sha256=" + mentorbot::http::hmac_sha256_hex(secret, body);
}

HttpResult post_webhook(std::uint16_t port, const std::string& secret, const std::string& event,
                        const std::string& delivery, const std::string& body, const std::string& content_type) {
  return http_request(port, "POST", "/api/github/webhooks",
                      {{"Content-Type", content_type},
                       {"X-GitHub-Event", event},
                       {"X-GitHub-Delivery", delivery},
                       {"User-Agent", "GitHub-Hookshot/test"},
                       {"X-Hub-Signature-256", github_signature(secret, body)}},
                      body);
}

int connect_loopback(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

}  // namespace testing
