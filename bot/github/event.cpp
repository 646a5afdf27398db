#include "github/event.hpp"

#include <array>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include "core/errors.hpp"

namespace mentorbot::github {

std::string Event::qualified_name() const { return action.empty() ? name : name + "." + action; }

std::optional<std::int64_t> Event::installation_id() const { return json_int(payload, {"installation", "id"}); }

std::optional<std::string> Event::repo() const { return json_string(payload, {"repository", "full_name"}); }

std::optional<std::string> Event::sender_login() const { return json_string(payload, {"sender", "login"}); }

bool is_bot(const json::value* user) {
  if (!user) return false;
  return json_string(*user, {"type"}) == "Bot" || json_string(*user, {"login"}).value_or("").ends_with("[bot]");
}

bool Event::sender_is_bot() const { return is_bot(json_find(payload, {"sender"})); }

namespace {

struct Shape {
  std::string_view event;
  std::array<std::string_view, 3> objects;  // top-level objects the event always has ("" = none)
};

// What GitHub always sends for the events mentorbot handles (octokit/webhooks schemas). A
// payload without them would make every handler guess, so it is refused here, once.
const Shape shapes[] = {
    {"pull_request", {"pull_request", "repository"}},
    {"pull_request_review", {"review", "pull_request", "repository"}},
    {"pull_request_review_comment", {"comment", "pull_request", "repository"}},
    {"issue_comment", {"issue", "comment", "repository"}},
    {"installation", {"installation"}},
    {"installation_repositories", {"installation"}},
    {"push", {"repository"}},
};

void check_shape(const std::string& name, const json::value& payload) {
  for (const auto& shape : shapes) {
    if (shape.event != name) continue;
    for (auto key : shape.objects) {
      if (key.empty()) continue;
      const auto* v = json_find(payload, {key});
      if (!v || !v->is_object()) {
        throw PermanentError(name + " payload has no \"" + std::string(key) + "\" object");
      }
    }
  }
}

}  // namespace

Event parse_event(std::string delivery, std::string name, std::string_view body) {
  json::error_code ec;
  // One arena for the whole tree, freed with the event: a 25 KB payload is hundreds of small
  // strings and objects, and malloc/free for each was a fifth of a worker's time.
  json::value payload = json::parse(body, ec, json::make_shared_resource<json::monotonic_resource>());
  if (ec) throw PermanentError("payload is not valid JSON: " + ec.message());
  if (!payload.is_object()) throw PermanentError("payload is not a JSON object");
  check_shape(name, payload);
  Event e;
  e.delivery = std::move(delivery);
  e.name = std::move(name);
  e.action = json_string(payload, {"action"}).value_or("");
  e.payload = std::move(payload);
  return e;
}

}  // namespace mentorbot::github
