#pragma once
// A small blocking HTTP/1.1 client for tests, with a deadline on every call.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  unsigned status = 0;  // 0: no answer (connection failed, closed or timed out)
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
};

HttpResult http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const Headers& headers = {}, const std::string& body = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

inline HttpResult http_get(std::uint16_t port, const std::string& target) { return http_request(port, "GET", target); }

// Sends raw bytes, then reads until the server closes or `timeout` passes; returns what came back.
std::string raw_exchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout,
                         bool* closed_by_server = nullptr);

// "sha256=<hex>" as GitHub computes it.
std::string github_signature(const std::string& secret, const std::string& body);

// POSTs a signed webhook.
HttpResult post_webhook(std::uint16_t port, const std::string& secret, const std::string& event,
                        const std::string& delivery, const std::string& body,
                        const std::string& content_type = "application/json");

// A blocking TCP socket connected to 127.0.0.1:port, or -1.
int connect_loopback(std::uint16_t port);

}  // namespace testing
