#include "http/router.hpp"

namespace mentorbot::http {
namespace {

constexpr std::uint64_t webhook_limit = 25u << 20;  // GitHub's own cap on a payload
constexpr std::uint64_t small_limit = 64u << 10;    // every other route

}  // namespace

HeadVerdict Router::on_head(const Request& head) {
  HeadVerdict v;
  v.body_limit = small_limit;
  if (head.method() == beast_http::verb::post && path_of(head) == parts_.webhook_path) {
    v.body_limit = webhook_limit;
    v.unverified = true;
    v.answer = parts_.webhooks.on_head(head);
  }
  return v;
}

void Router::handle(Request&& request, Responder respond) {
  auto path = path_of(request);
  auto method = request.method();
  bool get = method == beast_http::verb::get || method == beast_http::verb::head;

  if (path == parts_.webhook_path) {
    if (method != beast_http::verb::post) return respond(method_not_allowed("POST"));
    return parts_.webhooks.handle(std::move(request), std::move(respond));
  }
  if (path == "/healthz" || path == "/ping") {
    if (!get) return respond(method_not_allowed("GET"));
    return respond(text(200, path == "/ping" ? "PONG" : "ok"));
  }
  if (path == "/readyz") {
    if (!get) return respond(method_not_allowed("GET"));
    return respond(parts_.ready() ? text(200, "ready") : text(503, "the store does not answer"));
  }
  if (path == "/metrics") {
    if (!get) return respond(method_not_allowed("GET"));
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = parts_.metrics.render();
    return respond(std::move(r));
  }
  if (parts_.setup && SetupPage::owns(path)) return parts_.setup->handle(std::move(request), std::move(respond));
  if (parts_.sprint_screen && SprintScreen::owns(path)) return parts_.sprint_screen->handle(std::move(request), std::move(respond));
  if (path == "/") {
    if (!get) return respond(method_not_allowed("GET"));
    return respond(text(200, "mentorbot is running. Webhooks go to " + parts_.webhook_path + "."));
  }
  respond(text(404, "no such route"));
}

}  // namespace mentorbot::http
