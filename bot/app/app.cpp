#include "app/app.hpp"

#include <malloc.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "app/coin_feed.hpp"
#include "app/github_writes.hpp"
#include "app/good_first_issues.hpp"
#include "app/janitor.hpp"
#include "app/merged_prs.hpp"
#include "app/nudge_sweeper.hpp"
#include "app/outbox_sender.hpp"
#include "app/periodic.hpp"
#include "app/pull_request_lists.hpp"
#include "app/registration.hpp"
#include "core/logging.hpp"
#include "core/random.hpp"
#include "core/version.hpp"
#include "github/app_auth.hpp"
#include "http/event_stream.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/setup_page.hpp"
#include "http/sprint_screen.hpp"
#include "http/webhook_ingress.hpp"
#include "store/inbox.hpp"
#include "store/notify.hpp"
#include "store/postgres.hpp"
#include "store/sqlite.hpp"
#include "store/write_lanes.hpp"
#include "store/outbox.hpp"
#include "store/pipeline_numbers.hpp"

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

App::App(ServerConfig config, const DatabaseUrl& database, std::unique_ptr<PullRequestLists> lists)
    : config_(std::move(config)),
      replica_(config_.data_dir),
      store_(store::Store::open(database, {config_.database_pool, config_.database_timeout})),
      templates_(std::make_unique<render::Templates>(render::Templates::load(render::Templates::locate()))),
      rules_(features::review::load_rules(features::review::locate_rules())),
      registry_(features::build_registry({&rules_, config_.public_url})) {
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
    issues_ = std::make_unique<GoodFirstIssuesOverSearch>(*client_);
    configs_ = std::make_unique<RepoConfigs>(*client_, features::RepoConfig{});
    lists_ = std::make_unique<PullRequestListsOverRest>(*client_);
  }
  if (lists) lists_ = std::move(lists);
  mirrors_ = std::make_unique<history::Mirrors>(
      config_.data_dir / "mirrors", [this](std::int64_t installation) -> std::optional<std::string> {
        if (!client_) return std::nullopt;
        return client_->tokens().token(installation);
      });
  contributors_ = std::make_unique<history::Contributors>(*store_, *mirrors_, merged_.get());
  spdlog::debug("{} review rules loaded from {}", rules_.size(), features::review::locate_rules().string());

  DispatcherOptions options;
  options.threads = config_.worker_threads;
  options.max_attempts = config_.max_attempts;
  options.retry_base = config_.retry_base;
  options.dry_run = config_.dry_run();
  options.claimant = {replica_.owner(), config_.lease.count()};
  options.owner_prefix = owner_prefix();
  Services services{store_.get(), configs_.get(), lists_.get(), contributors_.get(), templates_.get(), issues_.get()};
  dispatcher_ = std::make_unique<Dispatcher>(*store_, registry_, services, metrics_, options);
  watch_store();
}

std::string App::owner_prefix() const { return store_->engine() == store::Engine::sqlite ? "" : replica_.prefix(); }

void App::renew_leases(OutboxSender* sender) {
  std::vector<std::int64_t> lanes;
  try {
    store_->writes().run([&](store::Db& db) {
      auto until = unix_ms() + config_.lease.count();  // from when it is written, not queued
      store::inbox::renew_leases(db, replica_.owner(), until);
      lanes = store::write_lanes::renew(db, replica_.owner(), until);
    });
  } catch (const std::exception& e) {
    spdlog::warn("could not renew this process's claims (they lapse in {} ms unless renewed): {}",
                 config_.lease.count(), e.what());
    return;
  }
  if (sender) sender->lanes_renewed(lanes);
}

void App::heard(std::string_view what, CoinFeed& feed, OutboxSender* sender) {
  if (what == store::notify::delivery) {
    dispatcher_->notify();
  } else if (what == store::notify::write) {
    if (sender) sender->notify();
  } else if (what == store::notify::coin) {
    feed.notify();
  } else if (what.starts_with(store::notify::push_prefix)) {
    std::string repo(what.substr(store::notify::push_prefix.size()));
    if (configs_) configs_->forget(repo);
    if (mirrors_) mirrors_->stale(repo);
  }
}

App::~App() {
  dispatcher_.reset();
  store_->close();
}

