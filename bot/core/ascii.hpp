#pragma once
// ASCII case folding for GitHub's names (logins, owners, repositories), which are ASCII and
// compared without case.
#include <string>
#include <string_view>

namespace mentorbot {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace mentorbot
