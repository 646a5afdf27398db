#pragma once
// Golden files (tests/golden/…): the words mentorbot writes, checked byte for byte and reviewed
// like code. UPDATE_GOLDEN=1 rewrites them from what the code now says.
#include <string>

namespace testing {

// Fails (with both texts) when `actual` differs from tests/golden/`name`; with UPDATE_GOLDEN=1,
// writes it instead.
void check_golden(const std::string& name, const std::string& actual);

}  // namespace testing