// The store's figures in /metrics.
void App::watch_store() {
  auto& batch_size = metrics_.histogram("mentorbot_store_batch_jobs", "Jobs per store commit (group commit)", {},
                                        {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  auto& commit_time = metrics_.histogram("mentorbot_store_commit_seconds", "Time to commit one batch of store jobs",
                                         {}, Metrics::latency_buckets());
  auto& errors = metrics_.counter("mentorbot_database_errors_total",
                                  "Reads and batches of writes the database failed (unreachable, refused)");
  store_->on_error([&errors] { errors.inc(); });
  store_->writes().on_commit([&batch_size, &commit_time](std::size_t jobs, double seconds) {
    batch_size.observe(static_cast<double>(jobs));
    commit_time.observe(seconds);
  });
  auto by_state = [](const std::map<std::string, std::int64_t>& counts) {
    std::vector<std::pair<Labels, double>> out;
    for (const auto& [state, n] : counts) out.push_back({{{"state", state}}, static_cast<double>(n)});
    return out;
  };
  metrics_.gauge("mentorbot_outbox_writes", "GitHub writes waiting in the outbox, by state", [this, by_state] {
    return by_state(store_->read([](store::Db& db) { return store::outbox::open_counts(db); }));
  });
  // Where the memory is: what the allocator holds for live objects and what it keeps free (the
  // gap between these and RSS is pages it has not given back), and SQLite's caches within it.
  metrics_.gauge("mentorbot_heap_bytes", "Bytes the allocator holds, in use and kept free", [] {
    auto m = ::mallinfo2();
    return std::vector<std::pair<Labels, double>>{
        {{{"state", "in_use"}}, static_cast<double>(m.uordblks + m.hblkhd)},
        {{{"state", "free"}}, static_cast<double>(m.fordblks)}};
  });
  if (config_.database.kind == DatabaseUrl::Kind::sqlite) {
    metrics_.gauge("mentorbot_sqlite_memory_bytes", "Bytes SQLite holds: page caches, statements, schema", [] {
      return std::vector<std::pair<Labels, double>>{{{}, static_cast<double>(store::sqlite::memory_used())}};
    });
  }
  // The newcomer pipeline over every repository, the last 90 days (store/pipeline_numbers.hpp).
  auto pipeline_now = [this] {
    auto now = unix_ms();
    store::pipeline::Window window{now - 90LL * 24 * 3600 * 1000, now};
    auto rows = store_->read([&](store::Db& db) { return store::pipeline::rows(db, {}, window.since_ms); });
    return store::pipeline::numbers_of(rows, window, now);
  };
  metrics_.gauge("mentorbot_pipeline_waiting", "Newcomers' pull requests waiting for a first human response now",
                 [pipeline_now] {
                   return std::vector<std::pair<Labels, double>>{
                       {{}, static_cast<double>(pipeline_now().waiting.size())}};
                 });
  metrics_.gauge("mentorbot_pipeline_first_response_median_seconds",
                 "Median time to a first human response on newcomers' pull requests opened in the last 90 days",
                 [pipeline_now] {
                   auto median = pipeline_now().newcomers.median_s;
                   if (!median) return std::vector<std::pair<Labels, double>>{};
                   return std::vector<std::pair<Labels, double>>{{{}, static_cast<double>(*median)}};
                 });
  metrics_.gauge("mentorbot_inbox_deliveries", "Deliveries in the inbox not yet done, by state", [this, by_state] {
    return by_state(store_->read([](store::Db& db) { return store::inbox::counts(db, false); }));
  });
}

App::Served App::serve(const std::string& webhook_secret, int listen_fd) {
  // The main thread waits for the signal; the server and workers run on their own threads.
  // main() blocked SIGINT and SIGTERM before any thread started, and every thread started here
  // inherits that; the main thread takes them once everything runs (one that came during
  // start-up was kept pending, and is handled then).
  replica_.lock();  // one process per data directory: what it left claimed is its own to take back
  net::io_context signals_io;
  net::signal_set signals(signals_io, SIGINT, SIGTERM);
  int signal = 0;
  signals.async_wait([&](boost::system::error_code ec, int s) {
    if (!ec) signal = s;
  });
  std::atomic<bool> registered = false;

  // GitHub writes go out from the outbox, live only (a dry run keeps them there).
  std::unique_ptr<GitHubWritesOverRest> writes;
  std::unique_ptr<OutboxSender> sender;
  if (client_ && !config_.dry_run()) {
    writes = std::make_unique<GitHubWritesOverRest>(*client_, *store_);
    SenderOptions so;
    so.interval = config_.write_interval;
    so.retry_base = config_.retry_base;
    so.settle = config_.github_timeout;
    so.max_attempts = config_.write_attempts;
    so.owner = replica_.owner();
    so.owner_prefix = owner_prefix();
    so.lease_ms = config_.lease.count();
    sender = std::make_unique<OutboxSender>(*store_, *writes, metrics_, so);
  }
  auto writes_planned = [s = sender.get()] {
    if (s) s->notify();
  };

  // Coins committed by the workers go out live to the sprint screens.
  http::EventStream events;
  CoinFeed feed(*store_, events, dispatcher_->executor());
  dispatcher_->on_committed([&feed, writes_planned](const Finished& f) {
    if (!f.handover.plan.writes.empty()) writes_planned();
    if (f.handover.plan.coins_awarded) feed.notify();
  });
  http::SprintScreen screen({*store_, render::Templates::locate() / "web", config_.admin_token,
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

  http::WebhookIngress ingress(webhook_secret, store_->writes(), metrics_, [this] { dispatcher_->notify(); });
  // Without an App (and not a dry run asked for), /setup registers one and this switches to it.
  std::unique_ptr<http::SetupPage> setup;
  // Once registered, before the browser hears so: this server takes no new connection (they
  // wait in the listening socket's backlog for the next one, with the App) and answers the
  // browser with "Connection: close", so nothing after the answer is served without the App.
  std::function<void()> hand_over;
  int handed_fd = -1;
  if (!config_.app_id && !config_.private_key_pem && !config_.force_dry_run) {
    setup = std::make_unique<http::SetupPage>(setup_parts([&] {
      registered = true;
      if (hand_over) hand_over();
      net::post(signals_io, [&signals] { signals.cancel(); });
    }));
  }
  http::Router router({config_.webhook_path, ingress, metrics_, [this] { return store_->reachable(); }, &screen,
                       setup.get()});
  http::ServerOptions options;
  options.host = config_.host;
  options.port = config_.port;
  options.listen_fd = listen_fd;
  options.threads = config_.http_threads ? config_.http_threads : usable_cpus();
  options.read_timeout = config_.read_timeout;
  http::Server server(options, router);
  hand_over = [&server, &handed_fd] {
    handed_fd = server.duplicate_listener();
    server.stop_accepting();
  };
  JanitorOptions janitor_options;
  janitor_options.owner = replica_.owner();
  Janitor janitor(dispatcher_->executor(), *store_, janitor_options);
  NudgeOptions nudge_options;
  nudge_options.dry_run = config_.dry_run();
  nudge_options.every = config_.nudge_interval;
  nudge_options.owner = replica_.owner();
  // Claims on deliveries and write lanes are renewed well before they lapse.
  // On a thread of their own: the workers run at the lowest priority and may wait for the CPU
  // longer than a lease lasts, and a lease that lapses under a live process means two run it.
  net::io_context lease_io;
  auto lease_work = net::make_work_guard(lease_io);
  std::thread lease_thread([&lease_io] {
    pthread_setname_np(pthread_self(), "leases");
    lease_io.run();
  });
  struct StopLeaseThread {
    net::io_context& io;
    std::thread& thread;
    ~StopLeaseThread() {
      io.stop();
      if (thread.joinable()) thread.join();
    }
  } stop_lease_thread{lease_io, lease_thread};
  Periodic leases(lease_io.get_executor(), config_.lease / 3, [this, s = sender.get()] { renew_leases(s); });
  NudgeSweeper nudges(dispatcher_->executor(), *store_, configs_.get(), templates_.get(), nudge_options, writes_planned);
  // Replicas on one PostgreSQL database wake each other (store/notify.hpp): a delivery, a write
  // or a coin stored by any of them is looked at here at once, and a push makes the caches of
  // its repository stale here too. The slow poll is the safety net for a wake-up missed while the
  // listener reconnected; an idle replica costs the database one look per part every 10 s.
  auto look_everywhere = [this, &feed, s = sender.get()] {
    dispatcher_->notify();
    if (s) s->notify();
    feed.notify();
  };
  Periodic slow_poll(lease_io.get_executor(), std::chrono::seconds(10), look_everywhere);
  std::unique_ptr<store::postgres::Listener> listener;

  // The workers call into this scope's parts (the feed, the sender): if starting fails half way,
  // they are stopped before those parts go.
  try {
    server.start();
    dispatcher_->start();
    if (sender) sender->start();
    heartbeat.start();
    leases.start();
    janitor.start();
    nudges.start();
    listener = store_->listen([this, &feed, s = sender.get()](std::string_view what) { heard(what, feed, s); },
                              look_everywhere);
    if (listener) slow_poll.start();
  } catch (...) {
    listener.reset();
    slow_poll.stop();
    server.stop();
    server.join();
    nudges.stop();
    heartbeat.stop();
    leases.stop();
    janitor.stop();
    while (!dispatcher_->stop(config_.shutdown_grace)) {
    }
    if (sender) sender->stop(std::chrono::hours(1));
    dispatcher_->on_committed(nullptr);
    throw;
  }
  spdlog::info("mentorbot {} listening on {}:{} (webhooks at {}), {} HTTP thread(s), {} worker(s), store {}, {}",
               version, config_.host, server.port(), config_.webhook_path, options.threads, config_.worker_threads,
               store_->where(), config_.dry_run() ? "dry-run: GitHub writes are logged, not sent" : "live");

  if (setup) {
    auto base = config_.public_url.empty() ? "http://localhost:" + std::to_string(server.port()) : config_.public_url;
    spdlog::warn("No GitHub App yet. To register one, open this link in a browser: {}/setup?key={}", base,
                 setup_key_);
  }

  auto stopping = stop_signals();
  pthread_sigmask(SIG_UNBLOCK, &stopping, nullptr);
  signals_io.run();

  Served served;
  if (registered) {
    setup->wait();  // the browser has its answer
    served.listen_fd = handed_fd;
    spdlog::info("switching to the GitHub App just registered: finishing what runs in dry-run first");
  } else {
    spdlog::info("{} received: no new connections; finishing the requests and deliveries in progress",
                 signal == SIGTERM ? "SIGTERM" : "SIGINT");
  }
  server.stop();
  // The timers stop while the workers' executor still runs.
  nudges.stop();
  listener.reset();
  slow_poll.stop();
  heartbeat.stop();
  leases.stop();
  janitor.stop();
  // Requests already read still get their answer (their deliveries are committed first).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (server.sessions() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server.join();
  bool drained = dispatcher_->stop(config_.shutdown_grace);
  if (sender) drained = sender->stop(std::chrono::seconds(1)) && drained;
  if (registered) {
    while (!drained) drained = dispatcher_->stop(config_.shutdown_grace);  // the next App needs this one gone
  }
  if (!drained) {
    // Handlers still running hold threads we cannot join; what they were doing is recorded
    // as running and is requeued at the next start.
    store_->close();
    spdlog::info("stopped (some deliveries will be resumed at the next start)");
    std::_Exit(0);
  }
  dispatcher_->on_committed(nullptr);  // every handler is done; the feed goes with this scope
  if (!registered) spdlog::info("stopped cleanly");
  return served;
}

http::SetupParts App::setup_parts(std::function<void()> switch_to_registered) {
  setup_key_ = random_id(16);
  http::SetupParts parts;
  parts.public_url = config_.public_url;
  parts.webhook_path = config_.webhook_path;
  parts.github_url = config_.web_url;
  parts.key = setup_key_;
  parts.default_org = config_.default_org;
  parts.now_ms = [] { return unix_ms(); };
  parts.register_app = [this, switch_to_registered = std::move(switch_to_registered)](const std::string& code) {
    github::HttpClient::Options o;
    o.user_agent = std::string("mentorbot/") + version;
    o.read_timeout = config_.github_timeout;
    auto registration = github::convert_manifest_code(config_.api_base_url, code, o);
    redact_in_logs(registration.private_key_pem);
    redact_in_logs(registration.webhook_secret);
    save_registration(config_.data_dir, registration);
    spdlog::info("registered on GitHub as the App \"{}\" (id {}), kept in {}", registration.name, registration.app_id,
                 registration_file(config_.data_dir).string());
    switch_to_registered();
    return registration;
  };
  return parts;
}

}  // namespace mentorbot::app
