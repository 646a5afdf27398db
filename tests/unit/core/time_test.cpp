// ISO 8601 times as GitHub and the admin API write them.
#include <catch2/catch.hpp>

#include "core/time.hpp"

using namespace mentorbot;

TEST_CASE("times: ISO 8601 with a zone is read to the millisecond, anything else refused", "[time]") {
  CHECK(parse_iso8601_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_iso8601_ms("2026-11-22T08:00:00Z") == 1795334400000);
  CHECK(parse_iso8601_ms("2026-11-22T08:00:00.250Z") == 1795334400250);
  CHECK(parse_iso8601_ms("2026-11-22T09:30:00+01:30") == 1795334400000);
  CHECK(parse_iso8601_ms("2026-11-22T03:00:00-05:00") == 1795334400000);
  for (const char* bad : {"", "2026-11-22", "2026-11-22T08:00:00", "2026-11-22T08:00Z", "2026-02-30T08:00:00Z",
                          "2026-13-01T00:00:00Z", "2026-11-22T08:00:00Zjunk", "tomorrow", "2026-11-22T08:00:00.Z", "2026-11-22T-1:00:00Z",
                          "+026-11-22T08:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601_ms(bad));
  }
  CHECK(format_iso8601(1795334400250) == "2026-11-22T08:00:00Z");
  CHECK(format_iso8601(0) == "1970-01-01T00:00:00Z");
}
