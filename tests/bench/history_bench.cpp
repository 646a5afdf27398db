// The author index against `git log --format='%aN %aE' | sort -u`, on the same repository in
// the same run (see history-bench.sh, which makes the repository):
//   history_bench --repo DIR [--branch main] [--runs 3] [--append-cmd CMD]
// 1. the bar: git log … | sort -u, median of --runs;
// 2. a full index build (every commit read, .mailmap applied), median of --runs; as a ratio;
// 3. warm lookups (by address, by login, misses): p50/p99 of single queries;
// 4. after CMD adds commits to the branch (history-bench.sh appends 100), the incremental update;
// 5. peak RSS of this process.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "history/author_index.hpp"
#include "history/contributors.hpp"
#include "history/git.hpp"

using namespace mentorbot::history;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double run_shell(const std::string& command) {
  auto t = Clock::now();
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "failed: %s\n", command.c_str());
    std::exit(1);
  }
  return seconds_since(t);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, branch = "main", append;
  int runs = 3;

  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--repo") dir = argv[i + 1];
    if (k == "--branch") branch = argv[i + 1];
    if (k == "--runs") runs = std::atoi(argv[i + 1]);
    if (k == "--append-cmd") append = argv[i + 1];

  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: history_bench --repo DIR [--branch main] [--runs 3] [--append-cmd CMD]\n");
    return 2;
  }
  LibGit2 libgit2;
  auto repo = open_repository(dir);
  git_oid tip;
  git_check(git_reference_name_to_id(&tip, repo.get(), ("refs/heads/" + branch).c_str()), "branch");

  std::vector<double> bar, build;
  std::size_t commits = 0, people = 0;
  std::unique_ptr<AuthorIndex> index;
  for (int r = 0; r < runs; ++r) {
    bar.push_back(run_shell("git -C '" + dir + "' log --format='%aN %aE' " + branch + " | sort -u > /dev/null"));
    auto t = Clock::now();
    auto fresh = open_repository(dir);  // nothing carried over from the run before
    auto raw = scan_authors(fresh.get(), tip, nullptr, &commits);
    index = std::make_unique<AuthorIndex>(std::move(raw), load_mailmap(fresh.get()));
    build.push_back(seconds_since(t));
    people = index->authors().size();
  }
  double bar_s = median(bar), build_s = median(build);

  // Warm lookups: each query timed on its own.
  std::vector<std::string> emails, logins;
  for (const auto& r : index->raw()) emails.push_back(r.email);
  for (const auto& a : index->authors()) {
    if (a.login) logins.push_back(*a.login);
  }
  std::mt19937 rng(7);
  std::vector<double> query_us;
  query_us.reserve(300000);
  const Author* sink = nullptr;
  for (int i = 0; i < 300000; ++i) {
    auto kind = i % 3;
    auto t = Clock::now();
    if (kind == 0) {
      const auto& r = index->raw()[rng() % index->raw().size()];
      sink = index->find(r.name, r.email);
    } else if (kind == 1 && !logins.empty()) {
      sink = index->find_login(logins[rng() % logins.size()]);
    } else {
      sink = index->find("Someone New", "someone" + std::to_string(rng() % 100000) + "@nowhere.example");
    }
    query_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count());
  }
  if (sink == reinterpret_cast<const Author*>(1)) std::puts("");  // keep the lookups
  std::sort(query_us.begin(), query_us.end());
  double q50 = query_us[query_us.size() / 2], q99 = query_us[query_us.size() * 99 / 100];

  // Incremental: new commits on the branch, counted from the old tip.
  double incremental_ms = -1;
  std::size_t added = 0;
  if (!append.empty()) {
    run_shell(append);
    auto fresh = open_repository(dir);
    git_oid new_tip;
    git_check(git_reference_name_to_id(&new_tip, fresh.get(), ("refs/heads/" + branch).c_str()), "branch");
    Contributors::Indexed indexed;
    indexed.tip = oid_text(tip);
    indexed.index = std::move(index);
    auto t = Clock::now();
    auto update = bring_up_to(indexed, fresh.get(), new_tip);
    incremental_ms = seconds_since(t) * 1000;
    added = update.commits;
    if (update.full) std::fprintf(stderr, "warning: the update was a full scan\n");
  }

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("repository: %s (%s), %zu commits, %zu people\n", dir.c_str(), branch.c_str(), commits, people);
  std::printf("bar: git log --format='%%aN %%aE' | sort -u   median %.3f s of %d\n", bar_s, runs);
  std::printf("full index build                            median %.3f s of %d   ratio %.2f\n", build_s, runs,
              build_s / bar_s);
  std::printf("warm query                                  p50 %.2f us  p99 %.2f us\n", q50, q99);
  if (incremental_ms >= 0) std::printf("incremental update (%zu new commits)        %.1f ms\n", added, incremental_ms);
  std::printf("peak RSS                                    %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024);
  std::printf("HISTORY_BENCH_JSON {\"commits\":%zu,\"people\":%zu,\"bar_s\":%.3f,\"build_s\":%.3f,\"ratio\":%.3f,"
              "\"query_p50_us\":%.3f,\"query_p99_us\":%.3f,\"incremental_commits\":%zu,\"incremental_ms\":%.2f,"
              "\"peak_rss_mib\":%.1f}\n",
              commits, people, bar_s, build_s, build_s / bar_s, q50, q99, added, incremental_ms,
              static_cast<double>(usage.ru_maxrss) / 1024);
  return 0;
}
