#pragma once
// Periodic sweeps (housekeeping, nudges) run once per period across every process sharing the
// database: the first to ask in a period gets it.
#include <cstdint>
#include <string_view>

#include "store/db.hpp"

namespace mentorbot::store::sweeps {

// True (and the next period booked) when the sweep `name` is due at `now_ms`.
bool claim(Db& db, std::string_view name, std::string_view owner, std::int64_t now_ms, std::int64_t every_ms);

}  // namespace mentorbot::store::sweeps
