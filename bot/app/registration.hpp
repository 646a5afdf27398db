#pragma once
// The App registered from /setup, kept in MENTORBOT_DATA_DIR/github-app.json (mode 0600; its
// key and webhook secret are never logged). The environment wins: with APP_ID set, the file is
// not read.
#include <filesystem>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "github/manifest.hpp"

namespace mentorbot::app {

std::filesystem::path registration_file(const std::filesystem::path& data_dir);

// Written whole or not at all (a temporary file, fsync, rename). Throws ConfigError.
void save_registration(const std::filesystem::path& data_dir, const github::Registration& registration);

// nullopt when there is none; throws ConfigError with a one-line reason for a broken file.
std::optional<github::Registration> load_registration(const std::filesystem::path& data_dir);

// `config` with the registered App's id, key and webhook secret when the environment names no
// App (APP_ID and a key unset) and a registration is kept; the secrets are redacted from logs.
ServerConfig with_registration(ServerConfig config);

}  // namespace mentorbot::app
