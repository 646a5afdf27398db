#include "features/review/diff.hpp"

#include <charconv>

namespace mentorbot::features::review {
namespace {

// "@@ -a,b +c,d @@ context": the new side starts at c and spans d lines (1 when ",d" is left out).
bool parse_header(std::string_view line, int& old_count, int& new_start, int& new_count) {
  if (!line.starts_with("@@ -")) return false;
  auto number = [&line](std::size_t& at, int& into) {
    auto [end, ec] = std::from_chars(line.data() + at, line.data() + line.size(), into);
    if (ec != std::errc{}) return false;
    at = static_cast<std::size_t>(end - line.data());
    return true;
  };
  std::size_t at = 4;
  int old_start = 0;
  old_count = 1;
  if (!number(at, old_start)) return false;
  if (at < line.size() && line[at] == ',' && !number(++at, old_count)) return false;
  if (line.substr(at, 2) != " +") return false;
  at += 2;
  new_count = 1;
  if (!number(at, new_start)) return false;
  if (at < line.size() && line[at] == ',' && !number(++at, new_count)) return false;
  if (line.substr(at, 3) != " @@") return false;
  // Line numbers start at 1; a start of 0 only goes with an empty side (a new or deleted file).
  auto side_ok = [](int start, int count) { return count >= 0 && start >= 0 && (start > 0 || count == 0); };
  return side_ok(old_start, old_count) && side_ok(new_start, new_count);
}

}  // namespace

Patch parse_patch(std::string_view patch) {
  Patch out;
  int old_left = 0, new_left = 0, right = 0;
  bool in_hunk = false;
  std::size_t at = 0;
  while (at < patch.size()) {
    auto end = patch.find('\n', at);
    if (end == std::string_view::npos) end = patch.size();
    auto line = patch.substr(at, end - at);
    at = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("@@")) {
      if (in_hunk && (old_left > 0 || new_left > 0)) out.complete = false;
      int old_count = 0, new_count = 0, after_last = right;
      in_hunk = parse_header(line, old_count, right, new_count);
      if (!in_hunk) out.complete = false;
      // Hunks go forward through the file: one that starts inside or before the last is not trusted.
      if (in_hunk && right < after_last) out.complete = false;
      old_left = old_count;
      new_left = new_count;
      continue;
    }
    if (!in_hunk) continue;
    if (line.starts_with("\\")) continue;  // "\ No newline at end of file"
    char kind = line.empty() ? ' ' : line[0];
    if (kind == '+' && new_left > 0) {
      out.added.push_back({right, std::string(line.substr(1))});
      ++right;
      --new_left;
    } else if (kind == '-' && old_left > 0) {
      out.removed_text.emplace_back(line.substr(1));
      ++out.removed;
      --old_left;
    } else if (kind == ' ' && new_left > 0 && old_left > 0) {
      ++right;
      --new_left;
      --old_left;
    } else {
      // More lines than the header promised: the rest is not trusted.
      out.complete = false;
      in_hunk = false;
    }
  }
  if (in_hunk && (old_left > 0 || new_left > 0)) out.complete = false;
  return out;
}

}  // namespace mentorbot::features::review
