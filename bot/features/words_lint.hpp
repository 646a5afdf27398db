#pragma once
// What the words promise (SPEC, "Words matter"), checked in a repository's own templates:
// thanks, an open question in a welcome, at most 120 words, no belittling word, no mention
// that pings a team. A finding is a warning: the words still go out as written.
#include <string>
#include <vector>

namespace mentorbot::features {

struct WordsWarning {
  int line = 0;  // in the template's source, 1-based; 0: the template as a whole
  std::string message;
};

inline constexpr int most_words = 120;

// `source` is the template as written, `rendered` what it says with the sample values.
std::vector<WordsWarning> lint_words(const std::string& name, const std::string& source, const std::string& rendered);

}  // namespace mentorbot::features
