// The unified-diff parser (features/review/diff.cpp): added lines come out in order, numbered
// from 1, whatever the patch.
#include <cstdint>
#include <string_view>

#include "features/review/diff.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto patch = mentorbot::features::review::parse_patch(std::string_view(reinterpret_cast<const char*>(data), size));
  int last = 0;
  for (const auto& a : patch.added) {
    if (a.line < 0) __builtin_trap();
    if (patch.complete && a.line <= last) __builtin_trap();
    last = a.line;
  }
  return 0;
}
