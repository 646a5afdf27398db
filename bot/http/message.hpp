#pragma once
// What a route sees and answers: a parsed request, and a response it hands to a Responder
// exactly once, from any thread.
#include <cstdint>
#include <functional>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace mentorbot::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;

struct Response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

// A one-line plain-text answer, as every error from mentorbot is.
inline Response text(unsigned status, std::string line) {
  Response r;
  r.status = status;
  r.body = std::move(line);
  r.body += '\n';
  return r;
}

using Responder = std::function<void(Response)>;

// The routes, owned by the app. `body_limit` is asked after the header is read and before any
// of the body is, so each route reads no more than it needs.
class Routes {
 public:
  virtual ~Routes() = default;
  virtual std::uint64_t body_limit(const Request& head) const = 0;
  virtual void handle(Request&& request, Responder respond) = 0;
};

}  // namespace mentorbot::http
