#include "app/app.hpp"

#include <pthread.h>
#include <sched.h>

#include <csignal>
#include <future>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "core/version.hpp"
#include "app/coin_feed.hpp"
#include "app/github_writes.hpp"
#include "app/merged_prs.hpp"
#include "app/nudge_sweeper.hpp"
#include "app/pull_request_reader.hpp"
#include "app/repo_configs.hpp"
#include "app/outbox_sender.hpp"
#include "app/periodic.hpp"
#include "github/app_auth.hpp"
#include "github/client.hpp"
#include "http/event_stream.hpp"
#include "http/leaderboard.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/webhook_ingress.hpp"
#include "store/inbox.hpp"
#include "store/outbox.hpp"

namespace mentorbot::app {

namespace net = boost::asio;

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

unsigned usable_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

App::App(ServerConfig config, const DatabaseUrl& database, std::unique_ptr<features::PullRequestReader> reader)
    : config_(std::move(config)),
      store_(store::Store::open(database)),
      registry_(features::build_registry()),
      templates_(std::make_unique<render::Templates>(render::Templates::load(render::Templates::locate()))),
      rules_(features::review::load_rules(features::review::locate_rules())) {
  DispatcherOptions options;
  options.threads = config_.worker_threads;
  options.max_attempts = config_.max_attempts;
  options.retry_base = config_.retry_base;
  options.dry_run = config_.dry_run();

  // With the App's credentials mentorbot reads from GitHub (even in dry-run, so a dry run shows
  // what would really be posted); the key is checked before anything starts.
  if (config_.app_id && config_.private_key_pem) {
    github::Client::Options o;
    o.api_base_url = config_.api_base_url;
    o.app_id = *config_.app_id;
    o.http.user_agent = std::string("mentorbot/") + version;
    o.http.read_timeout = config_.github_timeout;
    o.http.connect_timeout = std::min(config_.github_timeout, std::chrono::milliseconds(10'000));
    client_ = std::make_unique<github::Client>(
        o, github::PrivateKey::parse(*config_.private_key_pem, "the private key (PRIVATE_KEY or PRIVATE_KEY_PATH)"),
        metrics_);
    merged_ = std::make_unique<MergedPullRequestsOverSearch>(*client_);
  }
  mirrors_ = std::make_unique<history::Mirrors>(
      config_.data_dir / "mirrors", [this](std::int64_t installation) -> std::optional<std::string> {
        if (!client_) return std::nullopt;
        return client_->tokens().token(installation);
      });
  contributors_ = std::make_unique<history::Contributors>(*store_, *mirrors_, merged_.get());
  if (client_) {
    configs_ = std::make_unique<RepoConfigs>(*client_, RepoConfig{});
    pull_requests_ = std::make_unique<PullRequestReaderOverRest>(*client_);
  }
  if (reader) pull_requests_ = std::move(reader);
  spdlog::debug("{} review rules loaded from {}", rules_.size(), features::review::locate_rules().string());
  features::Ports ports;
  ports.contributors = contributors_.get();
  ports.templates = templates_.get();
  ports.rules = &rules_;
  ports.configs = configs_.get();
  ports.pull_requests = pull_requests_.get();
  ports.store = store_.get();
  ports.public_url = config_.public_url;
  // serve() points this at the live events before the workers start (replay has none).
  ports.coins_awarded = [this] {
    if (coins_awarded_) coins_awarded_();
  };
  dispatcher_ = std::make_unique<Dispatcher>(*store_, registry_, metrics_, options, ports);
  auto& batch_size = metrics_.histogram("mentorbot_store_batch_jobs", "Jobs per store commit (group commit)", {},
                                        {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  auto& commit_time = metrics_.histogram("mentorbot_store_commit_seconds", "Time to commit one batch of store jobs",
                                         {}, Metrics::latency_buckets());
  store_->writes().on_commit([&batch_size, &commit_time](std::size_t jobs, double seconds) {
    batch_size.observe(static_cast<double>(jobs));
    commit_time.observe(seconds);
  });
  metrics_.gauge("mentorbot_outbox_writes", "GitHub writes waiting in the outbox, by state", [this] {
    std::vector<std::pair<Labels, double>> out;
    auto counts = store_->read([](store::Db& db) { return store::outbox::open_counts(db); });
    for (const auto& [state, n] : counts) out.push_back({{{"state", state}}, static_cast<double>(n)});
    return out;
  });
  metrics_.gauge("mentorbot_inbox_deliveries", "Deliveries in the inbox not yet done, by state", [this] {
    std::vector<std::pair<Labels, double>> out;
    auto counts = store_->read([](store::Db& db) { return store::inbox::counts(db, false); });
    for (const auto& [state, n] : counts) out.push_back({{{"state", state}}, static_cast<double>(n)});
    return out;
  });
}

App::~App() {
  janitor_.reset();
  dispatcher_.reset();
  store_->close();
}

int App::serve(const std::string& webhook_secret) {
  // The main thread waits for the signal; the server and workers run on their own threads.
  // main() blocked SIGINT and SIGTERM before any thread started, and every thread started here
  // inherits that; the main thread takes them once everything runs (one that came during
  // start-up was kept pending, and is handled then).
  net::io_context signals_io;
  net::signal_set signals(signals_io, SIGINT, SIGTERM);
  int signal = 0;
  signals.async_wait([&](boost::system::error_code ec, int s) {
    if (!ec) signal = s;
  });

  std::unique_ptr<GitHubWritesOverRest> writes;
  std::unique_ptr<OutboxSender> sender;
  if (client_ && !config_.dry_run()) {
    writes = std::make_unique<GitHubWritesOverRest>(*client_, *store_);
    SenderOptions so;
    so.interval = config_.write_interval;
    so.retry_base = config_.retry_base;
    so.max_attempts = config_.max_attempts;
    sender = std::make_unique<OutboxSender>(*store_, *writes, metrics_, so);
    dispatcher_->on_writes([s = sender.get()] { s->notify(); });
  }

  // Coins committed by the workers go out live to the sprint screens.
  http::EventStream events;
  CoinFeed feed(*store_, events, dispatcher_->executor());
  coins_awarded_ = [&feed] { feed.notify(); };
  http::Leaderboard leaderboard({*store_, render::Templates::locate() / "web", config_.admin_token,
                                 [&feed](std::shared_ptr<http::StreamSink> sink, std::optional<std::int64_t> last) {
                                   feed.attach(std::move(sink), last);
                                 },
                                 [&events] { return events.viewers(); }});
  if (config_.public_url.empty()) {
    spdlog::info("coin comments carry no badge image: set MENTORBOT_PUBLIC_URL to this server's address to add one");
  }
  metrics_.gauge("mentorbot_event_viewers", "Viewers connected to the live coin events", [&events] {
    return std::vector<std::pair<Labels, double>>{{{}, static_cast<double>(events.viewers())}};
  });
  // A comment every 15 s keeps proxies from closing a quiet stream and finds viewers that left.
  Periodic heartbeat(dispatcher_->executor(), std::chrono::seconds(15), [&events] { events.heartbeat(); });
  heartbeat.start();

  http::WebhookIngress ingress(webhook_secret, store_->writes(), metrics_, [this] { dispatcher_->notify(); });
  http::Router router({config_.webhook_path, ingress, metrics_, [this] { return store_->reachable(); }, &leaderboard});
  http::ServerOptions options;
  options.host = config_.host;
  options.port = config_.port;
  options.threads = config_.http_threads ? config_.http_threads : usable_cpus();
  options.read_timeout = config_.read_timeout;
  http::Server server(options, router);
  server.start();
  dispatcher_->start();
  if (sender) sender->start();
  janitor_ = std::make_unique<Janitor>(dispatcher_->executor(), *store_, JanitorOptions{});
  janitor_->start();
  NudgeOptions nudge_options;
  nudge_options.dry_run = config_.dry_run();
  NudgeSweeper nudges(dispatcher_->executor(), *store_, configs_.get(), templates_.get(), nudge_options,
                      [s = sender.get()] {
                        if (s) s->notify();
                      });
  nudges.start();
  spdlog::info("mentorbot {} listening on {}:{} (webhooks at {}), {} HTTP thread(s), {} worker(s), store {}, {}",
               version, config_.host, server.port(), config_.webhook_path, options.threads, config_.worker_threads,
               store_->path(), config_.dry_run() ? "dry-run: GitHub writes are logged, not sent" : "live");

  auto stopping = stop_signals();
  pthread_sigmask(SIG_UNBLOCK, &stopping, nullptr);
  signals_io.run();

  spdlog::info("{} received: no new connections; finishing the requests and deliveries in progress",
               signal == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();
  nudges.stop();
  heartbeat.stop();
  janitor_->stop();  // the timers stop while the workers' executor still runs
  // Requests already read still get their answer (their deliveries are committed first).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (server.sessions() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server.join();
  bool drained = dispatcher_->stop(config_.shutdown_grace);
  if (sender) drained = sender->stop(std::chrono::seconds(1)) && drained;
  if (!drained) {
    // Handlers still running hold threads we cannot join; what they were doing is recorded
    // as running and is requeued at the next start.
    store_->close();
    spdlog::info("stopped (some deliveries will be resumed at the next start)");
    std::_Exit(0);
  }
  coins_awarded_ = nullptr;  // every handler is done; the feed goes with this scope
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace mentorbot::app
