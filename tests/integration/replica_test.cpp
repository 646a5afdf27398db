// Three replicas on one PostgreSQL database and one fake GitHub, under load, with one replica
// killed (kill -9) and restarted half-way and another stopped (SIGTERM): nothing acknowledged is
// lost, nothing is done twice, each pull request's deliveries run in order, each installation's
// writes keep the pace, and a viewer of the sprint screen on every replica sees every coin once.
//
// It runs in the PostgreSQL pass of the suite ([postgresql-only]); by hand:
//   build/tests/integration_tests "[replicas]" --backend postgresql --pg-url-file FILE
// (FILE from tests/support/pg-cluster.sh start FILE). REPLICA_TEST_KEEP_LOGS=DIR keeps the
// replicas' logs.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include <boost/json.hpp>

#include "store/coins.hpp"
#include "store/inbox.hpp"
#include "store/outbox.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"
#include "support/bot_process.hpp"
#include "support/files.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "support/world.hpp"

using namespace testing;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr int replicas = 3;
constexpr int pull_requests = 300;
constexpr int installations = 5;
// 300 pull requests × (opened + 8 synchronize + closed as merged) = 3,000 deliveries.
constexpr int synchronizes = 8;
constexpr int per_pr = synchronizes + 2;
constexpr int interval_ms = 20;

// Pull request `n`: its own first-time author and one of five installations.
std::string event_of(World& w, int n, int step) {
  std::string action = step == 0 ? "opened" : step == per_pr - 1 ? "closed" : "synchronize";
  auto v = json::parse(w.pr_event(action, n, w.head));
  auto& o = v.as_object();
  o["installation"].as_object()["id"] = 1 + n % installations;
  auto& pr = o["pull_request"].as_object();
  pr["user"].as_object()["login"] = "newcomer-" + std::to_string(n);
  if (action == "closed") {
    pr["merged"] = true;
    pr["merged_at"] = "2026-12-03T12:00:00Z";
    pr["state"] = "closed";
  }
  return json::serialize(v);
}

// The replicas, as the load balancer sees them: a port each, and whether it is up.
struct Fleet {
  std::array<std::unique_ptr<BotProcess>, replicas> bots;
  std::array<std::atomic<std::uint16_t>, replicas> ports{};
  std::array<std::atomic<bool>, replicas> up{};
  std::array<Env, replicas> envs;
  std::array<std::unique_ptr<TempDir>, replicas> dirs;
  int starts = 0;

  void start(int r) {
    bots[r] = std::make_unique<BotProcess>(envs[r], *dirs[r] / ("bot-" + std::to_string(++starts) + ".log"));
    bots[r]->wait_ready();
    ports[r] = bots[r]->port();
    up[r] = true;
  }
};

// A viewer of the live coin events that, like a browser's EventSource, reconnects to a replica
// that is up with Last-Event-ID when its stream ends.
class Viewer {
 public:
  Viewer(Fleet& fleet, int first) : fleet_(fleet), replica_(first) {}
  void run(const std::atomic<bool>& stop) {
    while (!stop) {
      if (!fleet_.up[replica_]) {
        replica_ = (replica_ + 1) % replicas;
        continue;
      }
      read_stream(fleet_.ports[replica_], stop);
      if (!stop) std::this_thread::sleep_for(100ms);
    }
  }
  std::vector<long> ids() const {
    std::lock_guard lock(mutex_);
    return ids_;
  }
  bool connected() const { return connected_; }

 private:
  void read_stream(std::uint16_t port, const std::atomic<bool>& stop) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return;
    }
    std::string request = "GET /api/events HTTP/1.1\r\nHost: test\r\n";
    if (last_ >= 0) request += "Last-Event-ID: " + std::to_string(last_) + "\r\n";
    request += "\r\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    connected_ = true;
    std::string buffer;
    char chunk[8192];
    while (!stop) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(n));
      // Message by message, as an EventSource reads them: every id it is sent (a coin's, or the
      // bare one that says where its stream starts) is the Last-Event-ID of its next connection.
      // Chunk framing ("<hex>\r\n") ends up in front of a message and holds no "id: ".
      for (std::size_t end; (end = buffer.find("\n\n")) != std::string::npos;) {
        std::string message = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        auto id_at = message.find("id: ");
        if (id_at == std::string::npos) continue;
        long id = std::stol(message.substr(id_at + 4));
        if (message.find("\nevent: coin\n") != std::string::npos) {
          std::lock_guard lock(mutex_);
          ids_.push_back(id);
        }
        last_ = id;
      }
    }
    ::close(fd);
  }

  Fleet& fleet_;
  int replica_;
  long last_ = -1;
  std::atomic<bool> connected_{false};
  mutable std::mutex mutex_;
  std::vector<long> ids_;
};

}  // namespace

