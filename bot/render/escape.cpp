#include "render/escape.hpp"

namespace mentorbot::render {

namespace {
constexpr std::string_view zwj = "\u200D";  // ZERO WIDTH JOINER: "@" + it is no mention
}

std::string defuse_mentions(std::string_view text) {
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

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n':
      case '\r': out += ' '; break;  // a title never starts a new block
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
  std::string inner = defuse_mentions(text);
  for (auto& c : inner) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  bool pad = !inner.empty() && (inner.front() == '`' || inner.back() == '`');
  return fence + (pad ? " " : "") + inner + (pad ? " " : "") + fence;
}

}  // namespace mentorbot::render
