#include "core/config.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/read_file.hpp"

namespace mentorbot {
namespace {

std::string shown(std::string_view value) {
  std::string out = "\"";
  for (char c : value.substr(0, 60)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (value.size() > 60) out += "…";
  return out + "\"";
}

std::uint64_t parse_unsigned(std::string_view name, std::string_view value, std::uint64_t max,
                             std::string_view what) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || n > max) {
    throw ConfigError(std::string(name) + " must be " + std::string(what) + ", got " + shown(value));
  }
  return n;
}

bool parse_flag(std::string_view name, std::string_view value) {
  if (value == "1" || value == "true" || value == "yes") return true;
  if (value == "0" || value == "false" || value == "no" || value.empty()) return false;
  throw ConfigError(std::string(name) + " must be 1 or 0, got " + shown(value));
}

}  // namespace

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

DatabaseUrl parse_database_url(std::string_view text, std::string_view variable) {
  if (text.starts_with("sqlite:")) {
    auto path = text.substr(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite://PATH is forgiven
    if (path.empty()) throw ConfigError(std::string(variable) + " names no file: use sqlite:PATH");
    return {DatabaseUrl::Kind::sqlite, std::string(path)};
  }
  if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
    return {DatabaseUrl::Kind::postgresql, std::string(text)};
  }
  throw ConfigError(std::string(variable) + " must be sqlite:PATH or postgresql://…, got " +
                    shown(text));
}

