// What a viewer or a browser sends in a header or a query: Last-Event-ID, percent-encoded
// query strings and form bodies.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>

#include "http/event_stream.hpp"
#include "http/form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  auto header = in.ConsumeRandomLengthString(40);
  auto id = mentorbot::http::parse_last_event_id(header);
  if (id && *id < 0) __builtin_trap();
  if (id && header.find_first_not_of("0123456789") != std::string::npos) __builtin_trap();  // plain digits only
  auto query = in.ConsumeRemainingBytesAsString();
  (void)mentorbot::http::percent_decode(query, true);
  (void)mentorbot::http::percent_decode(query, false);
  (void)mentorbot::http::form_field(query, "sprint");
  return 0;
}
