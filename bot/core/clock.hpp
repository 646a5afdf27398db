#pragma once
#include <chrono>
#include <cstdint>

namespace mentorbot {

// Wall-clock milliseconds since the Unix epoch: what the store records.
inline std::int64_t unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace mentorbot
