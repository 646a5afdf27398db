#pragma once
// Times as GitHub and the admin API write them: ISO 8601 in UTC ("2026-11-22T08:00:00Z"), read
// also with fractional seconds or a numeric offset.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot {

// Milliseconds since the Unix epoch, or nullopt when `text` is not such a time.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);
// "2026-11-22T08:00:00Z" (whole seconds, UTC).
std::string format_iso8601(std::int64_t unix_ms);
// "an hour", "3 hours", "a day", "2 days": a duration as a person says it, rounded up (to whole
// hours below a day, whole days above).
std::string spoken_duration(std::int64_t seconds);

}  // namespace mentorbot
