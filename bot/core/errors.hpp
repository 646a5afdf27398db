#pragma once
// The kinds of error mentorbot distinguishes (STYLE.md, "two kinds of error").
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

// Something a person should be told kindly, in a comment rendered from a template.
struct UserFacingError : std::runtime_error {
  UserFacingError(std::string template_name, const std::string& detail)
      : std::runtime_error(detail), template_name_(std::move(template_name)) {}
  const std::string& template_name() const noexcept { return template_name_; }

 private:
  std::string template_name_;
};

}  // namespace mentorbot
