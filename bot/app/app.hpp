#pragma once
// The App owns the parts (store, metrics, GitHub client, mirrors, templates, rules, features,
// dispatcher) and wires them together: the HTTP server for `serve`, or one delivery for `replay`.
#include <csignal>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/delivery_sources.hpp"
#include "app/dispatcher.hpp"
#include "app/replica.hpp"
#include "app/repo_configs.hpp"
#include "core/config.hpp"
#include "core/metrics.hpp"
#include "features/registry.hpp"
#include "features/review/rules.hpp"
#include "github/client.hpp"
#include "history/contributors.hpp"
#include "history/mirror.hpp"
#include "http/setup_page.hpp"
#include "render/templates.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

class OutboxSender;
class GoodFirstIssuesOverSearch;
class CoinFeed;

class App {
 public:
  // Opens (and migrates) the store named by `database`, loads the templates and the review
  // rules. `lists`, when given, answers for pull request files and commits instead of GitHub
  // (replay).
  App(ServerConfig config, const DatabaseUrl& database, std::unique_ptr<PullRequestLists> lists = nullptr);
  ~App();

  // How `serve` ended. With `listen_fd` set, an App was registered from /setup: serve again
  // with it (with_registration), taking over this descriptor of the listening socket, so no
  // connection is refused in between.
  struct Served {
    int exit_code = 0;
    int listen_fd = -1;
  };
  // Answers webhooks until SIGTERM or SIGINT (or a registration from /setup), then drains.
  // `listen_fd`: a listening socket to take over instead of binding PORT.
  Served serve(const std::string& webhook_secret, int listen_fd = -1);

  store::Store& store() { return *store_; }
  Dispatcher& dispatcher() { return *dispatcher_; }
  Metrics& metrics() { return metrics_; }
  const ServerConfig& config() const { return config_; }

 private:
  void watch_store();
  // Extends this process's claims (deliveries, write lanes) while it runs.
  void renew_leases(OutboxSender* sender);
  // What another process (or this one) announced on the database's channel (store/notify.hpp).
  void heard(std::string_view what, CoinFeed& feed, OutboxSender* sender);
  // Where this process's work differs from the others' sharing the database: empty on SQLite
  // (one process per database takes back everything left running).
  std::string owner_prefix() const;
  // /setup's parts: the code GitHub hands back becomes the App, kept in the data folder, and then
  // `switch_to_registered` ends this serve.
  http::SetupParts setup_parts(std::function<void()> switch_to_registered);

  ServerConfig config_;
  Replica replica_;
  Metrics metrics_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<render::Templates> templates_;
  std::vector<features::review::Rule> rules_;
  features::Registry registry_;
  std::unique_ptr<github::Client> client_;  // null without App credentials (reads only in dry-run)
  std::unique_ptr<history::MergedPullRequests> merged_;
  std::unique_ptr<GoodFirstIssuesOverSearch> issues_;
  std::unique_ptr<history::Mirrors> mirrors_;
  std::unique_ptr<history::Contributors> contributors_;
  std::unique_ptr<RepoConfigs> configs_;        // null without GitHub
  std::unique_ptr<PullRequestLists> lists_;     // null without GitHub
  std::unique_ptr<Dispatcher> dispatcher_;
  std::string setup_key_;  // what the set-up link carries (only while there is no App)
};

// SIGINT and SIGTERM: main() blocks them before any thread starts, serve() takes them.
sigset_t stop_signals();

// Threads this process may run on (its CPU affinity), at least 1.
unsigned usable_cpus();

}  // namespace mentorbot::app
