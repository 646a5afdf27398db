#pragma once
// spdlog set-up: LOG_LEVEL, LOG_FORMAT (json | pretty), and a redactor that keeps secrets
// (webhook secret, private key, installation tokens) out of every log line.
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"

namespace mentorbot {

// Installs the default logger on stderr. `format` unset: pretty on a terminal, json otherwise.
void setup_logging(std::string_view level, std::optional<LogFormat> format);

// Registers a secret: from now on it is replaced by "[redacted]" wherever a log line holds it.
// Values shorter than 8 characters are ignored (they would redact ordinary words).
void redact_in_logs(std::string_view secret);

// What the redactor does to one message (exposed for tests).
std::string redact(std::string_view text);

// Escapes text for a JSON string literal (without the quotes).
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace mentorbot
