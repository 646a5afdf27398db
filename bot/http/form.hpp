#pragma once
// application/x-www-form-urlencoded bodies (as GitHub sends them for `content_type: form` hooks)
// and query strings.
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot::http {

// %XX sequences decoded (and '+' as a space in form bodies and queries); nullopt when malformed.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

// The decoded value of field `name`, or nullopt if absent or badly percent-encoded.
std::optional<std::string> form_field(std::string_view body, std::string_view name);

}  // namespace mentorbot::http
