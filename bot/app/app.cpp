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
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/webhook_ingress.hpp"
#include "store/inbox.hpp"

namespace mentorbot::app {

namespace net = boost::asio;

unsigned usable_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

App::App(ServerConfig config, const DatabaseUrl& database)
    : config_(std::move(config)), store_(store::Store::open(database)), registry_(features::build_registry()) {
  DispatcherOptions options;
  options.threads = config_.worker_threads;
  options.max_attempts = config_.max_attempts;
  options.retry_base = config_.retry_base;
  dispatcher_ = std::make_unique<Dispatcher>(*store_, registry_, metrics_, options);
  auto& batch_size = metrics_.histogram("mentorbot_store_batch_jobs", "Jobs per store commit (group commit)", {},
                                        {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  auto& commit_time = metrics_.histogram("mentorbot_store_commit_seconds", "Time to commit one batch of store jobs",
                                         {}, Metrics::latency_buckets());
  store_->writes().on_commit([&batch_size, &commit_time](std::size_t jobs, double seconds) {
    batch_size.observe(static_cast<double>(jobs));
    commit_time.observe(seconds);
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
  http::WebhookIngress ingress(webhook_secret, store_->writes(), metrics_, [this] { dispatcher_->notify(); });
  http::Router router({config_.webhook_path, ingress, metrics_, [this] { return store_->reachable(); }});
  http::ServerOptions options;
  options.host = config_.host;
  options.port = config_.port;
  options.threads = config_.http_threads ? config_.http_threads : usable_cpus();
  options.read_timeout = config_.read_timeout;
  http::Server server(options, router);
  server.start();
  dispatcher_->start();
  janitor_ = std::make_unique<Janitor>(dispatcher_->executor(), *store_, JanitorOptions{});
  janitor_->start();
  spdlog::info("mentorbot {} listening on {}:{} (webhooks at {}), {} HTTP thread(s), {} worker(s), store {}, {}",
               version, config_.host, server.port(), config_.webhook_path, options.threads, config_.worker_threads,
               store_->path(), config_.dry_run() ? "dry-run: GitHub writes are logged, not sent" : "live");

  // The main thread waits for the signal; the server and workers run on their own threads.
  net::io_context signals_io;
  net::signal_set signals(signals_io, SIGINT, SIGTERM);
  int signal = 0;
  signals.async_wait([&](boost::system::error_code ec, int s) {
    if (!ec) signal = s;
  });
  signals_io.run();

  spdlog::info("{} received: no new connections; finishing the requests and deliveries in progress",
               signal == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();
  // Requests already read still get their answer (their deliveries are committed first).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (server.sessions() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server.join();
  bool drained = dispatcher_->stop(config_.shutdown_grace);
  if (!drained) {
    // Handlers still running hold threads we cannot join; what they were doing is recorded
    // as running and is requeued at the next start.
    store_->close();
    spdlog::info("stopped (some deliveries will be resumed at the next start)");
    std::_Exit(0);
  }
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace mentorbot::app
