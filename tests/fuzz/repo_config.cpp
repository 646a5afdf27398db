// .github/mentorbot.yml as the bot and `check-config` read it: problems, never a crash.
#include <cstdint>
#include <string>

#include "features/repo_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = mentorbot::features::parse_repo_config(std::string(reinterpret_cast<const char*>(data), size));
  for (const auto& p : parsed.problems) {
    if (p.message.empty()) __builtin_trap();  // every problem says what it is
  }
  return 0;
}
