// What PostgreSQL costs per delivery, and that several replicas lose and repeat nothing: in one
// run, one replica on SQLite, one on PostgreSQL and three on PostgreSQL (sharing one database)
// take the same load of first-timers' pull_request.opened webhooks against one fake GitHub,
// writes unpaced. Per set-up: acknowledged webhooks/s, end-to-end comments/s (until every
// welcome is on the fake), p50/p99 acknowledgement latency, CPU per delivery of the bots and of
// PostgreSQL (its server processes, from /proc), and lost or repeated welcomes. One machine
// cannot show a speed-up from more replicas; the comparison is the cost, measured side by side.
//
//   replica_bench [--deliveries 2000] [--senders 8]
// PostgreSQL runs with its defaults (fsync on), in a cluster of its own (tests/support/pg-cluster.sh).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres.hpp"
#include "support/bot_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/world.hpp"

using namespace testing;
using Clock = std::chrono::steady_clock;

namespace {

double ticks_to_s(long long ticks) { return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK)); }

// utime + stime (+ cutime + cstime: children it waited for) of one process, in seconds.
double cpu_of(pid_t pid, bool with_children = false) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::vector<std::string> f;
  for (std::string x; fields >> x;) f.push_back(x);
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
  if (f.size() < 15) return 0;
  long long t = std::stoll(f[11]) + std::stoll(f[12]);
  if (with_children) t += std::stoll(f[13]) + std::stoll(f[14]);
  return ticks_to_s(t);
}

pid_t parent_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string state;
  pid_t ppid = 0;
  fields >> state >> ppid;
  return ppid;
}

// The server's CPU: the postmaster (with the children it reaped) and its live children.
double postgres_cpu(pid_t postmaster) {
  double total = cpu_of(postmaster, true);
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    auto name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    auto pid = static_cast<pid_t>(std::stol(name));
    if (parent_of(pid) == postmaster) total += cpu_of(pid);
  }
  return total;
}

class Cluster {
 public:
  Cluster() {
    run("start");
    std::ifstream in(state_);
    std::getline(in, admin_url_);
    std::ifstream dir_file(state_ + ".dir");
    std::string dir;
    std::getline(dir_file, dir);
    std::ifstream pid_file(dir + "/data/postmaster.pid");
    pid_file >> postmaster_;
    dir_path_ = dir;
    // Waits on locks longer than a second are worth knowing about: they go to the server's log,
    // kept beside the results (replica_bench-postgres.log).
    mentorbot::store::postgres::open({admin_url_}).exec("ALTER SYSTEM SET log_lock_waits = on");
    mentorbot::store::postgres::open({admin_url_}).exec("SELECT pg_reload_conf()");
  }
  ~Cluster() {
    std::error_code ec;
    std::filesystem::copy_file(dir_path_ + "/server.log", "replica_bench-postgres.log",
                               std::filesystem::copy_options::overwrite_existing, ec); std::system(("bash " + script() + " stop " + state_ + " >/dev/null 2>&1").c_str()); }
  std::string create(const std::string& name) {
    mentorbot::store::postgres::open({admin_url_}).exec(("CREATE DATABASE " + name).c_str());
    return admin_url_.substr(0, admin_url_.rfind('/') + 1) + name;
  }
  pid_t postmaster() const { return postmaster_; }

 private:
  static std::string script() { return std::string(MENTORBOT_FIXTURES) + "/../support/pg-cluster.sh"; }
  void run(const std::string& verb) {
    if (std::system(("PG_DURABLE=1 bash " + script() + " " + verb + " " + state_ + " >/dev/null").c_str()) != 0) {
      throw std::runtime_error("pg-cluster.sh " + verb + " failed");
    }
  }
  TempDir dir_;
  std::string state_ = dir_ / "cluster.url";
  std::string admin_url_;
  pid_t postmaster_ = 0;
  std::string dir_path_;
};

