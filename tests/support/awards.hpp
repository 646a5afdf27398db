#pragma once
// A coin for tests of the ledger and the board: `at` is its time and its pull request's number.
#include <cstdint>
#include <string>

#include "store/coins.hpp"

namespace testing {

inline mentorbot::store::coins::Award award(const std::string& login, const std::string& kind, std::int64_t at,
                                            bool first_timer = false, const std::string& repo = "octo/site",
                                            bool newcomer = false) {
  mentorbot::store::coins::Award a;
  a.key = kind + ":" + repo + "#" + std::to_string(at) + ":" + login;
  a.kind = kind;
  a.login = login;
  a.repo = repo;
  a.number = at;
  a.awarded_at = at;
  a.first_timer = first_timer;
  a.newcomer = newcomer || first_timer;
  return a;
}

}  // namespace testing
