#include "render/badge.hpp"

namespace mentorbot::render {

namespace {

// The length of the well-formed UTF-8 sequence at the start of `s`, or 0.
std::size_t utf8_sequence(std::string_view s) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  auto cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;
    if (c == 0xF4 && b(1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto n = utf8_sequence(text.substr(i));
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // not UTF-8: U+FFFD, so the document stays well formed
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(text[i++]);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0 at all.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string coin_badge_svg(std::string_view login, std::int64_t coins, std::string_view coin_name) {
  std::string count = std::to_string(coins);
  // The number has to fit inside the coin's inner ring.
  const char* size = count.size() <= 2 ? "40" : count.size() == 3 ? "30" : count.size() == 4 ? "24" : "18";
  std::string label = xml_escape(login) + ": " + count + " " + xml_escape(coin_name) + (coins == 1 ? "" : "s");
  std::string svg;
  svg += R"(<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120" role="img" aria-label=")";
  svg += label;
  svg += R"(">)";
  svg += "<title>" + label + "</title>";
  svg += R"(<defs><radialGradient id="face" cx="40%" cy="35%" r="75%">)"
         R"(<stop offset="0" stop-color="#fff4c2"/><stop offset="0.55" stop-color="#f0c030"/>)"
         R"(<stop offset="1" stop-color="#b07d0a"/></radialGradient></defs>)";
  svg += R"(<circle cx="60" cy="60" r="58" fill="#7a5806"/>)";
  svg += R"svg(<circle cx="60" cy="60" r="53" fill="url(#face)"/>)svg";
  svg += R"(<circle cx="60" cy="60" r="45" fill="none" stroke="#7a5806" stroke-width="2" stroke-dasharray="4 3"/>)";
  svg += R"(<text x="60" y="66" text-anchor="middle" dominant-baseline="middle" font-family="DejaVu Sans,Verdana,Arial,sans-serif" font-weight="700" font-size=")";
  svg += size;
  svg += R"(" fill="#3d2b00">)" + count + "</text>";
  svg += R"(<text x="60" y="94" text-anchor="middle" font-family="DejaVu Sans,Verdana,Arial,sans-serif" font-size="10" letter-spacing="1.5" fill="#3d2b00">)";
  svg += coins == 1 ? "COIN" : "COINS";
  svg += "</text></svg>\n";
  return svg;
}

}  // namespace mentorbot::render
