#include <catch2/catch.hpp>

#include <map>

#include "core/config.hpp"
#include "core/errors.hpp"

using namespace mentorbot;

namespace {
EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}
std::string error_for(std::map<std::string, std::string> values) {
  try {
    ServerConfig::from_env(env_of(std::move(values)));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("defaults are Probot's, and dry-run without App credentials", "[config]") {
  auto c = ServerConfig::from_env(env_of({}));
  CHECK(c.port == 3000);
  CHECK(c.host == "0.0.0.0");
  CHECK(c.webhook_path == "/api/github/webhooks");
  CHECK(c.api_base_url == "https://api.github.com");
  CHECK(c.database.kind == DatabaseUrl::Kind::sqlite);
  CHECK(c.database.target == "./data/mentorbot.db");
  CHECK(c.write_interval == std::chrono::milliseconds(1000));
  CHECK(c.dry_run());
  CHECK_FALSE(c.webhook_secret.has_value());
}

TEST_CASE("GitHub Enterprise and local fakes get the /api/v3 base URL", "[config]") {
  CHECK(ServerConfig::from_env(env_of({{"GHE_HOST", "ghe.example.org"}})).api_base_url ==
        "https://ghe.example.org/api/v3");
  CHECK(ServerConfig::from_env(env_of({{"GHE_HOST", "127.0.0.1:39080"}, {"GHE_PROTOCOL", "http"}})).api_base_url ==
        "http://127.0.0.1:39080/api/v3");
}

TEST_CASE("App credentials switch dry-run off unless forced", "[config]") {
  auto live = ServerConfig::from_env(env_of({{"APP_ID", "42"}, {"PRIVATE_KEY", "-----BEGIN…"}}));
  CHECK_FALSE(live.dry_run());
  auto forced = ServerConfig::from_env(env_of({{"APP_ID", "42"}, {"PRIVATE_KEY", "k"}, {"MENTORBOT_DRY_RUN", "1"}}));
  CHECK(forced.dry_run());
}

TEST_CASE("the data dir places the default database, MENTORBOT_DATABASE overrides it", "[config]") {
  CHECK(ServerConfig::from_env(env_of({{"MENTORBOT_DATA_DIR", "/srv/mb"}})).database.target == "/srv/mb/mentorbot.db");
  auto c = ServerConfig::from_env(env_of({{"MENTORBOT_DATABASE", "sqlite:/tmp/x.db"}}));
  CHECK(c.database.target == "/tmp/x.db");
  CHECK(ServerConfig::from_env(env_of({{"MENTORBOT_DATABASE", "postgresql://u@h/db"}})).database.kind ==
        DatabaseUrl::Kind::postgresql);
}

TEST_CASE("bad values get one clear line naming the variable and the value", "[config]") {
  CHECK(error_for({{"PORT", "abc"}}) == "PORT must be a number from 0 to 65535, got \"abc\"");
  CHECK(error_for({{"PORT", "70000"}}) == "PORT must be a number from 0 to 65535, got \"70000\"");
  CHECK(error_for({{"PORT", "-1"}}) == "PORT must be a number from 0 to 65535, got \"-1\"");
  CHECK_THAT(error_for({{"LOG_LEVEL", "loud"}}), Catch::StartsWith("LOG_LEVEL must be one of"));
  CHECK_THAT(error_for({{"LOG_FORMAT", "xml"}}), Catch::StartsWith("LOG_FORMAT must be json or pretty"));
  CHECK_THAT(error_for({{"GHE_HOST", "h"}, {"GHE_PROTOCOL", "ftp"}}), Catch::StartsWith("GHE_PROTOCOL"));
  CHECK_THAT(error_for({{"MENTORBOT_DATABASE", "mysql://x"}}), Catch::StartsWith("MENTORBOT_DATABASE must be"));
  CHECK_THAT(error_for({{"MENTORBOT_WRITE_INTERVAL_MS", "1s"}}), Catch::StartsWith("MENTORBOT_WRITE_INTERVAL_MS"));
  CHECK_THAT(error_for({{"APP_ID", "my-app"}}), Catch::StartsWith("APP_ID must be"));
  CHECK_THAT(error_for({{"WEBHOOK_PATH", "hooks"}}), Catch::StartsWith("WEBHOOK_PATH must start with /"));
  CHECK_THAT(error_for({{"PRIVATE_KEY_PATH", "/nonexistent/key.pem"}}), Catch::StartsWith("cannot read PRIVATE_KEY_PATH (/nonexistent/key.pem): No such file"));
  CHECK(error_for({{"MENTORBOT_WRITE_ATTEMPTS", "0"}}) == "MENTORBOT_WRITE_ATTEMPTS must be a number from 1 to 100, got \"0\"");
  CHECK(error_for({{"PORT", ""}}).empty());  // PORT= means unset
}

TEST_CASE("a GitHub write outlasts more failures than a delivery: its own number of attempts", "[config]") {
  auto c = ServerConfig::from_env(env_of({}));
  CHECK(c.max_attempts == 5);
  CHECK(c.write_attempts == 10);
  CHECK(ServerConfig::from_env(env_of({{"MENTORBOT_WRITE_ATTEMPTS", "3"}})).write_attempts == 3);
}
