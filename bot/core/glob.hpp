#pragma once
// File-name globs as review rules and .gitignore-like lists write them.
#include <string_view>

namespace mentorbot {

// `*` is any run within one path segment, `**` any run across segments, `?` one character.
// A pattern without a '/' is matched against the file's base name.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace mentorbot
