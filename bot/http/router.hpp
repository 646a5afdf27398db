#pragma once
// Maps method and path to the route that answers, and says how much body each may read.
#include <functional>
#include <string>

#include "core/metrics.hpp"
#include "http/sprint_screen.hpp"
#include "http/message.hpp"
#include "http/setup_page.hpp"
#include "http/webhook_ingress.hpp"

namespace mentorbot::http {

struct RouterParts {
  std::string webhook_path;
  WebhookIngress& webhooks;
  Metrics& metrics;
  std::function<bool()> ready;  // the store answers
  SprintScreen* sprint_screen = nullptr;  // the sprint screen, badges and admin API; null: not served
  SetupPage* setup = nullptr;             // registration, while there is no App; null: not served
};

class Router final : public Routes {
 public:
  explicit Router(RouterParts parts) : parts_(std::move(parts)) {}

  HeadVerdict on_head(const Request& head) override;
  void handle(Request&& request, Responder respond) override;

 private:
  RouterParts parts_;
};

}  // namespace mentorbot::http