ServerConfig ServerConfig::from_env(const EnvLookup& env) {
  ServerConfig c;
  auto get = [&](std::string_view name) -> std::optional<std::string> {
    auto v = env(name);
    if (v && v->empty()) return std::nullopt;  // VAR= means unset, as in Probot's dotenv
    return v;
  };

  if (auto v = get("HOST")) {
    unsigned char addr[16];
    if (inet_pton(AF_INET, v->c_str(), addr) != 1 && inet_pton(AF_INET6, v->c_str(), addr) != 1) {
      throw ConfigError("HOST must be an IP address (such as 0.0.0.0 or ::1), got " + shown(*v));
    }
    c.host = *v;
  }
  if (auto v = get("PORT")) {
    c.port = static_cast<std::uint16_t>(parse_unsigned("PORT", *v, 65535, "a number from 0 to 65535"));
  }
  if (auto v = get("WEBHOOK_PATH")) {
    if (!v->starts_with('/')) throw ConfigError("WEBHOOK_PATH must start with /, got " + shown(*v));
    c.webhook_path = *v;
  }
  c.webhook_secret = get("WEBHOOK_SECRET");
  c.app_id = get("APP_ID");
  if (c.app_id) parse_unsigned("APP_ID", *c.app_id, UINT64_MAX, "the numeric App id");
  if (auto v = get("PRIVATE_KEY")) {
    c.private_key_pem = *v;
  } else if (auto p = get("PRIVATE_KEY_PATH")) {
    c.private_key_pem = read_file_limited(*p, file_limit::key, "PRIVATE_KEY_PATH");
  }
  if (auto v = get("MENTORBOT_DRY_RUN")) c.force_dry_run = parse_flag("MENTORBOT_DRY_RUN", *v);

  if (auto host = get("GHE_HOST")) {
    std::string protocol = get("GHE_PROTOCOL").value_or("https");
    if (protocol != "https" && protocol != "http") {
      throw ConfigError("GHE_PROTOCOL must be https or http, got " + shown(protocol));
    }
    if (host->empty() || host->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
                             std::string::npos) {
      throw ConfigError("GHE_HOST must be a host name (and port), got " + shown(*host));
    }
    c.api_base_url = protocol + "://" + *host + "/api/v3";
    c.web_url = protocol + "://" + *host;
  }

  if (auto v = get("LOG_LEVEL")) {
    static constexpr std::string_view levels[] = {"trace", "debug", "info", "warn",
                                                  "error", "fatal", "silent"};
    bool known = false;
    for (auto l : levels) known = known || *v == l;
    if (!known) {
      throw ConfigError("LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got " +
                        shown(*v));
    }
    c.log_level = *v;
  }
  if (auto v = get("LOG_FORMAT")) {
    if (*v == "json") {
      c.log_format = LogFormat::json;
    } else if (*v == "pretty") {
      c.log_format = LogFormat::pretty;
    } else {
      throw ConfigError("LOG_FORMAT must be json or pretty, got " + shown(*v));
    }
  }

  if (auto v = get("MENTORBOT_DATA_DIR")) {
    c.data_dir = *v;
    std::error_code ec;
    auto status = std::filesystem::status(c.data_dir, ec);
    if (std::filesystem::exists(status) && !std::filesystem::is_directory(status)) {
      throw ConfigError("MENTORBOT_DATA_DIR must name a folder, and " + shown(*v) + " is a file");
    }
  }
  if (auto v = get("MENTORBOT_DATABASE")) {
    c.database = parse_database_url(*v, "MENTORBOT_DATABASE");
  } else {
    c.database = {DatabaseUrl::Kind::sqlite, (c.data_dir / "mentorbot.db").string()};
  }
  if (auto v = get("MENTORBOT_DATABASE_POOL")) {
    c.database_pool = static_cast<unsigned>(parse_unsigned("MENTORBOT_DATABASE_POOL", *v, 256, "a number from 1 to 256"));
    if (c.database_pool == 0) throw ConfigError("MENTORBOT_DATABASE_POOL must be a number from 1 to 256, got \"0\"");
  }
  if (auto v = get("MENTORBOT_DATABASE_TIMEOUT_MS")) {
    c.database_timeout = std::chrono::milliseconds(
        parse_unsigned("MENTORBOT_DATABASE_TIMEOUT_MS", *v, 600'000, "milliseconds from 1 to 600000"));
    if (c.database_timeout.count() == 0) throw ConfigError("MENTORBOT_DATABASE_TIMEOUT_MS must be at least 1");
  }
  if (auto v = get("MENTORBOT_LEASE_MS")) {
    c.lease = std::chrono::milliseconds(parse_unsigned("MENTORBOT_LEASE_MS", *v, 3'600'000, "milliseconds from 1000 to 3600000"));
    if (c.lease.count() < 1000) throw ConfigError("MENTORBOT_LEASE_MS must be at least 1000");
  }
  c.admin_token = get("MENTORBOT_ADMIN_TOKEN");
  if (auto v = get("GH_ORG")) c.default_org = *v;
  if (auto v = get("MENTORBOT_PUBLIC_URL")) {
    std::string url = *v;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
      throw ConfigError("MENTORBOT_PUBLIC_URL must be the http(s) address people reach this server at, got " + shown(*v));
    }
    c.public_url = url;
  }
  if (auto v = get("MENTORBOT_NUDGE_INTERVAL_MS")) {
    c.nudge_interval = std::chrono::milliseconds(
        parse_unsigned("MENTORBOT_NUDGE_INTERVAL_MS", *v, 86'400'000, "milliseconds from 1000 to 86400000"));
    if (c.nudge_interval.count() < 1000) {
      throw ConfigError("MENTORBOT_NUDGE_INTERVAL_MS must be milliseconds from 1000 to 86400000, got " + shown(*v));
    }
  }
  if (auto v = get("MENTORBOT_WRITE_INTERVAL_MS")) {
    c.write_interval = std::chrono::milliseconds(
        parse_unsigned("MENTORBOT_WRITE_INTERVAL_MS", *v, 3'600'000, "milliseconds from 0 to 3600000"));
  }
  if (auto v = get("MENTORBOT_HTTP_THREADS")) {
    c.http_threads = static_cast<unsigned>(parse_unsigned("MENTORBOT_HTTP_THREADS", *v, 256, "a number from 0 to 256"));
  }
  if (auto v = get("MENTORBOT_WORKERS")) {
    c.worker_threads = static_cast<unsigned>(parse_unsigned("MENTORBOT_WORKERS", *v, 256, "a number from 1 to 256"));
    if (c.worker_threads == 0) throw ConfigError("MENTORBOT_WORKERS must be a number from 1 to 256, got \"0\"");
  }
  if (auto v = get("MENTORBOT_READ_TIMEOUT_MS")) {
    c.read_timeout = std::chrono::milliseconds(
        parse_unsigned("MENTORBOT_READ_TIMEOUT_MS", *v, 600'000, "milliseconds from 1 to 600000"));
    if (c.read_timeout.count() == 0) throw ConfigError("MENTORBOT_READ_TIMEOUT_MS must be at least 1");
  }
  if (auto v = get("MENTORBOT_MAX_ATTEMPTS")) {
    c.max_attempts = static_cast<unsigned>(parse_unsigned("MENTORBOT_MAX_ATTEMPTS", *v, 100, "a number from 1 to 100"));
    if (c.max_attempts == 0) throw ConfigError("MENTORBOT_MAX_ATTEMPTS must be a number from 1 to 100, got \"0\"");
  }
  if (auto v = get("MENTORBOT_WRITE_ATTEMPTS")) {
    c.write_attempts = static_cast<unsigned>(parse_unsigned("MENTORBOT_WRITE_ATTEMPTS", *v, 100, "a number from 1 to 100"));
    if (c.write_attempts == 0) throw ConfigError("MENTORBOT_WRITE_ATTEMPTS must be a number from 1 to 100, got \"0\"");
  }
  if (auto v = get("MENTORBOT_GITHUB_TIMEOUT_MS")) {
    c.github_timeout = std::chrono::milliseconds(
        parse_unsigned("MENTORBOT_GITHUB_TIMEOUT_MS", *v, 600'000, "milliseconds from 1 to 600000"));
    if (c.github_timeout.count() == 0) throw ConfigError("MENTORBOT_GITHUB_TIMEOUT_MS must be at least 1");
  }
  if (auto v = get("MENTORBOT_RETRY_BASE_MS")) {
    c.retry_base = std::chrono::milliseconds(
        parse_unsigned("MENTORBOT_RETRY_BASE_MS", *v, 3'600'000, "milliseconds from 0 to 3600000"));
  }
  return c;
}

}  // namespace mentorbot
