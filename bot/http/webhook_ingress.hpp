#pragma once
// POST {WEBHOOK_PATH}: verify the signature, check the request, store the delivery durably,
// and only then answer 202 (200 for a delivery id already stored). Nothing else happens here:
// the work runs later, in the dispatcher's workers.
#include <functional>
#include <string>

#include "core/metrics.hpp"
#include "http/message.hpp"
#include "store/write_queue.hpp"

namespace mentorbot::http {

class WebhookIngress {
 public:
  // `stored` is called (on the store's writer thread) after a new delivery has been committed.
  WebhookIngress(std::string secret, store::WriteQueue& writes, Metrics& metrics, std::function<void()> stored);

  void handle(Request&& request, Responder respond);

 private:
  void count(const std::string& event, unsigned status);

  std::string secret_;
  store::WriteQueue& writes_;
  Metrics& metrics_;
  std::function<void()> stored_;
  Histogram& ack_latency_;
};

}  // namespace mentorbot::http
