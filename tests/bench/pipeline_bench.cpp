// What the newcomer pipeline's numbers cost on a repository with a real past: N pull requests
// (2,000 by default) on the tests' fake GitHub, backfilled by `mentorbot backfill` into a running
// `mentorbot serve`, then GET /api/pipeline, /pipeline and /api/pipeline.csv asked M times each,
// beside GET /healthz (the same server, the same connection handling, no store work) as the
// baseline of the same run.
//
//   pipeline_bench [--prs 2000] [--requests 200] [--browser]
// Prints the backfill's time and rows, then per route the median and p95 latency in ms and the
// ratio to /healthz, then PIPELINE_BENCH_JSON. --browser: then how long /pipeline takes to render
// in headless Chromium (tests/browser/pipeline_render.mjs), beside /healthz.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "support/bot_process.hpp"
#include "support/http_client.hpp"
#include "support/world.hpp"

using namespace testing;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing {
  double median_ms = 0;
  double p95_ms = 0;
  std::size_t bytes = 0;
  bool all_ok = true;
};

Timing measure(std::uint16_t port, const std::string& target, int requests) {
  std::vector<double> ms;
  Timing t;
  for (int i = 0; i < requests; ++i) {
    auto start = Clock::now();
    auto r = http_get(port, target);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    t.all_ok = t.all_ok && r.status == 200;
    t.bytes = r.body.size();
  }
  std::sort(ms.begin(), ms.end());
  t.median_ms = ms[ms.size() / 2];
  t.p95_ms = ms[std::min(ms.size() - 1, ms.size() * 95 / 100)];
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int prs = 2000;
  int requests = 200;
  bool browser = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--browser")) browser = true;
    if (i + 1 < argc && !std::strcmp(argv[i], "--prs")) prs = std::stoi(argv[i + 1]);
    if (i + 1 < argc && !std::strcmp(argv[i], "--requests")) requests = std::stoi(argv[i + 1]);
  }
  World w;
  w.add_past_pulls(world_repo, prs);
  RunningBot bot(w.env(test_app_key().private_pkcs1, {{"LOG_LEVEL", "info"}}));
  auto start = Clock::now();
  auto backfill = run_mentorbot({"backfill", world_repo, "--installation", "1"}, bot.env(), std::chrono::seconds(600));
  double backfill_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("backfill of %d pull requests: exit %d in %.1f s: %s", prs, backfill.exit_code, backfill_s,
              backfill.out.c_str());
  if (backfill.exit_code != 0) {
    std::fprintf(stderr, "%s\n", backfill.err.c_str());
    return 1;
  }
  const std::string query = "?repo=" + world_repo;
  // A first request of each warms the caches the way a running server's would be.
  for (const char* path : {"/healthz", "/api/pipeline", "/pipeline", "/api/pipeline.csv"}) {
    http_get(bot.port(), std::string(path) + (std::strcmp(path, "/healthz") ? query : ""));
  }
  auto base = measure(bot.port(), "/healthz", requests);
  struct Row {
    const char* name;
    Timing t;
  };
  std::vector<Row> rows = {{"/api/pipeline", measure(bot.port(), "/api/pipeline" + query, requests)},
                           {"/pipeline", measure(bot.port(), "/pipeline" + query, requests)},
                           {"/api/pipeline.csv", measure(bot.port(), "/api/pipeline.csv" + query, requests)}};
  std::printf("%-20s %10s %10s %10s %12s\n", "route", "median ms", "p95 ms", "bytes", "x /healthz");
  std::printf("%-20s %10.2f %10.2f %10zu %12s\n", "/healthz", base.median_ms, base.p95_ms, base.bytes, "1.0");
  boost::json::object out{{"prs", prs}, {"requests", requests}, {"backfill_s", backfill_s},
                          {"healthz_median_ms", base.median_ms}};
  bool ok = base.all_ok;
  for (const auto& r : rows) {
    std::printf("%-20s %10.2f %10.2f %10zu %12.1f\n", r.name, r.t.median_ms, r.t.p95_ms, r.t.bytes,
                r.t.median_ms / base.median_ms);
    out[std::string(r.name) + " median_ms"] = r.t.median_ms;
    out[std::string(r.name) + " p95_ms"] = r.t.p95_ms;
    ok = ok && r.t.all_ok;
  }
  std::printf("PIPELINE_BENCH_JSON %s\n", boost::json::serialize(out).c_str());
  if (browser) {
    std::fflush(stdout);
    auto command = "bash " MENTORBOT_SOURCE_DIR "/tests/browser/node.sh pipeline_render.mjs http://127.0.0.1:" +
                   std::to_string(bot.port()) + " '" + query + "' 20";
    ok = std::system(command.c_str()) == 0 && ok;
  }
  return ok ? 0 : 1;
}
