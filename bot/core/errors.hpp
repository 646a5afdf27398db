#pragma once
// The errors mentorbot tells apart from the rest: a bad setting, and input that will never
// succeed. Anything else is retried, and logged with its delivery id; nobody reading a comment
// ever sees one.
#include <stdexcept>
#include <string>

namespace mentorbot {

// A bad setting (environment variable, flag, config file). Printed as one line; exit code 2.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Input that will never succeed however often it is retried (a payload without the object
// its event promises, say). The delivery is parked as failed at once instead of retried.
struct PermanentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace mentorbot
