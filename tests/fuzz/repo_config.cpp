// .github/mentorbot.yml as the bot and `check-config` read it, and the same bytes as a template
// file under .github/mentorbot/ (Mustache, the words lint): problems, never a crash.
#include <cstdint>
#include <string>

#include "features/repo_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = mentorbot::features::parse_repo_config(std::string(reinterpret_cast<const char*>(data), size));
  for (const auto& p : parsed.problems) {
    if (p.message.empty()) __builtin_trap();  // every problem says what it is
  }
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const auto& p : mentorbot::features::check_template_file("o/r", ".github/mentorbot/welcome.md", text)) {
    if (p.message.empty() || p.line < 0) __builtin_trap();
  }
  return 0;
}
