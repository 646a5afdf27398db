#pragma once
// Checks that a webhook body is one well-formed JSON object (strict RFC 8259, valid UTF-8) and
// picks out the few facts the inbox indexes, in a single pass without building a tree: at the
// door this costs a few microseconds for a 25 KB payload, where a full parse costs tens.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mentorbot::github {

// How deeply a payload may nest, here and in parse_event (github/event.cpp): what the door
// acknowledges the worker must be able to read. GitHub's own payloads nest about 6 deep.
inline constexpr std::size_t max_payload_depth = 64;

struct PayloadFacts {
  std::optional<std::string> action;            // "action"
  std::optional<std::int64_t> installation_id;  // "installation": {"id"}
  std::optional<std::string> repo;              // "repository": {"full_name"}
  std::optional<std::int64_t> number;           // "number", or "pull_request"/"issue": {"number"}
};

struct ScanError {
  std::string reason;  // one line, for the 400 answer
};

std::variant<PayloadFacts, ScanError> scan_payload(std::string_view body);

}  // namespace mentorbot::github
