#pragma once
// User text (titles, logins, file paths) before it goes into a comment: it must not ping
// people (`@org/team` becomes `@` + zero-width joiner + `org/team`), inject HTML, or break the
// Markdown around it.
#include <string>
#include <string_view>

namespace mentorbot::render {

// For text that lands in running Markdown: HTML and Markdown specials escaped, mentions defused.
std::string escape_text(std::string_view text);
// For text inside a code span (file paths): backticks cannot end the span early.
std::string code_span(std::string_view text);
// Only the mentions defused (for values already safe otherwise).
std::string defuse_mentions(std::string_view text);// All three drop control characters and invisible text-direction marks; tabs and line breaks
// become spaces.

// True when `text` holds none of those (for names people choose, refused rather than altered).
bool printable(std::string_view text);

}  // namespace mentorbot::render
