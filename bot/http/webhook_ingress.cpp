#include "http/webhook_ingress.hpp"

#include <cctype>
#include <chrono>

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "github/payload_scan.hpp"
#include "http/form.hpp"
#include "http/signature.hpp"
#include "store/inbox.hpp"

namespace mentorbot::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The media type without parameters: "application/json; charset=utf-8" -> "application/json".
std::string media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto type = content_type.substr(0, semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return lower(type);
}

// Event names are lower-case words with underscores ("pull_request_review").
bool valid_event(std::string_view e) {
  if (e.empty() || e.size() > 64) return false;
  for (char c : e) {
    if (!((c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// Delivery ids are GUIDs; allow any short printable token without spaces.
bool valid_delivery(std::string_view d) {
  if (d.empty() || d.size() > 100) return false;
  for (char c : d) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// "sha256=" and 64 hex digits: the only form GitHub sends.
bool signature_shaped(std::string_view s) {
  constexpr std::string_view prefix = "sha256=";
  if (s.size() != prefix.size() + 64 || !s.starts_with(prefix)) return false;
  for (char c : s.substr(prefix.size())) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The headers every delivery carries: checked before its body is read, and again by admit().
std::optional<Refusal> check_headers(std::string_view event, std::string_view delivery, std::string_view content_type) {
  auto type = media_type(content_type);
  if (type != "application/json" && type != "application/x-www-form-urlencoded") {
    return Refusal{415, "Content-Type must be application/json or application/x-www-form-urlencoded"};
  }
  if (event.empty()) return Refusal{400, "missing X-GitHub-Event header"};
  if (!valid_event(event)) return Refusal{400, "X-GitHub-Event is not an event name"};
  if (delivery.empty()) return Refusal{400, "missing X-GitHub-Delivery header"};
  if (!valid_delivery(delivery)) return Refusal{400, "X-GitHub-Delivery is not a delivery id"};
  return std::nullopt;
}

}  // namespace

std::variant<Admitted, Refusal> admit(std::string_view event, std::string_view delivery, std::string_view content_type,
                                      std::string body, std::int64_t received_at_ms) {
  if (auto refused = check_headers(event, delivery, content_type)) return *refused;
  bool form = media_type(content_type) == "application/x-www-form-urlencoded";
  Admitted a;
  if (form) {
    auto payload = form_field(body, "payload");
    if (!payload) return Refusal{400, "form body has no payload field"};
    a.payload = std::move(*payload);
  } else {
    a.payload = std::move(body);
  }
  auto scanned = github::scan_payload(a.payload);
  if (auto* error = std::get_if<github::ScanError>(&scanned)) return Refusal{400, error->reason};
  auto& facts = std::get<github::PayloadFacts>(scanned);
  auto& d = a.delivery;
  d.guid = std::string(delivery);
  d.event = std::string(event);
  d.action = std::move(facts.action);
  d.installation_id = facts.installation_id;
  d.repo = std::move(facts.repo);
  d.number = facts.number;
  d.received_at = received_at_ms;
  return a;
}

WebhookIngress::WebhookIngress(std::string secret, store::WriteQueue& writes, Metrics& metrics,
                               std::function<void()> stored)
    : secret_(std::move(secret)),
      writes_(writes),
      metrics_(metrics),
      stored_(std::move(stored)),
      ack_latency_(metrics.histogram("mentorbot_webhook_ack_seconds",
                                     "Time from a complete webhook request to its answer", {},
                                     Metrics::latency_buckets())) {}

void WebhookIngress::count(const std::string& event, unsigned status) {
  metrics_
      .counter("mentorbot_webhook_requests_total", "Webhook requests by event and answer status",
               {{"event", event}, {"status", std::to_string(status)}})
      .inc();
}

std::optional<Response> WebhookIngress::on_head(const Request& head) {
  auto header = [&head](auto name) {
    auto v = head[name];
    return std::string_view(v.data(), v.size());
  };
  std::optional<Refusal> refused;
  auto signature = header("X-Hub-Signature-256");
  if (signature.empty()) {
    refused = Refusal{401, "missing X-Hub-Signature-256 header"};
  } else if (!signature_shaped(signature)) {
    refused = Refusal{401, "X-Hub-Signature-256 is not \"sha256=\" and 64 hex digits"};
  } else {
    refused = check_headers(header("X-GitHub-Event"), header("X-GitHub-Delivery"), header(beast_http::field::content_type));
  }
  if (!refused) return std::nullopt;
  return refusal("", *refused);
}

void WebhookIngress::handle(Request&& request, Responder respond) {
  auto started = std::chrono::steady_clock::now();
  auto header = [&request](auto name) {
    auto v = request[name];
    return std::string_view(v.data(), v.size());
  };

  // 1. The signature, over the raw bytes, before anything in the request is believed.
  auto signature = header("X-Hub-Signature-256");
  if (signature.empty()) return refuse(respond, "", {401, "missing X-Hub-Signature-256 header"});
  if (!signature_matches(secret_, request.body(), signature)) {
    return refuse(respond, "", {401, "X-Hub-Signature-256 does not match the body (check WEBHOOK_SECRET)"});
  }

  // 2. The rest of the request, now that it is known to come from GitHub.
  std::string event(header("X-GitHub-Event"));
  auto admitted = admit(event, header("X-GitHub-Delivery"), header(beast_http::field::content_type),
                        std::move(request.body()), unix_ms());
  if (auto* refusal = std::get_if<Refusal>(&admitted)) {
    // A name that is not an event's is not a label of the metrics either.
    return refuse(respond, valid_event(event) ? event : "", *refusal);
  }
  auto& a = std::get<Admitted>(admitted);

  // 3. Durable first: the answer waits for the commit.
  store::inbox::store_delivery(
      writes_, std::move(a.delivery), std::move(a.payload),
      [this, event, started, respond = std::move(respond)](const store::inbox::NewDelivery& d,
                                                          std::exception_ptr error, store::inbox::Inserted inserted) {
        if (error) {
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            spdlog::error("delivery {} ({}) could not be stored: {}", d.guid, event, e.what());
          }
          count(event, 503);
          return respond(text(503, "could not store the delivery; please redeliver it"));
        }
        bool fresh = inserted == store::inbox::Inserted::stored;
        unsigned status = fresh ? (event == "ping" ? 200 : 202) : 200;
        count(event, status);
        ack_latency_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (fresh) {
          stored_();
          respond(text(status, event == "ping" ? "pong" : "accepted"));
        } else {
          respond(text(200, "already received this delivery; nothing more to do"));
        }
      });
}

Response WebhookIngress::refusal(const std::string& event, const Refusal& why) {
  count(event, why.status);
  spdlog::debug("webhook rejected with {}: {}", why.status, why.reason);
  return text(why.status, why.reason);
}

void WebhookIngress::refuse(Responder& respond, const std::string& event, const Refusal& why) {
  respond(refusal(event, why));
}

}  // namespace mentorbot::http
