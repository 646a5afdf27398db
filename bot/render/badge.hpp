#pragma once
// A contributor's challenge-coin badge: a coin-shaped SVG with the count inside.
#include <cstdint>
#include <string>
#include <string_view>

namespace mentorbot::render {

// Valid, self-contained SVG (no scripts, no external references). `login` may be anything: it is
// escaped for XML and appears only in the title and label.
std::string coin_badge_svg(std::string_view login, std::int64_t coins, std::string_view coin_name);

// Text for XML content and attribute values.
std::string xml_escape(std::string_view text);

}  // namespace mentorbot::render
