#include "http/sprint_screen.hpp"

#include <openssl/crypto.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/hash.hpp"
#include "core/read_file.hpp"
#include "http/event_stream.hpp"
#include "http/form.hpp"
#include "http/pipeline_view.hpp"
#include "http/signature.hpp"
#include "http/sprint_board.hpp"
#include "render/badge.hpp"
#include "store/coins.hpp"
#include "store/pipeline.hpp"
#include "store/store.hpp"

namespace mentorbot::http {
namespace {

namespace json = boost::json;
namespace beast = boost::beast;

// The page runs only its own script and style, talks only to this server, and shows avatars
// from anywhere over https.
constexpr const char* page_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string content_type_of(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  return "application/octet-stream";
}

bool plain_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  for (unsigned char c : name) {
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_')) return false;
  }
  return true;
}

Response json_response(unsigned status, const json::value& v) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = json::serialize(v);
  r.body += '\n';
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

bool not_modified(const Request& request, const std::string& etag) {
  auto inm = request[beast_http::field::if_none_match];
  return !inm.empty() && std::string_view(inm.data(), inm.size()).find(etag) != std::string_view::npos;
}

Response cached(Response r, const std::string& etag, const Request& request, const char* cache_control) {
  if (not_modified(request, etag)) {
    Response nm;
    nm.status = 304;
    nm.body.clear();
    nm.headers.emplace_back("ETag", etag);
    nm.headers.emplace_back("Cache-Control", cache_control);
    return nm;
  }
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", cache_control);
  return r;
}

// The `sprint` query parameter: nullopt when absent or empty; throws BadQuery when it is not
// percent-encoded properly.
struct BadQuery {};
std::optional<std::string> sprint_param(std::string_view query) {
  bool named = query.starts_with("sprint=") || query.find("&sprint=") != std::string_view::npos;
  auto v = form_field(query, "sprint");
  if (named && !v) throw BadQuery{};
  if (v && v->empty()) return std::nullopt;
  return v;
}

}  // namespace

SprintScreen::SprintScreen(SprintScreenParts parts) : parts_(std::move(parts)) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parts_.web_dir, ec)) {
    auto name = entry.path().filename().string();
    if (!entry.is_regular_file() || !plain_name(name)) continue;
    File f{read_file_limited(entry.path().string(), file_limit::template_text), content_type_of(entry.path()), ""};
    f.etag = "\"" + short_hash(f.body) + "\"";
    files_.emplace(name, std::move(f));
  }
  if (!files_.count("leaderboard.html")) {
    throw std::runtime_error("the leaderboard page is missing: no leaderboard.html in " + parts_.web_dir.string());
  }
}

bool SprintScreen::owns(std::string_view path) {
  return path == "/" || path.starts_with("/sprints/") || path.starts_with("/assets/") || path == "/api/leaderboard" ||
         path == "/api/events" || path.starts_with("/badges/") || path == "/api/sprints" ||
         path.starts_with("/api/sprints/") || path == "/pipeline" || path == "/api/pipeline" ||
         path == "/api/pipeline.csv";
}

void SprintScreen::handle(Request&& request, Responder respond) {
  auto path = path_of(request);
  bool get = request.method() == beast_http::verb::get || request.method() == beast_http::verb::head;
  if (path == "/api/sprints" || path.starts_with("/api/sprints/")) return admin(std::move(request), path, std::move(respond));
  if (!get) return respond(method_not_allowed("GET"));
  try {
    if (path == "/" || path.starts_with("/sprints/")) return respond(page(path));
    if (path.starts_with("/assets/")) return respond(asset(path.substr(8), request));
    if (path == "/api/leaderboard") return respond(board(query_of(request)));
    if (path == "/pipeline" || path.starts_with("/api/pipeline")) return respond(pipeline(path, query_of(request)));
    if (path.starts_with("/badges/")) return respond(badge(path.substr(8), request));
    if (path == "/api/events") {
      if (request.version() < 11) return respond(text(400, "the event stream needs HTTP/1.1"));
      if (request.method() == beast_http::verb::head) {
        Response head;
        head.content_type = "text/event-stream; charset=utf-8";
        head.body.clear();
        return respond(std::move(head));
      }
      if (parts_.viewers && parts_.viewers() >= parts_.max_viewers) {
        Response busy = text(503, "too many viewers of the live events; try again in a minute");
        busy.headers.emplace_back("Retry-After", "60");
        return respond(std::move(busy));
      }
      auto header = request["Last-Event-ID"];
      auto last = parse_last_event_id(std::string_view(header.data(), header.size()));
      Response r;
      r.content_type = "text/event-stream; charset=utf-8";
      r.headers.emplace_back("Cache-Control", "no-cache");
      r.headers.emplace_back("X-Accel-Buffering", "no");  // a proxy in front must not hold events back
      r.body = "retry: 2000\n\n";
      r.stream = [subscribe = parts_.subscribe, last](std::shared_ptr<StreamSink> sink) { subscribe(std::move(sink), last); };
      return respond(std::move(r));
    }
  } catch (const store::StoreError& e) {
    spdlog::error("leaderboard: {}", e.what());
    return respond(text(503, "the store does not answer"));
  } catch (const BadQuery&) {
    return respond(text(400, "the sprint parameter is not properly percent-encoded"));
  }
  respond(text(404, "no such route"));
}

