#pragma once
// Registration from the bot's own page, while `serve` runs without an App: GET /setup (opened
// with the key `serve` printed, so only whoever runs the server can register it) offers the
// App manifest to GitHub's new-App form for a user or an org, with a random single-use `state`;
// GitHub sends the browser back to /setup/callback?code=…&state=…, where the code becomes the
// new App (its id, key and webhook secret), which `register_app` keeps and switches to. After
// that, both routes answer 404.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "github/manifest.hpp"
#include "http/message.hpp"

namespace mentorbot::http {

struct SetupParts {
  std::string public_url;    // where GitHub reaches this server; empty: the page asks for MENTORBOT_PUBLIC_URL
  std::string webhook_path;  // WEBHOOK_PATH
  std::string github_url;    // https://github.com, or the Enterprise server's address
  std::string key;           // what the set-up link carries
  std::string default_org;   // GH_ORG: the org the page offers first
  // Exchanges GitHub's code for the new App and keeps it; throws std::runtime_error with a reason
  // a person can act on. Called on a thread of its own.
  std::function<github::Registration(const std::string& code)> register_app;
  std::function<std::int64_t()> now_ms;  // the clock (tests move it)
};

class SetupPage {
 public:
  explicit SetupPage(SetupParts parts);
  ~SetupPage();
  SetupPage(const SetupPage&) = delete;
  SetupPage& operator=(const SetupPage&) = delete;

  static bool owns(std::string_view path) { return path == "/setup" || path == "/setup/callback"; }
  void handle(Request&& request, Responder respond);

  // An App was registered here: the routes are gone.
  bool done() const { return done_.load(); }
  // Returns once the code exchange in progress (if any) has answered the browser.
  void wait();

  static constexpr std::int64_t state_lifetime_ms = 60 * 60 * 1000;  // GitHub allows the flow an hour
  static constexpr std::size_t most_states = 256;

 private:
  Response start(std::string_view query);
  void callback(std::string_view query, Responder respond);
  std::string new_state();
  bool take_state(const std::string& state);

  SetupParts parts_;
  std::mutex mutex_;
  std::map<std::string, std::int64_t> states_;  // state → when it expires
  std::thread exchange_;                        // the one code exchange in progress
  bool exchanging_ = false;
  std::atomic<bool> done_{false};
};

}  // namespace mentorbot::http
