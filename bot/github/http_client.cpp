#include "github/http_client.hpp"

#include <poll.h>

#include <chrono>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "core/errors.hpp"
#include "github/deadline_socket.hpp"

namespace mentorbot::github {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

ApiUrl parse_api_url(const std::string& url) {
  ApiUrl u;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    u.tls = false;
    rest = url.substr(7);
  } else {
    throw ConfigError("the GitHub API URL must start with https:// or http://, got \"" + url + "\"");
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.base_path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!u.base_path.empty() && u.base_path.back() == '/') u.base_path.pop_back();
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.empty()) throw ConfigError("the GitHub API URL has no host: \"" + url + "\"");
  return u;
}

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Tls {
  ssl::context context{ssl::context::tls_client};
  Tls() {
    context.set_default_verify_paths();  // the system CA store (and SSL_CERT_FILE, if set)
    context.set_verify_mode(ssl::verify_peer);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  }
};

// One keep-alive connection, read and written on the calling thread under a deadline. Its
// io_context is only for resolving and connecting.
struct HttpClient::Connection {
  std::chrono::steady_clock::time_point idle_since;
  net::io_context io;
  std::optional<DeadlineSocket> plain;
  std::optional<ssl::stream<DeadlineSocket>> secure;
  beast::flat_buffer buffer;
  bool reused = false;
  DeadlineSocket& socket() { return secure ? secure->next_layer() : *plain; }
};

HttpClient::HttpClient(ApiUrl url, Options options) : url_(std::move(url)), options_(std::move(options)) {
  if (url_.tls) tls_ = std::make_unique<Tls>();
}

HttpClient::~HttpClient() = default;

namespace {

struct StaleConnection : NetworkError {
  StaleConnection(const std::string& what, bool sent) : NetworkError(what), request_sent(sent) {}
  bool request_sent;  // false: it broke while writing, so the request cannot have been done
};

// Runs the io_context until the operation started before it completes.
void run(net::io_context& io) {
  io.restart();
  io.run();
}

}  // namespace

std::unique_ptr<HttpClient::Connection> HttpClient::open() {
  auto c = std::make_unique<Connection>();
  beast::error_code ec;
  tcp::resolver resolver(c->io);
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(url_.host, url_.port, [&](beast::error_code e, tcp::resolver::results_type r) {
    ec = e;
    endpoints = std::move(r);
  });
  run(c->io);
  if (ec) throw NetworkError("cannot resolve " + url_.host + ": " + ec.message());

  beast::tcp_stream connecting(c->io);
  connecting.expires_after(options_.connect_timeout);
  connecting.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  run(c->io);
  if (ec) throw NetworkError("cannot connect to " + url_.host + ":" + url_.port + ": " + ec.message());
  connecting.socket().set_option(tcp::no_delay(true), ec);
  DeadlineSocket socket(connecting.release_socket());
  if (!url_.tls) {
    c->plain.emplace(std::move(socket));
    return c;
  }
  c->secure.emplace(std::move(socket), tls_->context);
  // SNI, and the certificate must name this host.
  if (!SSL_set_tlsext_host_name(c->secure->native_handle(), url_.host.c_str())) {
    throw NetworkError("cannot set SNI for " + url_.host);
  }
  c->secure->set_verify_callback(ssl::host_name_verification(url_.host));
  c->socket().expires_after(options_.connect_timeout);
  c->secure->handshake(ssl::stream_base::client, ec);
  if (ec) throw NetworkError("TLS handshake with " + url_.host + " failed: " + ec.message());
  return c;
}

HttpResponse HttpClient::exchange(Connection& c, const HttpRequest& r) {
  http::request<http::string_body> req(r.method, url_.base_path + r.target, 11);
  // The port too when it is not the scheme's own (RFC 9110, 7.2): an Enterprise server or a
  // proxy on another port builds its links from it.
  bool default_port = url_.port == (url_.tls ? "443" : "80");
  req.set(http::field::host, default_port ? url_.host : url_.host + ":" + url_.port);
  req.set(http::field::user_agent, options_.user_agent);
  for (const auto& [name, value] : r.headers) req.set(name, value);
  if (!r.body.empty() || r.method == http::verb::post || r.method == http::verb::patch ||
      r.method == http::verb::put) {
    req.body() = r.body;
    req.prepare_payload();
  }
  req.keep_alive(true);

  beast::error_code ec;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  c.socket().expires_after(options_.read_timeout);
  if (c.secure) {
    http::write(*c.secure, req, ec);
  } else {
    http::write(*c.plain, req, ec);
  }
  if (ec) {
    if (c.reused) throw StaleConnection("the connection to " + url_.host + " broke while sending: " + ec.message(), false);
    throw NetworkError("sending to " + url_.host + " failed: " + ec.message());
  }
  c.socket().expires_after(options_.read_timeout);
  if (c.secure) {
    http::read(*c.secure, c.buffer, parser, ec);
  } else {
    http::read(*c.plain, c.buffer, parser, ec);
  }
  if (ec) {
    // The server closed a kept-alive connection before reading this request: nothing reached it.
    bool closed = ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset;
    if (c.reused && closed && !parser.got_some()) {
      throw StaleConnection("the connection to " + url_.host + " closed before an answer: " + ec.message(), true);
    }
    if (ec == beast::error::timeout) throw NetworkError("no answer from " + url_.host + " in time");
    throw NetworkError("reading from " + url_.host + " failed: " + ec.message());
  }
  auto& m = parser.get();
  HttpResponse out;
  out.status = m.result_int();
  out.body = std::move(m.body());
  for (const auto& f : m) {
    std::string name(f.name_string());
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out.headers[name] = std::string(f.value());
  }
  c.reused = true;
  return out;
}

namespace {

// A kept-alive connection the server has closed (or sent something unasked on) is readable.
bool looks_closed(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

// Safe to send twice: a request that may have reached GitHub is repeated only if it changes
// nothing the second time (RFC 9110 §9.2.2). Anything else is the caller's to reconcile.
bool idempotent(http::verb v) {
  return v == http::verb::get || v == http::verb::head || v == http::verb::put || v == http::verb::delete_;
}

}  // namespace

HttpResponse HttpClient::send(const HttpRequest& request) {
  std::unique_ptr<Connection> c;
  {
    std::lock_guard lock(mutex_);
    while (!idle_.empty() && !c) {
      c = std::move(idle_.back());
      idle_.pop_back();
      if (std::chrono::steady_clock::now() - c->idle_since > std::chrono::seconds(30) ||
          looks_closed(c->socket().native_handle())) {
        c.reset();
      }
    }
  }
  HttpResponse response;
  if (c) {
    try {
      response = exchange(*c, request);
    } catch (const StaleConnection& e) {
      if (e.request_sent && !idempotent(request.method)) throw;  // it may have been done: the outbox finds out
      c.reset();  // one more try on a new connection
    }
  }
  if (!c) {
    c = open();
    response = exchange(*c, request);
  }
  bool keep = response.header("connection") != "close";
  if (keep) {
    c->idle_since = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (idle_.size() < options_.max_idle) idle_.push_back(std::move(c));
  }
  return response;
}

}  // namespace mentorbot::github
