#pragma once
// "Did you mean": the known word nearest to a typo, for messages about keys, tones and template
// names a person wrote.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mentorbot {

// Edits (insert, delete, change, swap two neighbours) that turn `a` into `b`, case ignored.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The known word nearest to `word` when it is near enough to be a typo of it: at most two edits
// and fewer than half the word's letters (ties: the first in `known`).
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& known);

}  // namespace mentorbot
