#pragma once
// POST {WEBHOOK_PATH}: verify the signature, check the request, store the delivery durably,
// and only then answer 202 (200 for a delivery id already stored). Nothing else happens here:
// the work runs later, in the dispatcher's workers.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/metrics.hpp"
#include "http/message.hpp"
#include "store/inbox.hpp"
#include "store/write_queue.hpp"

namespace mentorbot::http {

// A delivery the door accepts: the row the inbox stores and the JSON payload (form bodies decoded).
struct Admitted {
  store::inbox::NewDelivery delivery;
  std::string payload;
};
// Why the door refuses a request: the status and its one-line reason.
struct Refusal {
  unsigned status = 400;
  std::string reason;
};

// Everything the door checks once the signature matched: the content type, the event name, the
// delivery id, the body (one well-formed JSON object; `payload=` for a form). `mentorbot replay`
// builds its delivery here too.
std::variant<Admitted, Refusal> admit(std::string_view event, std::string_view delivery, std::string_view content_type,
                                      std::string body, std::int64_t received_at_ms);

class WebhookIngress {
 public:
  // `stored` is called (on the store's writer thread) after a new delivery has been committed.
  WebhookIngress(std::string secret, store::WriteQueue& writes, Metrics& metrics, std::function<void()> stored);

  // From the header alone: a refusal when no body could make it a delivery (no signature or
  // not one of the form GitHub sends, no event or delivery id, a content type it never uses).
  std::optional<Response> on_head(const Request& head);
  void handle(Request&& request, Responder respond);

 private:
  void count(const std::string& event, unsigned status);
  Response refusal(const std::string& event, const Refusal& why);
  void refuse(Responder& respond, const std::string& event, const Refusal& why);

  std::string secret_;
  store::WriteQueue& writes_;
  Metrics& metrics_;
  std::function<void()> stored_;
  Histogram& ack_latency_;
};

}  // namespace mentorbot::http
