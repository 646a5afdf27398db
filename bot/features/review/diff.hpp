#pragma once
// The `patch` GitHub gives for each file of a pull request (unified-diff hunks, no file
// headers), read into the lines a review may comment on: every added line with its number in
// the new file (`line` with `side: RIGHT`).
#include <string>
#include <string_view>
#include <vector>

namespace mentorbot::features::review {

struct AddedLine {
  int line = 0;  // 1-based, in the file after the change
  std::string text;
};

struct Patch {
  std::vector<AddedLine> added;
  std::vector<std::string> removed_text;  // the text of each removed line
  int removed = 0;
  bool complete = true;  // false: a hunk was cut short or a header did not parse
};

Patch parse_patch(std::string_view patch);

}  // namespace mentorbot::features::review
