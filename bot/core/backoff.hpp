#pragma once
// How long to wait before retry number `attempt` (1-based): base × growthⁿ⁻¹, at most an hour,
// then ±20 % by `jitter01` (0..1) so that retries of many things do not land together.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

namespace mentorbot {

inline std::chrono::milliseconds backoff(std::chrono::milliseconds base, int attempt, double growth, double jitter01) {
  double ms = static_cast<double>(base.count()) * std::pow(growth, std::max(attempt - 1, 0));
  ms = std::min(ms, 3'600'000.0) * (0.8 + 0.4 * std::clamp(jitter01, 0.0, 1.0));
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

// A jitter for backoff(), from a generator of the calling thread.
inline double random_jitter() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<>(0, 1)(rng);
}

}  // namespace mentorbot
