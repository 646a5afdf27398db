#pragma once
// A unified line diff of two short texts (the words before and after a pull request), for a
// ```diff block: " " kept, "-" gone, "+" new.
#include <string>

namespace mentorbot::features::preview {

// Every line of both, marked; empty when the texts are the same.
std::string line_diff(const std::string& before, const std::string& after);

}  // namespace mentorbot::features::preview
