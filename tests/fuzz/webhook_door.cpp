// The webhook door: the headers and body a stranger sends, through the signature check, the
// header checks, form decoding and the JSON scan (http/webhook_ingress.cpp's admit()).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>
#include <variant>

#include "http/form.hpp"
#include "http/signature.hpp"
#include "http/webhook_ingress.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  static const char* types[] = {"application/json", "application/x-www-form-urlencoded", "application/json; charset=utf-8",
                                "text/plain", ""};
  std::string type = in.ConsumeBool() ? types[in.ConsumeIntegralInRange<int>(0, 4)] : in.ConsumeRandomLengthString(40);
  auto event = in.ConsumeRandomLengthString(70);
  auto delivery = in.ConsumeRandomLengthString(110);
  auto signature = in.ConsumeRandomLengthString(80);
  auto body = in.ConsumeRemainingBytesAsString();
  (void)mentorbot::http::signature_matches("fuzz-secret", body, signature);
  (void)mentorbot::http::form_field(body, "payload");
  auto admitted = mentorbot::http::admit(event, delivery, type, body, 0);
  if (auto* a = std::get_if<mentorbot::http::Admitted>(&admitted)) {
    if (a->delivery.guid.empty() || a->delivery.event.empty()) __builtin_trap();  // admitted means both are there
  }
  return 0;
}
