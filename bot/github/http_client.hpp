#pragma once
// A blocking HTTP/1.1 client for GitHub's API (Boost.Beast + OpenSSL), used from worker
// threads. TLS verifies the certificate chain against the system CA store and the host name,
// and sends SNI; plain HTTP only when the API URL says http (GHE_PROTOCOL=http: local fakes).
// Connections are kept alive and reused; every connect, write and read has a deadline.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/http/verb.hpp>

namespace mentorbot::github {

struct ApiUrl {
  bool tls = true;
  std::string host;
  std::string port;
  std::string base_path;  // "" for api.github.com, "/api/v3" for Enterprise
};
// Parses "https://api.github.com" or "http://127.0.0.1:39080/api/v3".
ApiUrl parse_api_url(const std::string& url);

struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // path and query, without the base path
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string header(const std::string& lower_name) const;
};

// No answer: the connection could not be made, broke, or timed out. The request may or may
// not have reached GitHub.
struct NetworkError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class HttpClient {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds read_timeout{30'000};
    std::size_t max_idle = 16;
    std::string user_agent = "mentorbot";
  };
  HttpClient(ApiUrl url, Options options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Thread-safe. Throws NetworkError.
  HttpResponse send(const HttpRequest& request);
  const ApiUrl& url() const { return url_; }

 private:
  struct Connection;
  std::unique_ptr<Connection> open();
  HttpResponse exchange(Connection& c, const HttpRequest& request);

  ApiUrl url_;
  Options options_;
  struct Tls;
  std::unique_ptr<Tls> tls_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace mentorbot::github
