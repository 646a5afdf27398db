#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot {

std::string base64_encode(std::string_view bytes);
// RFC 4648 §5, without padding (JWT).
std::string base64url_encode(std::string_view bytes);
// Standard or URL alphabet, padding optional, whitespace ignored; nullopt when not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace mentorbot
