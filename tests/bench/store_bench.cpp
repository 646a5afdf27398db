// How much a durable delivery costs the store, two ways, in one process on one disk:
//   blob:  the payload as an SQLite BLOB in the delivery row (WAL, synchronous=FULL, 16 KiB pages)
//   log:   mentorbot's store: the payload in the payload log (O_DIRECT|O_DSYNC), the row in SQLite
// Both commit in groups of 32 (as 32 concurrent webhooks would) and are durable at each commit.
//
//   store_bench [--deliveries N] [--dir DIR] [--payload FILE]
// Prints per-delivery CPU and wall time for each, and the ratio blob/log, then STORE_BENCH_JSON.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>

#include "store/inbox.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "support/files.hpp"

using namespace mentorbot;
using Clock = std::chrono::steady_clock;

namespace {

double cpu_seconds() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

struct Result {
  double cpu_us, wall_us;
};

constexpr int group = 32;

Result blob(const std::string& path, const std::string& payload, int n) {
  store::Db db = store::sqlite::open(path, store::sqlite::Mode::read_write);
  db.exec("PRAGMA page_size = 16384");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("CREATE TABLE deliveries (seq INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, event TEXT, body BLOB)");
  auto cpu0 = cpu_seconds();
  auto t0 = Clock::now();
  for (int i = 0; i < n; i += group) {
    store::Txn txn(db);
    for (int j = i; j < std::min(n, i + group); ++j) {
      db.cached("INSERT OR IGNORE INTO deliveries (guid, event, body) VALUES (?1, ?2, ?3)")
          .bind(1, "guid-" + std::to_string(j))
          .bind(2, "pull_request")
          .bind_blob(3, payload)
          .run();
    }
    txn.commit();
  }
  return {(cpu_seconds() - cpu0) / n * 1e6, std::chrono::duration<double>(Clock::now() - t0).count() / n * 1e6};
}

Result log(const std::string& path, const std::string& payload, int n) {
  auto store = store::Store::open({DatabaseUrl::Kind::sqlite, path});
  auto shared = std::make_shared<const std::string>(payload);
  auto cpu0 = cpu_seconds();
  auto t0 = Clock::now();
  for (int i = 0; i < n; i += group) {
    std::vector<std::promise<void>> done(static_cast<std::size_t>(std::min(group, n - i)));
    for (int j = i; j < std::min(n, i + group); ++j) {
      auto d = std::make_shared<store::inbox::NewDelivery>();
      d->guid = "guid-" + std::to_string(j);
      d->event = "pull_request";
      store->writes().submit_with_payload(
          shared, store::inbox::describe(*d), [d](store::Db& db, const store::PayloadPlace& ref) { store::inbox::insert(db, *d, ref); },
          [&done, k = j - i](std::exception_ptr) { done[static_cast<std::size_t>(k)].set_value(); });
    }
    for (auto& p : done) p.get_future().wait();
  }
  Result r{(cpu_seconds() - cpu0) / n * 1e6, std::chrono::duration<double>(Clock::now() - t0).count() / n * 1e6};
  store->close();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 6400;
  std::string dir = "/var/tmp";
  std::string payload_file = std::string(MENTORBOT_FIXTURES) + "/github-webhooks/pull_request/opened.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--deliveries") n = std::atoi(argv[i + 1]);
    if (k == "--dir") dir = argv[i + 1];
    if (k == "--payload") payload_file = argv[i + 1];
  }
  auto payload = testing::read_file(payload_file);
  auto work = std::filesystem::path(dir) / ("mentorbot-store-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(work);
  auto b = blob((work / "blob.db").string(), payload, n);
  auto l = log((work / "log.db").string(), payload, n);
  std::filesystem::remove_all(work);
  std::printf("%d deliveries of %zu bytes, committed %d at a time, on %s\n", n, payload.size(), group, dir.c_str());
  std::printf("  blob in SQLite:        %6.1f us CPU, %6.1f us wall per delivery\n", b.cpu_us, b.wall_us);
  std::printf("  payload log + row:     %6.1f us CPU, %6.1f us wall per delivery\n", l.cpu_us, l.wall_us);
  std::printf("  ratio blob / log:      %6.2fx CPU, %6.2fx wall\n", b.cpu_us / l.cpu_us, b.wall_us / l.wall_us);
  std::printf("STORE_BENCH_JSON {\"deliveries\":%d,\"payload_bytes\":%zu,\"blob_cpu_us\":%.2f,\"blob_wall_us\":%.2f,"
              "\"log_cpu_us\":%.2f,\"log_wall_us\":%.2f}\n",
              n, payload.size(), b.cpu_us, b.wall_us, l.cpu_us, l.wall_us);
}
