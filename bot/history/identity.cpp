#include "history/identity.hpp"

#include <charconv>

namespace mentorbot::history {

std::optional<Signature> parse_author(std::string_view raw) {
  std::size_t pos = 0;
  while (pos < raw.size()) {
    auto end = raw.find('\n', pos);
    if (end == std::string_view::npos) end = raw.size();
    if (end == pos) return std::nullopt;  // end of headers, no author
    auto line = raw.substr(pos, end - pos);
    if (line.starts_with("author ")) {
      line.remove_prefix(7);
      auto open = line.find('<');
      auto close = line.find('>', open == std::string_view::npos ? 0 : open);
      if (open == std::string_view::npos || close == std::string_view::npos) return std::nullopt;
      Signature s;
      s.name = line.substr(0, open);
      while (!s.name.empty() && s.name.back() == ' ') s.name.remove_suffix(1);
      s.email = line.substr(open + 1, close - open - 1);
      auto rest = line.substr(close + 1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      std::from_chars(rest.data(), rest.data() + rest.size(), s.time);
      return s;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<NoReply> parse_noreply(std::string_view email) {
  constexpr std::string_view domain = "@users.noreply.github.com";
  auto e = lower(email);
  if (e.size() <= domain.size() || !std::string_view(e).ends_with(domain)) return std::nullopt;
  auto local = std::string_view(e).substr(0, e.size() - domain.size());
  NoReply r;
  auto plus = local.find('+');
  if (plus != std::string_view::npos) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(local.data(), local.data() + plus, id);
    if (ec == std::errc{} && p == local.data() + plus) r.id = id;
    local = local.substr(plus + 1);
  }
  if (local.empty()) return std::nullopt;
  r.login = std::string(local);
  return r;
}

}  // namespace mentorbot::history