TEST_CASE("three replicas, one killed and one stopped: everything once, in order, paced, seen by every viewer",
          "[replicas][postgresql-only]") {
  REQUIRE(backend() == Backend::postgresql);  // several replicas need PostgreSQL: never skipped
  World w;
  TestDatabase database;
  const std::string secret = "replica-test-secret-0123456789";
  Fleet fleet;
  for (int r = 0; r < replicas; ++r) {
    fleet.dirs[r] = std::make_unique<TempDir>();
    fleet.envs[r] = w.env(test_app_key().private_pkcs1,
                          {{"WEBHOOK_SECRET", secret},
                           {"MENTORBOT_DATA_DIR", fleet.dirs[r]->path().string()},
                           {"MENTORBOT_DATABASE", database.setting()},
                           {"MENTORBOT_WRITE_INTERVAL_MS", std::to_string(interval_ms)},
                           {"MENTORBOT_LEASE_MS", "2000"},
                           {"LOG_LEVEL", "info"},
                           {"LOG_FORMAT", "json"}});
    fleet.start(r);
  }

  std::atomic<bool> stop_viewers{false};
  std::vector<std::unique_ptr<Viewer>> viewers;
  std::vector<std::thread> viewer_threads;
  struct JoinViewers {
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~JoinViewers() {
      stop = true;
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } join_viewers{stop_viewers, viewer_threads};
  for (int r = 0; r < replicas; ++r) {
    viewers.push_back(std::make_unique<Viewer>(fleet, r));
    viewer_threads.emplace_back([&, r] { viewers[r]->run(stop_viewers); });
  }
  REQUIRE(eventually([&] { return std::all_of(viewers.begin(), viewers.end(), [](auto& v) { return v->connected(); }); }));

  // Senders: one pull request's deliveries in order, each after the previous was answered;
  // round robin over the replicas that are up; a refused or failed one is sent to another.
  std::atomic<int> acks{0}, duplicates_sent{0}, next_send{0};
  std::mutex mutex;
  std::set<std::string> acknowledged;
  auto deliver = [&](const std::string& guid, const std::string& body) {
    for (;;) {
      int r = next_send++ % replicas;
      if (!fleet.up[r]) continue;
      auto res = post_webhook(fleet.ports[r], secret, "pull_request", guid, body);
      if (res.status == 202 || res.status == 200) {
        if (++acks % 50 == 0) {
          // A load balancer's retry: the same delivery to another replica.
          int other = (r + 1) % replicas;
          if (fleet.up[other]) {
            post_webhook(fleet.ports[other], secret, "pull_request", guid, body);
            ++duplicates_sent;
          }
        }
        std::lock_guard lock(mutex);
        acknowledged.insert(guid);
        return;
      }
      std::this_thread::sleep_for(20ms);
    }
  };
  std::atomic<int> next_pr{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 8; ++t) {
    senders.emplace_back([&] {
      for (int n; (n = next_pr++) < pull_requests;) {
        for (int step = 0; step < per_pr; ++step) {
          deliver("pr-" + std::to_string(n) + "-" + std::to_string(step), event_of(w, 100 + n, step));
        }
      }
    });
  }
  // Half-way, replica 0 dies and comes back; later replica 1 is stopped for good.
  while (acks < pull_requests * per_pr / 2) std::this_thread::sleep_for(5ms);
  fleet.up[0] = false;
  fleet.bots[0]->kill9();
  // Down for longer than a lease: the others take over what it had claimed, deliveries and
  // installation lanes alike, before it comes back.
  std::this_thread::sleep_for(3500ms);
  fleet.start(0);
  while (acks < pull_requests * per_pr * 4 / 5) std::this_thread::sleep_for(5ms);
  fleet.up[1] = false;
  CHECK(fleet.bots[1]->terminate() == 0);
  for (auto& s : senders) s.join();

  auto store = mentorbot::store::Store::open_read_only(database.url());
  std::map<std::string, std::int64_t> in, out;
  bool idle = eventually(
      [&] {
        in = store->read([](mentorbot::store::Db& db) { return mentorbot::store::inbox::counts(db, true); });
        out = store->read([](mentorbot::store::Db& db) { return mentorbot::store::outbox::open_counts(db); });
        return in["pending"] == 0 && in["running"] == 0 && out["pending"] == 0 && out["sending"] == 0;
      },
      120s);
  INFO("deliveries pending " << in["pending"] << ", running " << in["running"] << ", failed " << in["failed"]
                             << "; writes pending " << out["pending"] << ", sending " << out["sending"]);
  if (!idle) {
    store->read([](mentorbot::store::Db& db) {
      auto s = db.prepare("SELECT installation_id, owner, lease_until, next_send_at FROM write_lanes");
      while (s.step()) WARN("lane " << s.int64(0) << " " << s.opt_text(1).value_or("-") << " " << s.int64(2) << " " << s.int64(3));
      auto d = db.prepare("SELECT seq, guid, state, owner, lease_until, lane FROM deliveries WHERE state IN ('pending','running') ORDER BY seq LIMIT 5");
      while (d.step()) WARN("delivery " << d.int64(0) << " " << d.text(1) << " " << d.text(2) << " " << d.opt_text(3).value_or("-") << " " << d.opt_int64(4).value_or(0) << " " << d.text(5));
      return 0;
    });
    WARN("now " << mentorbot::unix_ms());
    for (int r = 0; r < replicas; ++r) {
      for (const auto& f : std::filesystem::directory_iterator(fleet.dirs[r]->path())) {
        if (f.path().extension() != ".log") continue;
        std::istringstream lines(read_file(f.path().string()));
        int shown = 0;
        for (std::string line; std::getline(lines, line) && shown < 8;) {
          if (line.find("\"level\":\"error\"") != std::string::npos || line.find("\"level\":\"warn\"") != std::string::npos) {
            WARN(f.path().filename().string() << ": " << line.substr(0, 400));
            ++shown;
          }
        }
      }
    }
  }
  REQUIRE(idle);

  // Every acknowledged delivery is done, and there are no others.
  REQUIRE(acknowledged.size() == static_cast<std::size_t>(pull_requests * per_pr));
  auto rows = store->read([](mentorbot::store::Db& db) {
    return mentorbot::store::inbox::list(db, mentorbot::store::inbox::Filter::all, 100'000);
  });
  CHECK(rows.size() == acknowledged.size());
  std::size_t not_done = 0;
  for (const auto& row : rows) not_done += row.state != "done";
  for (const auto& row : rows) {
    if (row.state != "done") WARN(row.guid << " " << row.state << ": " << row.last_error.value_or(""));
  }
  CHECK(not_done == 0);

  // Each pull request's deliveries finished in arrival order.
  std::map<std::int64_t, std::vector<const mentorbot::store::inbox::Row*>> by_pr;
  for (const auto& row : rows) by_pr[*row.number].push_back(&row);
  int out_of_order = 0;
  for (auto& [number, list] : by_pr) {
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
    for (std::size_t i = 1; i < list.size(); ++i) out_of_order += *list[i]->finished_at < *list[i - 1]->finished_at;
  }
  CHECK(out_of_order == 0);

  // Every comment once (by its hidden marker), a welcome and a coin per pull request.
  std::map<std::string, int> markers;
  std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> writes_by_installation;
  for (int n = 0; n < pull_requests; ++n) {
    for (const auto& c : w.github.comments(world_repo, 100 + n)) {
      auto at = c.body.find("<!-- mentorbot:");
      if (at != std::string::npos) ++markers[c.body.substr(at, c.body.find(" -->", at) - at)];
      writes_by_installation[w.github.installation_of(c.created_by)].push_back(c.at);
    }
  }
  int repeated = 0;
  for (const auto& [marker, count] : markers) repeated += count > 1;
  CHECK(repeated == 0);
  CHECK(markers.size() == static_cast<std::size_t>(2 * pull_requests));  // welcome + coin comment

  // No coin twice: one per merged pull request.
  auto coins = store->read([](mentorbot::store::Db& db) { return mentorbot::store::coins::since(db, 0, 100'000); });
  CHECK(coins.size() == static_cast<std::size_t>(pull_requests));

  // Each installation's writes at least the interval apart, whichever replica sent them (the
  // fake knows each token's installation; 1 ms of slack for the clocks' granularity).
  double closest_ms = 1e9;
  for (auto& [installation, times] : writes_by_installation) {
    std::sort(times.begin(), times.end());
    for (std::size_t i = 1; i < times.size(); ++i) {
      closest_ms = std::min(closest_ms, std::chrono::duration<double, std::milli>(times[i] - times[i - 1]).count());
    }
  }
  INFO("closest two writes of one installation: " << closest_ms << " ms");
  CHECK(writes_by_installation.size() == static_cast<std::size_t>(installations));
  CHECK(closest_ms >= interval_ms - 1);

  // Every viewer saw every coin once, in ledger order.
  std::vector<long> ledger;
  for (const auto& c : coins) ledger.push_back(static_cast<long>(c.id));
  CHECK(eventually([&] {
    return std::all_of(viewers.begin(), viewers.end(), [&](auto& v) { return v->ids().size() >= ledger.size(); });
  }, 30s));
  stop_viewers = true;
  for (auto& t : viewer_threads) t.join();
  for (const auto& v : viewers) {
    auto seen = v->ids();
    std::vector<long> missing, extra;
    std::set_difference(ledger.begin(), ledger.end(), seen.begin(), seen.end(), std::back_inserter(missing));
    std::set<long> once;
    for (auto id : seen) {
      if (!once.insert(id).second) extra.push_back(id);
    }
    INFO("missing " << Catch::Detail::stringify(missing) << ", more than once " << Catch::Detail::stringify(extra));
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(seen == ledger);
  }

  CHECK(duplicates_sent > 0);
  if (const char* keep = std::getenv("REPLICA_TEST_KEEP_LOGS")) {
    for (int r = 0; r < replicas; ++r) {
      for (const auto& f : std::filesystem::directory_iterator(fleet.dirs[r]->path())) {
        if (f.path().extension() == ".log") std::filesystem::copy_file(f.path(), std::filesystem::path(keep) / ("r" + std::to_string(r) + "-" + f.path().filename().string()), std::filesystem::copy_options::overwrite_existing);
      }
    }
  }
  WARN("acknowledged " << acknowledged.size() << ", sent again to a second replica " << duplicates_sent
                       << ", coins " << coins.size() << ", comments " << markers.size()
                       << ", closest writes of one installation " << closest_ms << " ms");
}
