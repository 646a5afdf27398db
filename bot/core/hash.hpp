#pragma once
// A short, stable name for text that cannot go into a key as it is (a file path, a label):
// FNV-1a, 64 bits, as 16 hex digits. Not for secrets.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace mentorbot {

inline std::string short_hash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

}  // namespace mentorbot
