#include "render/escape.hpp"

namespace mentorbot::render {

namespace {
constexpr std::string_view zwj = "\u200D";  // ZERO WIDTH JOINER: "@" + it is no mention

// How many bytes at `i` are a character nobody should meet in a comment: C0 controls and DEL
// (a tab or line break counts too: the caller puts a space there), C1 controls (U+0080-U+009F),
// and the invisible text-direction overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
// make text read differently from what it is. 0 for anything else.
std::size_t unwanted_at(std::string_view t, std::size_t i) {
  auto b = [&](std::size_t k) { return i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0u; };
  if (b(0) < 0x20 || b(0) == 0x7f) return 1;
  if (b(0) == 0xc2 && b(1) >= 0x80 && b(1) <= 0x9f) return 2;
  if (b(0) == 0xe2 && b(1) == 0x80 && b(2) >= 0xaa && b(2) <= 0xae) return 3;
  if (b(0) == 0xe2 && b(1) == 0x81 && b(2) >= 0xa6 && b(2) <= 0xa9) return 3;
  return 0;
}

// The length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or
// code points above U+10FFFF), 0 when the bytes there are not one.
std::size_t utf8_length(std::string_view t, std::size_t i) {
  auto b = [&](std::size_t k) { return i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0u; };
  auto cont = [](unsigned c, unsigned lo = 0x80, unsigned hi = 0xbf) { return c >= lo && c <= hi; };
  unsigned c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(b(1)) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    bool second = c == 0xe0 ? cont(b(1), 0xa0) : c == 0xed ? cont(b(1), 0x80, 0x9f) : cont(b(1));
    return second && cont(b(2)) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    bool second = c == 0xf0 ? cont(b(1), 0x90) : c == 0xf4 ? cont(b(1), 0x80, 0x8f) : cont(b(1));
    return second && cont(b(2)) && cont(b(3)) ? 4 : 0;
  }
  return 0;
}

// `text` without those characters: tabs and line breaks become spaces, the rest goes, and bytes
// that are not UTF-8 become U+FFFD (so that nothing removed can join two stray bytes into one).
std::string visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto length = utf8_length(text, i);
    if (length == 0) {
      out += "\uFFFD";
      ++i;
    } else if (unwanted_at(text, i)) {
      if (text[i] == '\t' || text[i] == '\n' || text[i] == '\r') out += ' ';
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}
}  // namespace

bool printable(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (unwanted_at(text, i)) return false;
  }
  return true;
}

std::string defuse_mentions(std::string_view raw) {
  auto text = visible(raw);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '@' && i + 1 < text.size()) {
      char next = text[i + 1];
      if (std::isalnum(static_cast<unsigned char>(next)) || next == '-' || next == '_') out += zwj;
    }
  }
  return out;
}

std::string escape_text(std::string_view raw) {
  auto text = visible(raw);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '(': case ')': case '#': case '|':
      case '~': case '!':
        out += '\\';
        out += c;
        break;
      case '@':
        out += '@';
        if (i + 1 < text.size() && (std::isalnum(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '-')) {
          out += zwj;
        }
        break;
      default: out += c;
    }
  }
  return out;
}

std::string code_span(std::string_view text) {
  // A span delimited by more backticks than the text holds in a row.
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  std::string inner = defuse_mentions(text);  // line breaks already spaces
  bool pad = !inner.empty() && (inner.front() == '`' || inner.back() == '`');
  return fence + (pad ? " " : "") + inner + (pad ? " " : "") + fence;
}

}  // namespace mentorbot::render
