#include "core/glob.hpp"

namespace mentorbot {
namespace {

// One segment-aware step of glob matching; `**` may also match nothing (with its slash).
bool glob_at(std::string_view p, std::string_view s) {
  while (!p.empty()) {
    if (p.starts_with("**")) {
      auto rest = p.substr(2);
      if (rest.starts_with("/")) {
        // "**/x" matches "x" and "a/b/x".
        if (glob_at(rest.substr(1), s)) return true;
      }
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (glob_at(rest, s.substr(i))) return true;
      }
      return false;
    }
    if (p[0] == '*') {
      auto rest = p.substr(1);
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (glob_at(rest, s.substr(i))) return true;
        if (i < s.size() && s[i] == '/') return false;
      }
      return false;
    }
    if (s.empty()) return false;
    if (p[0] != '?' && p[0] != s[0]) return false;
    if (p[0] == '?' && s[0] == '/') return false;
    p.remove_prefix(1);
    s.remove_prefix(1);
  }
  return s.empty();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.find('/') == std::string_view::npos) {
    auto slash = path.rfind('/');
    if (slash != std::string_view::npos) path = path.substr(slash + 1);
  }
  return glob_at(pattern, path);
}

}  // namespace mentorbot