struct Result {
  std::string name;
  int acked = 0, refused = 0;
  double acks_per_s = 0, comments_per_s = 0, p50_ms = 0, p99_ms = 0;
  double bot_cpu_ms = 0, pg_cpu_ms = 0;  // per delivery
  std::size_t comments = 0, duplicates = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

Result run(const std::string& name, int replicas, const std::string& database, Cluster* cluster, int deliveries,
           int senders) {
  World w;
  const std::string secret = "replica-bench-secret-0123456789";
  std::vector<std::unique_ptr<TempDir>> dirs;
  std::vector<std::unique_ptr<BotProcess>> bots;
  for (int r = 0; r < replicas; ++r) {
    dirs.push_back(std::make_unique<TempDir>());
    auto env = w.env();
    env["WEBHOOK_SECRET"] = secret;
    env["MENTORBOT_DATA_DIR"] = dirs.back()->path().string();
    env["MENTORBOT_WRITE_INTERVAL_MS"] = "0";
    env["LOG_LEVEL"] = "warn";
    env["LOG_FORMAT"] = "json";
    env["MENTORBOT_DATABASE"] = database.empty() ? "sqlite:" + (dirs.back()->path() / "mentorbot.db").string() : database;
    bots.push_back(std::make_unique<BotProcess>(env, *dirs.back() / "bot.log"));
    bots.back()->wait_ready();
  }
  // Bodies made before the clock starts: PR numbers 1000…
  std::vector<std::string> bodies;
  for (int i = 0; i < deliveries; ++i) bodies.push_back(w.first_timer_pr(1000 + i));
  // Warm-up: each replica mirrors the repository once (not what is measured).
  for (int r = 0; r < replicas; ++r) post_webhook(bots[r]->port(), secret, "pull_request", name + "-warm-" + std::to_string(r), w.first_timer_pr(900 + r));
  eventually([&] { return w.github.comment_count() >= static_cast<std::size_t>(replicas); }, std::chrono::seconds(60));
  auto warm_comments = w.github.comment_count();

  std::vector<double> bot_cpu0;
  for (auto& b : bots) bot_cpu0.push_back(cpu_of(b->pid()));
  double pg0 = cluster ? postgres_cpu(cluster->postmaster()) : 0;
  std::atomic<int> next{0};
  std::mutex mutex;
  std::vector<double> latencies;
  Result res;
  res.name = name;
  auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < senders; ++s) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      int acked = 0, refused = 0;
      for (int i; (i = next++) < deliveries;) {
        auto& bot = *bots[static_cast<std::size_t>(i % replicas)];
        auto t0 = Clock::now();
        auto r = post_webhook(bot.port(), secret, "pull_request", name + "-" + std::to_string(i), bodies[i]);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        (r.status == 202 ? acked : refused)++;
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
      res.acked += acked;
      res.refused += refused;
    });
  }
  for (auto& t : threads) t.join();
  auto acked_at = Clock::now();
  auto want = warm_comments + static_cast<std::size_t>(res.acked);
  eventually([&] { return w.github.comment_count() >= want; }, std::chrono::seconds(300));
  auto commented_at = Clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a duplicate would show up now
  double bot_cpu = 0;
  for (std::size_t b = 0; b < bots.size(); ++b) bot_cpu += cpu_of(bots[b]->pid()) - bot_cpu0[b];
  double pg_cpu = cluster ? postgres_cpu(cluster->postmaster()) - pg0 : 0;

  res.acks_per_s = res.acked / std::chrono::duration<double>(acked_at - started).count();
  res.comments_per_s = static_cast<double>(w.github.comment_count() - warm_comments) /
                       std::chrono::duration<double>(commented_at - started).count();
  res.p50_ms = percentile(latencies, 0.50);
  res.p99_ms = percentile(latencies, 0.99);
  res.bot_cpu_ms = bot_cpu * 1000 / deliveries;
  res.pg_cpu_ms = pg_cpu * 1000 / deliveries;
  res.comments = 0;
  for (int i = 0; i < deliveries; ++i) {
    auto n = w.github.comments(world_repo, 1000 + i).size();
    res.comments += n;
    if (n > 1) res.duplicates += n - 1;
  }
  for (int r = 0; r < replicas; ++r) {  // the warm-up pull requests too
    auto n = w.github.comments(world_repo, 900 + r).size();
    if (n != 1) std::fprintf(stderr, "%s: warm-up pull request #%d has %zu comments\n", name.c_str(), 900 + r, n);
    if (n > 1) res.duplicates += n - 1;
  }
  return res;
}

}  // namespace

int main(int argc, char** argv) {
  int deliveries = 2000, senders = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--deliveries") deliveries = std::atoi(argv[i + 1]);
    if (flag == "--senders") senders = std::atoi(argv[i + 1]);
  }
  Cluster cluster;
  std::vector<Result> results;
  results.push_back(run("sqlite-1", 1, "", nullptr, deliveries, senders));
  results.push_back(run("postgresql-1", 1, cluster.create("bench_one"), &cluster, deliveries, senders));
  results.push_back(run("postgresql-3", 3, cluster.create("bench_three"), &cluster, deliveries, senders));
  std::printf("%-14s %8s %8s %10s %11s %8s %8s %12s %12s %9s %5s\n", "set-up", "acked", "refused", "acks/s",
              "comments/s", "p50 ms", "p99 ms", "bot CPU ms", "pg CPU ms", "comments", "dups");
  for (const auto& r : results) {
    std::printf("%-14s %8d %8d %10.0f %11.0f %8.2f %8.2f %12.3f %12.3f %9zu %5zu\n", r.name.c_str(), r.acked,
                r.refused, r.acks_per_s, r.comments_per_s, r.p50_ms, r.p99_ms, r.bot_cpu_ms, r.pg_cpu_ms, r.comments,
                r.duplicates);
  }
  bool ok = true;
  for (const auto& r : results) ok = ok && r.refused == 0 && r.duplicates == 0 && r.comments == static_cast<std::size_t>(r.acked);
  std::printf("REPLICA_BENCH %s\n", ok ? "nothing lost or repeated" : "LOST OR REPEATED WORK");
  return ok ? 0 : 1;
}
