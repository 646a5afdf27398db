#include "support/running_bot.hpp"

#include <sstream>
#include <thread>

#include "core/config.hpp"
#include "store/inbox.hpp"
#include "store/outbox.hpp"
#include "support/files.hpp"

namespace testing {

RunningBot::RunningBot(Env extra) : extra_(std::move(extra)) { start(); }

Env RunningBot::env() const {
  Env env = {{"WEBHOOK_SECRET", secret_},
             {"MENTORBOT_DATA_DIR", dir_.path().string()},
             {"LOG_LEVEL", "info"},
             {"LOG_FORMAT", "json"}};
  if (database_.postgres()) env["MENTORBOT_DATABASE"] = database_.setting();
  for (const auto& [k, v] : extra_) env[k] = v;
  return env;
}

void RunningBot::start() {
  process_.reset();
  process_ = std::make_unique<BotProcess>(env(), dir_ / ("bot-" + std::to_string(++starts_) + ".log"));
  process_->wait_ready();
}

std::unique_ptr<mentorbot::store::Store> RunningBot::open_store() const {
  if (database_.postgres()) return mentorbot::store::Store::open_read_only(database_.url());
  return mentorbot::store::Store::open_read_only(
      {mentorbot::DatabaseUrl::Kind::sqlite, (dir_.path() / "mentorbot.db").string()});
}

std::map<std::string, std::int64_t> RunningBot::inbox_counts() const {
  auto store = open_store();
  return store->read([](mentorbot::store::Db& db) { return mentorbot::store::inbox::counts(db, true); });
}

std::int64_t RunningBot::inbox_rows() const {
  std::int64_t total = 0;
  for (const auto& [state, n] : inbox_counts()) total += n;
  return total;
}

std::string RunningBot::state_of(const std::string& guid) const {
  auto store = open_store();
  auto row = store->read([&](mentorbot::store::Db& db) { return mentorbot::store::inbox::find_delivery(db, guid); });
  return row ? row->state : "absent";
}

bool RunningBot::wait_until_idle(int seconds) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    // The inbox first: a delivery's writes commit with it, so once it is done they are visible.
    auto c = inbox_counts();
    if (c["pending"] == 0 && c["running"] == 0) {
      auto store = open_store();
      auto o = store->read([](mentorbot::store::Db& db) { return mentorbot::store::outbox::open_counts(db); });
      if (o["pending"] == 0 && o["sending"] == 0) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::vector<std::string> RunningBot::outbox_on(const std::string& repo, std::int64_t number) const {
  auto store = open_store();
  auto rows = store->read([&](mentorbot::store::Db& db) { return mentorbot::store::outbox::writes_on(db, repo, number); });
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(row.write.key + " " + std::string(mentorbot::store::outbox::to_string(row.state)));
  return out;
}

double RunningBot::metric(const std::string& series) {
  auto text = http_get(port(), "/metrics").body;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return 0;
}

std::string RunningBot::log() const {
  std::string all;
  for (int i = 1; i <= starts_; ++i) {
    try {
      all += read_file(dir_ / ("bot-" + std::to_string(i) + ".log"));
    } catch (...) {
    }
  }
  return all;
}

}  // namespace testing
