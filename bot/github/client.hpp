#pragma once
// GitHub's REST API as the App's installations: installation tokens (renewed once on a 401),
// rate-limit headers read on every answer, secondary rate limits and 5xx told apart from
// real refusals, pagination through Link headers. Every request is counted in /metrics.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "core/json.hpp"
#include "core/metrics.hpp"
#include "github/app_auth.hpp"
#include "github/http_client.hpp"

namespace mentorbot::github {

// GitHub refused the request for good (404, 422, a 403 that is not a rate limit, …).
struct ApiError : std::runtime_error {
  ApiError(unsigned code, const std::string& what) : std::runtime_error(what), status(code) {}
  unsigned status;
};

// A primary or secondary rate limit: nothing more for this installation before `retry_at_ms`.
struct RateLimited : std::runtime_error {
  RateLimited(std::int64_t retry_at, const std::string& what) : std::runtime_error(what), retry_at_ms(retry_at) {}
  std::int64_t retry_at_ms;
};

// 5xx, no answer, or a refused App JWT: worth trying again later.
struct Unavailable : std::runtime_error {
  explicit Unavailable(const std::string& what, bool no_answer = false)
      : std::runtime_error(what), answer_missing(no_answer) {}
  // The request may have reached GitHub and no answer came back (a timeout, a connection that
  // broke after sending): GitHub may still be doing it.
  bool answer_missing;
};

struct ApiResult {
  unsigned status = 0;
  json::value body;
  std::string next;  // the target of Link rel="next", if any
};

// How to read an answer: what to do next. Exposed for tests.
struct Verdict {
  enum class Kind { ok, rate_limited, unavailable, refused, unauthorized } kind = Kind::ok;
  std::int64_t retry_at_ms = 0;
  std::string message;
};
Verdict classify(const HttpResponse& response, std::int64_t now_ms);

// `text` percent-encoded for one segment of a URL path or a query value (RFC 3986 unreserved
// characters stay as they are).
std::string url_encode(std::string_view text);

// The target of the rel="next" link, relative to the API base path; "" when there is none.
std::string next_link(const std::string& link_header, const std::string& base_path);

class Client {
 public:
  struct Options {
    std::string api_base_url = "https://api.github.com";
    std::string app_id;
    int read_attempts = 3;                              // GETs: tries on 5xx and network errors
    std::chrono::milliseconds read_backoff{500};        // doubled each time, with jitter
    std::chrono::milliseconds longest_read_wait{60'000};  // a GET waits out a rate limit up to this
    HttpClient::Options http;
  };
  Client(Options options, PrivateKey key, Metrics& metrics);

  // One request as `installation`, no retry but the token renewal on 401. Throws ApiError,
  // RateLimited or Unavailable.
  ApiResult request(std::int64_t installation, boost::beast::http::verb method, const std::string& target,
                    const json::value* body = nullptr);
  // A GET that retries 5xx and network errors and waits out short rate limits.
  ApiResult get(std::int64_t installation, const std::string& target);
  // Every page of a list (per_page=100), following Link rel="next".
  std::vector<json::value> get_all(std::int64_t installation, std::string target);

  TokenCache& tokens() { return tokens_; }

 private:
  InstallationToken create_token(std::int64_t installation);
  HttpResponse send(boost::beast::http::verb method, const std::string& target, const std::string& authorization,
                    const std::string& body);

  Options options_;
  PrivateKey key_;
  Metrics& metrics_;
  HttpClient http_;
  TokenCache tokens_;
  std::mutex rate_mutex_;
  std::map<std::string, double> remaining_;  // x-ratelimit-remaining by resource
};

}  // namespace mentorbot::github
