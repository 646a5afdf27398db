#pragma once
// Server settings from the environment (Probot-compatible names, see SPEC.md).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot {

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the process environment.
EnvLookup process_env();

enum class LogFormat { json, pretty };

struct DatabaseUrl {
  enum class Kind { sqlite, postgresql } kind = Kind::sqlite;
  std::string target;  // a file path for sqlite, the whole URL for postgresql
};

// Parses `sqlite:PATH` or `postgresql://…`; throws ConfigError naming `variable`.
DatabaseUrl parse_database_url(std::string_view text, std::string_view variable);

struct ServerConfig {
  std::string host = "0.0.0.0";
  std::uint16_t port = 3000;
  std::string webhook_path = "/api/github/webhooks";
  std::optional<std::string> webhook_secret;  // unset: `serve` generates one in data_dir
  std::optional<std::string> app_id;
  std::optional<std::string> private_key_pem;  // never logged
  bool force_dry_run = false;
  std::string api_base_url = "https://api.github.com";
  std::string web_url = "https://github.com";  // where people use GitHub (the Enterprise server with GHE_HOST)
  std::string default_org;                      // GH_ORG: the org /setup offers to register the App for
  std::string log_level = "info";
  std::optional<LogFormat> log_format;  // unset: pretty on a terminal, else json
  DatabaseUrl database{DatabaseUrl::Kind::sqlite, "./data/mentorbot.db"};
  std::filesystem::path data_dir = "./data";
  unsigned database_pool = 8;                             // PostgreSQL: read connections per replica
  std::chrono::milliseconds database_timeout{30'000};     // PostgreSQL: statement_timeout
  std::chrono::milliseconds lease{30'000};  // claims on work not renewed for this long are taken over
  std::optional<std::string> admin_token;
  std::string public_url;  // where people reach this server (badge images in comments); empty: unknown
  std::chrono::milliseconds write_interval{1000};
  std::chrono::milliseconds nudge_interval{15 * 60 * 1000};  // how often the nudges' sweep looks

  // Knobs for operators and tests; the defaults suit a real installation.
  unsigned http_threads = 0;    // 0: one per CPU this process may run on
  unsigned worker_threads = 8;  // handlers block on GitHub and git, so more than CPUs
  std::chrono::milliseconds read_timeout{30'000};
  unsigned max_attempts = 5;     // of a delivery
  // Of a GitHub write that got no answer or a 5xx: at the default base, ten span about 2.6 hours,
  // so a write outlasts an outage of GitHub's instead of being parked within a minute and a half.
  unsigned write_attempts = 10;
  std::chrono::milliseconds retry_base{2'000};
  std::chrono::milliseconds shutdown_grace{8'000};
  std::chrono::milliseconds github_timeout{30'000};  // per connect, write and read

  bool dry_run() const { return force_dry_run || !app_id || !private_key_pem; }

  // Throws ConfigError with a one-line reason for the first bad value.
  static ServerConfig from_env(const EnvLookup& env);
};

}  // namespace mentorbot
