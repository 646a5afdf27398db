#pragma once
// A mentorbot serve process on a loopback port with its own data directory, plus ways to look
// into its store and metrics from the test.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "support/bot_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace testing {

class RunningBot {
 public:
  explicit RunningBot(Env extra = {});

  // Starts (again) on the same data directory.
  void start();
  BotProcess& process() { return *process_; }
  std::uint16_t port() const { return process_->port(); }
  const std::string& secret() const { return secret_; }
  const TempDir& dir() const { return dir_; }
  Env env() const;

  HttpResult send(const std::string& event, const std::string& delivery, const std::string& body,
                  const std::string& content_type = "application/json") {
    return post_webhook(port(), secret_, event, delivery, body, content_type);
  }

  // Its database: SQLite in its data directory, or a PostgreSQL database of its own when the
  // run uses PostgreSQL.
  const TestDatabase& database() const { return database_; }

  // Its store, opened read-only (the server may be running or not).
  std::unique_ptr<mentorbot::store::Store> open_store() const;
  // Deliveries per state, read from the database (the server may be running or not).
  std::map<std::string, std::int64_t> inbox_counts() const;
  std::int64_t inbox_rows() const;
  std::string state_of(const std::string& guid) const;
  // Waits until no delivery is pending or running and no write is pending or sending: after
  // that, no write is on its way to GitHub. False after `seconds`.
  bool wait_until_idle(int seconds = 20) const;
  // The writes planned on one pull request (or issue), oldest first, each as "KEY STATE"
  // (strings, so that Catch prints them when a check fails).
  std::vector<std::string> outbox_on(const std::string& repo, std::int64_t number) const;

  // The value of one series in /metrics (0 when absent).
  double metric(const std::string& series);
  std::string log() const;

 private:
  TempDir dir_;
  TestDatabase database_;
  std::string secret_ = "integration-test-secret-0123456789";
  Env extra_;
  std::unique_ptr<BotProcess> process_;
  int starts_ = 0;
};

}  // namespace testing
