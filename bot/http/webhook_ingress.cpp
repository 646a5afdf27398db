#include "http/webhook_ingress.hpp"

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

}  // namespace

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

void WebhookIngress::handle(Request&& request, Responder respond) {
  auto started = std::chrono::steady_clock::now();
  auto reject = [&](unsigned status, std::string reason, const std::string& event = "") {
    count(event, status);
    spdlog::debug("webhook rejected with {}: {}", status, reason);
    respond(text(status, std::move(reason)));
  };

  // 1. The signature, over the raw bytes, before anything in the request is believed.
  auto signature = request["X-Hub-Signature-256"];
  if (signature.empty()) return reject(401, "missing X-Hub-Signature-256 header");
  if (!signature_matches(secret_, request.body(), {signature.data(), signature.size()})) {
    return reject(401, "X-Hub-Signature-256 does not match the body (check WEBHOOK_SECRET)");
  }

  // 2. The rest of the request, now that it is known to come from GitHub.
  auto type = media_type(request[beast_http::field::content_type]);
  bool form = type == "application/x-www-form-urlencoded";
  if (type != "application/json" && !form) {
    return reject(415, "Content-Type must be application/json or application/x-www-form-urlencoded");
  }
  auto event_header = request["X-GitHub-Event"];
  std::string event(event_header.data(), event_header.size());
  if (event.empty()) return reject(400, "missing X-GitHub-Event header");
  if (!valid_event(event)) return reject(400, "X-GitHub-Event is not an event name");
  auto delivery_header = request["X-GitHub-Delivery"];
  std::string guid(delivery_header.data(), delivery_header.size());
  if (guid.empty()) return reject(400, "missing X-GitHub-Delivery header", event);
  if (!valid_delivery(guid)) return reject(400, "X-GitHub-Delivery is not a delivery id", event);

  std::string json;
  if (form) {
    auto payload = form_field(request.body(), "payload");
    if (!payload) return reject(400, "form body has no payload field", event);
    json = std::move(*payload);
  } else {
    json = std::move(request.body());
  }
  auto scanned = github::scan_payload(json);
  if (auto* error = std::get_if<github::ScanError>(&scanned)) return reject(400, error->reason, event);
  auto& facts = std::get<github::PayloadFacts>(scanned);

  // 3. Durable first: the answer waits for the commit.
  auto delivery = std::make_shared<store::inbox::NewDelivery>();
  delivery->guid = std::move(guid);
  delivery->event = event;
  delivery->action = std::move(facts.action);
  delivery->installation_id = facts.installation_id;
  delivery->repo = std::move(facts.repo);
  delivery->number = facts.number;
  delivery->received_at = unix_ms();
  auto payload = std::make_shared<const std::string>(std::move(json));
  auto outcome = std::make_shared<store::inbox::Inserted>(store::inbox::Inserted::duplicate);

  writes_.submit_with_payload(
      std::move(payload), store::inbox::describe(*delivery),
      [delivery, outcome](store::Db& db, const store::PayloadRef& ref) {
        *outcome = store::inbox::insert(db, *delivery, ref);
      },
                 [this, delivery, outcome, event, started, respond = std::move(respond)](std::exception_ptr error) {
                   if (error) {
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       spdlog::error("delivery {} ({}) could not be stored: {}", delivery->guid, event, e.what());
                     }
                     count(event, 503);
                     return respond(text(503, "could not store the delivery; please redeliver it"));
                   }
                   bool fresh = *outcome == store::inbox::Inserted::stored;
                   unsigned status = fresh ? (event == "ping" ? 200 : 202) : 200;
                   count(event, status);
                   ack_latency_.observe(
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
                   if (fresh) {
                     stored_();
                     respond(text(status, event == "ping" ? "pong" : "accepted"));
                   } else {
                     respond(text(200, "already received this delivery; nothing more to do"));
                   }
                 });
}

}  // namespace mentorbot::http
