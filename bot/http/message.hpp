#pragma once
// What a route sees and answers: a parsed request, and a response it hands to a Responder
// exactly once, from any thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace mentorbot::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;

// The far end of a response that stays open (Server-Sent Events). Thread-safe.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues bytes for the wire, already framed as an HTTP chunk (see `chunk`). False once the
  // connection is closed, or when the client reads so slowly that its queue overflowed (it is
  // then closed; an EventSource reconnects and catches up with Last-Event-ID).
  virtual bool push(std::shared_ptr<const std::string> bytes) = 0;
};

// `data` as one chunk of a chunked transfer encoding.
std::string chunk(std::string_view data);

struct Response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  // Set for a stream: the session writes the head (chunked) and `body` as the first chunk, then
  // hands itself to `stream` and stays open until the client leaves or the server stops.
  std::function<void(std::shared_ptr<StreamSink>)> stream;
};

// A one-line plain-text answer, as every error from mentorbot is.
inline Response text(unsigned status, std::string line) {
  Response r;
  r.status = status;
  r.body = std::move(line);
  r.body += '\n';
  return r;
}

// 405 with the Allow header.
inline Response method_not_allowed(const char* allow) {
  Response r = text(405, std::string("use ") + allow);
  r.headers.emplace_back("Allow", allow);
  return r;
}

// The request target's path (without the query) and its query (without the '?').
inline std::string_view path_of(const Request& r) {
  std::string_view target(r.target().data(), r.target().size());
  return target.substr(0, target.find('?'));
}
inline std::string_view query_of(const Request& r) {
  std::string_view target(r.target().data(), r.target().size());
  auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

using Responder = std::function<void(Response)>;

// What a route makes of a request from its header alone, before any of the body is read.
struct HeadVerdict {
  std::uint64_t body_limit = 64u << 10;  // the most body this route reads (413 above it)
  // Until the route has checked it (a webhook's signature) anyone could have sent this body: it
  // counts against the server's budget for such bodies while it is read (503 above it).
  bool unverified = false;
  std::optional<Response> answer;  // refused from the header: answered without reading the body
};

// The routes, owned by the app. `on_head` is asked after the header is read and before any of
// the body is, so each route reads no more than it needs, and nothing it would refuse anyway.
class Routes {
 public:
  virtual ~Routes() = default;
  virtual HeadVerdict on_head(const Request& head) = 0;
  virtual void handle(Request&& request, Responder respond) = 0;
};

}  // namespace mentorbot::http
