#pragma once
// What the sprint screen, the JSON API, the CSV export and the CLI show, computed from the coin
// ledger: who holds how many coins, who is new here, and how many first-timers came back.
#include <cstdint>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "store/coins.hpp"

namespace mentorbot::http {

struct BoardEntry {
  std::string login;
  std::string avatar_url;
  std::int64_t coins = 0;
  std::int64_t merged_prs = 0;
  std::optional<std::int64_t> first_merged_at;  // ms
  bool newcomer = false;
};

struct Board {
  std::optional<store::coins::Sprint> sprint;
  std::vector<BoardEntry> entries;  // most coins first
  // Newcomer retention: people whose first merged pull request in a repository came in this
  // window, and how many of them had a second one merged.
  std::int64_t first_timers = 0;
  std::int64_t returned = 0;
};

// Pure: the board for these awards (already narrowed to the sprint).
Board board_of(const std::vector<store::coins::Award>& awards, std::optional<store::coins::Sprint> sprint);

// SPEC's JSON: {"sprint":…,"entries":[{"login","coins","merged_prs","first_merged_at","newcomer"}]}
// plus avatar_url and "retention":{"first_timers","returned"}.
boost::json::value to_json(const Board& board);
boost::json::value to_json(const store::coins::Sprint& sprint);
// One award as the live event stream sends it, with the slugs of the sprints it counts for.
boost::json::value to_json(const store::coins::Award& award, const std::vector<store::coins::Sprint>& sprints);

// The awards as CSV for handing out the physical coins. Cells that a spreadsheet would run as a
// formula are defused.
std::string to_csv(const std::vector<store::coins::Award>& awards);
// One CSV cell: quoted when it must be, and never a formula.
std::string csv_cell(const std::string& text);

// What can be a GitHub login: letters, digits and hyphens, not starting with one, at most 39
// characters (older accounts may hold two hyphens in a row, or end with one). Sprints' org and
// participants are checked with it, and a badge exists only for such a name.
const std::regex& login_shape();
bool could_be_login(std::string_view text);
// What can be a repository's full name: a login, a slash, a name of letters, digits, . _ and -.
bool could_be_repo(std::string_view text);

struct SprintError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A sprint from the admin API's JSON ({"name","slug","starts_at","ends_at","repos"|"org",
// "participants"}), checked. The slug is made from the name when absent. Throws SprintError with
// a one-line reason.
store::coins::Sprint sprint_from_json(const boost::json::value& v, std::int64_t now_ms);
// A slug for a name: lower-case letters, digits and hyphens.
std::string slug_of(const std::string& name);

}  // namespace mentorbot::http
