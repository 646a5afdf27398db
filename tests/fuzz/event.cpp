// Typed event parsing (github/event.cpp): any payload the door let in, as each event it may be.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <exception>
#include <string>

#include "github/event.hpp"
#include "github/payload_scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  static const char* events[] = {"pull_request", "pull_request_review", "pull_request_review_comment", "issue_comment",
                                 "push",         "installation",        "installation_repositories",   "ping"};
  std::string name = events[in.ConsumeIntegralInRange<int>(0, 7)];
  auto body = in.ConsumeRemainingBytesAsString();
  bool door = std::holds_alternative<mentorbot::github::PayloadFacts>(mentorbot::github::scan_payload(body));
  try {
    mentorbot::github::parse_event("fuzz", name, body);
  } catch (const std::exception& e) {
    // What the door acknowledged, the worker must be able to read as JSON (issue 12, defect 2).
    if (door && std::string(e.what()).find("not valid JSON") != std::string::npos) __builtin_trap();
  }
  return 0;
}
