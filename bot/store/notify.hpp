#pragma once
// Wake-ups between the processes sharing a PostgreSQL database: what was stored is announced on
// one channel when its transaction commits (NOTIFY), and every process listening (Listener, in
// store/postgres.hpp) looks at once instead of at its next slow poll. On SQLite nothing is sent:
// one process is all there is, and it wakes its own parts directly.
#include <string_view>

#include "store/db.hpp"

namespace mentorbot::store::notify {

inline constexpr const char* channel = "mentorbot";

// What is announced: a delivery stored, a write planned, a coin awarded, a push to a repository
// (caches of its config and history are stale everywhere).
inline constexpr std::string_view delivery = "delivery";
inline constexpr std::string_view write = "write";
inline constexpr std::string_view coin = "coin";
inline constexpr std::string_view push_prefix = "push:";

void announce(Db& db, std::string_view what);

}  // namespace mentorbot::store::notify