Response SprintScreen::page(std::string_view path) {
  if (path.starts_with("/sprints/")) {
    auto slug = percent_decode(path.substr(9), false);
    bool found = slug && parts_.store.read([&](store::Db& db) { return store::coins::find_sprint(db, *slug).has_value(); });
    if (!found) return text(404, "no sprint with that name; the sprints are listed at /api/sprints");
  }
  const auto& f = files_.at("leaderboard.html");
  Response r;
  r.content_type = f.content_type;
  r.body = f.body;
  r.headers.emplace_back("Content-Security-Policy", page_policy);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

Response SprintScreen::asset(std::string_view name, const Request& request) {
  auto it = files_.find(name);
  if (it == files_.end() || name == "leaderboard.html") return text(404, "no such asset");
  Response r;
  r.content_type = it->second.content_type;
  r.body = it->second.body;
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return cached(std::move(r), it->second.etag, request, "public, max-age=300");
}

Response SprintScreen::board(std::string_view query) {
  auto slug = sprint_param(query);
  auto body = parts_.store.read([&](store::Db& db) -> std::optional<std::string> {
    std::optional<store::coins::Sprint> sprint;
    if (slug) {
      sprint = store::coins::find_sprint(db, *slug);
      if (!sprint) return std::nullopt;
    } else {
      sprint = store::coins::current_sprint(db, unix_ms());
    }
    std::string key = sprint ? sprint->slug : "";
    // Held while the board is built: after a coin every viewer asks at once, and one builds it.
    std::lock_guard lock(cache_mutex_);
    auto last = store::coins::last_id(db);
    if (auto it = boards_.find(key); it != boards_.end() && it->second.first == last) return it->second.second;
    auto text = json::serialize(to_json(board_of(store::coins::awards(db, sprint), sprint)));
    text += '\n';
    if (boards_.size() > 64) boards_.clear();  // sprints come and go; the cache never grows past a few
    boards_[key] = {last, text};
    return text;
  });
  if (!body) return text(404, "no sprint with that name; the sprints are listed at /api/sprints");
  Response r;
  r.content_type = "application/json";
  r.body = std::move(*body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response SprintScreen::pipeline(std::string_view path, std::string_view query) {
  auto now = unix_ms();
  PipelineView view;
  std::vector<store::pipeline::Entry> rows;
  try {
    auto q = parse_pipeline_query(query);
    bool found = parts_.store.read([&](store::Db& db) {
      std::optional<store::coins::Sprint> sprint;
      if (!q.sprint.empty()) {
        sprint = store::coins::find_sprint(db, q.sprint);
        if (!sprint) return false;
      }
      view = view_of(q, sprint, now);
      rows = of_participants(store::pipeline::rows(db, view.scope, view.window.since_ms), view.participants);
      return true;
    });
    if (!found) return text(404, "no sprint with that name; the sprints are listed at /api/sprints");
  } catch (const PipelineQueryError& e) {
    return text(400, e.what());
  }
  Response r;
  r.headers.emplace_back("Cache-Control", "no-store");
  if (path == "/api/pipeline.csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = pipeline_csv(rows, view.window);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"pipeline.csv\"");
    return r;
  }
  auto numbers = store::pipeline::numbers_of(rows, view.window, now);
  if (path == "/api/pipeline") {
    r.content_type = "application/json";
    r.body = json::serialize(to_json(numbers, view.label)) + "\n";
    return r;
  }
  r.content_type = "text/html; charset=utf-8";
  r.body = pipeline_page(numbers, view.label, std::string(query));
  r.headers.emplace_back("Content-Security-Policy", page_policy);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  return r;
}

Response SprintScreen::badge(std::string_view login_svg, const Request& request) {
  if (!login_svg.ends_with(".svg")) return text(404, "badges are at /badges/LOGIN.svg");
  auto login = percent_decode(login_svg.substr(0, login_svg.size() - 4), false);
  if (!login || !could_be_login(*login)) return text(404, "no badge: that is not a GitHub login");
  auto coins = parts_.store.read([&](store::Db& db) { return store::coins::total(db, *login); });
  Response r;
  r.content_type = "image/svg+xml";
  r.body = render::coin_badge_svg(*login, coins, parts_.coin_name);
  // Shown on its own, the image still runs nothing.
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  auto etag = "\"" + short_hash(r.body) + "\"";
  return cached(std::move(r), etag, request, "public, max-age=300");
}

void SprintScreen::admin(Request&& request, std::string_view path, Responder respond) {
  if (!parts_.admin_token) return respond(text(403, "the admin API is off: set MENTORBOT_ADMIN_TOKEN to turn it on"));
  auto auth = request[beast_http::field::authorization];
  std::string_view given(auth.data(), auth.size());
  bool bearer = given.size() > 7 && beast::iequals(given.substr(0, 7), "Bearer ");
  // Digests of equal length, compared in constant time: neither the token nor its length leaks.
  auto expected = hmac_sha256_hex("mentorbot admin", *parts_.admin_token);
  auto presented = hmac_sha256_hex("mentorbot admin", bearer ? given.substr(7) : std::string_view{});
  if (!bearer || CRYPTO_memcmp(expected.data(), presented.data(), expected.size()) != 0) {
    Response r = text(401, "the admin API needs Authorization: Bearer MENTORBOT_ADMIN_TOKEN");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"mentorbot\"");
    return respond(std::move(r));
  }
  bool get = request.method() == beast_http::verb::get || request.method() == beast_http::verb::head;
  try {
    if (path == "/api/sprints" && get) {
      auto list = parts_.store.read([](store::Db& db) { return store::coins::sprints(db); });
      json::array out;
      for (const auto& s : list) out.push_back(to_json(s));
      return respond(json_response(200, json::object{{"sprints", std::move(out)}}));
    }
    if (path == "/api/sprints" && request.method() == beast_http::verb::post) {
      auto type = request[beast_http::field::content_type];
      if (!std::string_view(type.data(), type.size()).starts_with("application/json")) {
        return respond(text(415, "send the sprint as application/json"));
      }
      boost::system::error_code ec;
      auto v = json::parse(request.body(), ec);
      if (ec) return respond(text(400, "the body is not JSON: " + ec.message()));
      store::coins::Sprint sprint;
      try {
        sprint = sprint_from_json(v, unix_ms());
      } catch (const SprintError& e) {
        return respond(text(400, e.what()));
      }
      auto created = std::make_shared<bool>(false);
      parts_.store.writes().submit(
          [sprint, created](store::Db& db) { *created = store::coins::create_sprint(db, sprint); },
          [sprint, created, respond](std::exception_ptr error) {
            if (error) return respond(text(503, "the store did not take the sprint; try again"));
            if (!*created) return respond(text(409, "a sprint with the slug \"" + sprint.slug + "\" exists"));
            auto r = json_response(201, to_json(sprint));
            r.headers.emplace_back("Location", "/sprints/" + sprint.slug);
            spdlog::info("sprint {} created: {} repo(s){}", sprint.slug, sprint.repos.size(),
                         sprint.org.empty() ? "" : " and every repository of " + sprint.org);
            respond(std::move(r));
          });
      return;
    }
    if (path.starts_with("/api/sprints/") && path.ends_with("/coins.csv") && get) {
      auto slug = percent_decode(path.substr(13, path.size() - 13 - 10), false);
      auto csv = parts_.store.read([&](store::Db& db) -> std::optional<std::string> {
        auto sprint = slug ? store::coins::find_sprint(db, *slug) : std::nullopt;
        if (!sprint) return std::nullopt;
        return to_csv(store::coins::awards(db, sprint));
      });
      if (!csv) return respond(text(404, "no sprint with that name"));
      Response r;
      r.content_type = "text/csv; charset=utf-8";
      r.body = std::move(*csv);
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + *slug + "-coins.csv\"");
      r.headers.emplace_back("Cache-Control", "no-store");
      return respond(std::move(r));
    }
  } catch (const store::StoreError& e) {
    spdlog::error("admin API: {}", e.what());
    return respond(text(503, "the store does not answer"));
  }
  if (path == "/api/sprints") return respond(method_not_allowed("GET, POST"));
  respond(text(404, "no such route"));
}

}  // namespace mentorbot::http
