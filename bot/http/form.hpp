#pragma once
// application/x-www-form-urlencoded bodies, as GitHub sends them for `content_type: form` hooks.
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot::http {

// The decoded value of field `name`, or nullopt if absent or badly percent-encoded.
std::optional<std::string> form_field(std::string_view body, std::string_view name);

}  // namespace mentorbot::http
