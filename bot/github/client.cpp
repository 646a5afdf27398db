#include "github/client.hpp"

#include <cctype>
#include <random>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "github/permissions.hpp"

namespace mentorbot::github {

namespace http = boost::beast::http;

namespace {

std::string message_of(const std::string& body) {
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (!ec) {
    if (auto m = json_string(v, {"message"})) return *m;
  }
  return body.substr(0, 200);
}

std::int64_t number_or(const std::string& text, std::int64_t fallback) {
  try {
    return text.empty() ? fallback : std::stoll(text);
  } catch (...) {
    return fallback;
  }
}

}  // namespace

Verdict classify(const HttpResponse& r, std::int64_t now_ms) {
  Verdict v;
  if (r.status >= 200 && r.status < 300) return v;
  v.message = std::to_string(r.status) + " " + message_of(r.body);
  if (r.status == 401) {
    v.kind = Verdict::Kind::unauthorized;
    return v;
  }
  if (r.status == 403 || r.status == 429) {
    // GitHub's rules (docs: "Rate limits for the REST API"): Retry-After first; a spent primary
    // limit waits for its reset; a secondary limit without either waits at least a minute.
    auto retry_after = r.header("retry-after");
    auto remaining = r.header("x-ratelimit-remaining");
    bool secondary = v.message.find("secondary rate limit") != std::string::npos;
    if (!retry_after.empty()) {
      v.kind = Verdict::Kind::rate_limited;
      v.retry_at_ms = now_ms + number_or(retry_after, 60) * 1000;
      return v;
    }
    if (remaining == "0") {
      v.kind = Verdict::Kind::rate_limited;
      v.retry_at_ms = std::max(now_ms + 1000, number_or(r.header("x-ratelimit-reset"), now_ms / 1000 + 60) * 1000);
      return v;
    }
    if (secondary || r.status == 429) {
      v.kind = Verdict::Kind::rate_limited;
      v.retry_at_ms = now_ms + 60'000;
      return v;
    }
    v.kind = Verdict::Kind::refused;
    return v;
  }
  v.kind = r.status >= 500 ? Verdict::Kind::unavailable : Verdict::Kind::refused;
  return v;
}

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string next_link(const std::string& link, const std::string& base_path) {
  // <https://api.github.com/repositories/1/issues/2/comments?page=2>; rel="next", <…>; rel="last"
  std::size_t pos = 0;
  while ((pos = link.find('<', pos)) != std::string::npos) {
    auto close = link.find('>', pos);
    if (close == std::string::npos) break;
    auto url = link.substr(pos + 1, close - pos - 1);
    auto next_part = link.find('<', close);
    auto params = link.substr(close, next_part == std::string::npos ? std::string::npos : next_part - close);
    if (params.find("rel=\"next\"") != std::string::npos) {
      auto scheme = url.find("://");
      auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
      std::string target = path == std::string::npos ? "/" : url.substr(path);
      if (!base_path.empty() && target.rfind(base_path, 0) == 0) target = target.substr(base_path.size());
      return target;
    }
    pos = close;
  }
  return {};
}

namespace {

// Every call is one the manifest asks permission for (github/permissions.hpp).
void require_listed(http::verb method, const std::string& target) {
  if (!endpoint_for(method, target)) {
    throw std::logic_error("mentorbot calls " + std::string(http::to_string(method)) + " " +
                           target.substr(0, target.find('?')) +
                           ", which github/permissions.cpp does not list: add it with the permission it needs");
  }
}

}  // namespace

Client::Client(Options options, PrivateKey key, Metrics& metrics)
    : options_(std::move(options)),
      key_(std::move(key)),
      metrics_(metrics),
      http_(parse_api_url(options_.api_base_url), options_.http),
      tokens_([this](std::int64_t installation) { return create_token(installation); }) {
  metrics_.gauge("mentorbot_github_rate_limit_remaining", "x-ratelimit-remaining last seen, by resource", [this] {
    std::lock_guard lock(rate_mutex_);
    std::vector<std::pair<Labels, double>> out;
    for (const auto& [resource, n] : remaining_) out.push_back({{{"resource", resource}}, n});
    return out;
  });
}

HttpResponse Client::send(http::verb method, const std::string& target, const std::string& authorization,
                          const std::string& body) {
  require_listed(method, target);
  HttpRequest req;
  req.method = method;
  req.target = target;
  req.headers = {{"Accept", "application/vnd.github+json"},
                 {"X-GitHub-Api-Version", "2022-11-28"},
                 {"Authorization", authorization}};
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  req.body = body;
  auto started = std::chrono::steady_clock::now();
  std::string method_name(http::to_string(method));
  HttpResponse res;
  try {
    res = http_.send(req);
  } catch (const NetworkError&) {
    metrics_.counter("mentorbot_github_requests_total", "GitHub API requests, by method and answer status",
                     {{"method", method_name}, {"status", "error"}})
        .inc();
    throw;
  }
  metrics_.counter("mentorbot_github_requests_total", "GitHub API requests, by method and answer status",
                   {{"method", method_name}, {"status", std::to_string(res.status)}})
      .inc();
  metrics_
      .histogram("mentorbot_github_request_seconds", "GitHub API request time", {{"method", method_name}},
                 Metrics::latency_buckets())
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (auto remaining = res.header("x-ratelimit-remaining"); !remaining.empty()) {
    auto resource = res.header("x-ratelimit-resource");
    std::lock_guard lock(rate_mutex_);
    remaining_[resource.empty() ? "core" : resource] = static_cast<double>(number_or(remaining, 0));
  }
  spdlog::debug("GitHub {} {} -> {}", method_name, target, res.status);
  return res;
}

InstallationToken Client::create_token(std::int64_t installation) {
  auto jwt = make_app_jwt(key_, options_.app_id, unix_ms() / 1000);
  HttpResponse res;
  try {
    res = send(http::verb::post, "/app/installations/" + std::to_string(installation) + "/access_tokens",
               "Bearer " + jwt, "");
  } catch (const NetworkError& e) {
    throw Unavailable(std::string("GitHub did not answer a token request: ") + e.what());
  }
  auto verdict = classify(res, unix_ms());
  if (verdict.kind == Verdict::Kind::unauthorized) {
    // Loudly: nothing will work until this is fixed.
    spdlog::error("GitHub refused the App's JWT ({}). Check APP_ID ({}) and the private key, and that this "
                  "machine's clock is right.",
                  verdict.message, options_.app_id);
    throw Unavailable("GitHub refused the App's JWT: " + verdict.message);
  }
  if (verdict.kind == Verdict::Kind::rate_limited) throw RateLimited(verdict.retry_at_ms, verdict.message);
  if (verdict.kind == Verdict::Kind::unavailable) throw Unavailable("token request: " + verdict.message);
  if (verdict.kind == Verdict::Kind::refused) {
    spdlog::error("GitHub refused an installation token for installation {}: {}", installation, verdict.message);
    throw ApiError(res.status, "installation token: " + verdict.message);
  }
  json::error_code ec;
  auto body = json::parse(res.body, ec);
  auto token = ec ? std::nullopt : json_string(body, {"token"});
  if (!token) throw Unavailable("GitHub's token answer has no token");
  InstallationToken t;
  t.token = *token;
  auto expires_ms = parse_iso8601_ms(json_string(body, {"expires_at"}).value_or(""));
  t.expires_at = expires_ms ? *expires_ms / 1000 : unix_ms() / 1000 + 3000;
  return t;
}

ApiResult Client::request(std::int64_t installation, http::verb method, const std::string& target,
                          const json::value* body) {
  require_listed(method, target);
  std::string payload = body ? json::serialize(*body) : std::string();
  for (int attempt = 0;; ++attempt) {
    auto token = tokens_.token(installation);
    HttpResponse res;
    try {
      res = send(method, target, "token " + token, payload);
    } catch (const NetworkError& e) {
      throw Unavailable(e.what(), true);
    }
    auto verdict = classify(res, unix_ms());
    switch (verdict.kind) {
      case Verdict::Kind::ok: {
        ApiResult out;
        out.status = res.status;
        if (!res.body.empty()) {
          json::error_code ec;
          out.body = json::parse(res.body, ec);
          if (ec) throw Unavailable("GitHub answered with something that is not JSON");
        }
        out.next = next_link(res.header("link"), http_.url().base_path);
        return out;
      }
      case Verdict::Kind::unauthorized:
        // An expired or revoked token: one new token, one more try.
        tokens_.invalidate(installation, token);
        if (attempt == 0) continue;
        throw Unavailable("GitHub answered 401 twice: " + verdict.message);
      case Verdict::Kind::rate_limited:
        throw RateLimited(verdict.retry_at_ms, verdict.message);
      case Verdict::Kind::unavailable:
        throw Unavailable(verdict.message);
      case Verdict::Kind::refused:
        throw ApiError(res.status, verdict.message);
    }
  }
}

ApiResult Client::get(std::int64_t installation, const std::string& target) {
  thread_local std::mt19937 rng{std::random_device{}()};
  auto delay = options_.read_backoff;
  for (int attempt = 1;; ++attempt) {
    try {
      return request(installation, http::verb::get, target);
    } catch (const RateLimited& e) {
      auto wait = e.retry_at_ms - unix_ms();
      if (wait > options_.longest_read_wait.count() || attempt >= options_.read_attempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(std::max<std::int64_t>(wait, 0)));
    } catch (const Unavailable&) {
      if (attempt >= options_.read_attempts) throw;
      auto jittered = delay.count() / 2 + std::uniform_int_distribution<std::int64_t>(0, delay.count())(rng);
      std::this_thread::sleep_for(std::chrono::milliseconds(jittered));
      delay *= 2;
    }
  }
}

std::vector<json::value> Client::get_all(std::int64_t installation, std::string target) {
  std::vector<json::value> items;
  target += (target.find('?') == std::string::npos ? "?" : "&") + std::string("per_page=100");
  for (int page = 0; !target.empty() && page < 100; ++page) {
    auto r = get(installation, target);
    if (const auto* array = r.body.if_array()) {
      for (auto& v : *array) items.push_back(v);
    }
    target = r.next;
  }
  return items;
}

}  // namespace mentorbot::github
