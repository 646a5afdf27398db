#pragma once
// X-Hub-Signature-256: "sha256=" + hex(HMAC-SHA256(secret, raw body)), compared in constant time.
#include <string>
#include <string_view>

namespace mentorbot::http {

std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// True when `header` is exactly the signature of `body` under `secret`. Never short-circuits on
// the first differing byte.
bool signature_matches(std::string_view secret, std::string_view body, std::string_view header);

}  // namespace mentorbot::http
