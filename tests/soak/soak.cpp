// Soak with faults (issue 12): the real bot, a steady stream of signed webhooks over several
// installations and repositories, a fake GitHub that fails a random share of requests, and a
// kill -9 every so often followed by a restart on the same data. At the end, a reconciliation:
// every acknowledged delivery handled exactly once, every comment and review that the stories
// call for present exactly once, the labels, the coins, nothing parked, and the bot's memory and
// file descriptors flat over its last life, which is longer than the others. Loopback only.
//
//   soak [--seconds 600] [--kill-every 60] [--fault-rate 0.10] [--rate 12] [--seed N]
//        [--memory-life SECONDS] [--report FILE] [--keep DIR]
// Prints the reconciliation as Markdown tables (and writes them to FILE); exits 0 when every
// check passes, 1 otherwise.
#include <sys/types.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/coins.hpp"
#include "store/db.hpp"
#include "store/inbox.hpp"
#include "support/files.hpp"
#include "support/world.hpp"

using namespace testing;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct Options {
  int seconds = 600;
  int kill_every = 60;
  double fault_rate = 0.10;
  double rate = 12;  // deliveries a second, all senders together
  int senders = 6;
  std::uint64_t seed = 20261204;
  std::string report;
  int memory_life = 0;  // the last life's length; 0: max(kill_every, a third of the soak)
  std::string keep;  // a directory to copy the bot's data, logs and the fake's request log into
};

const std::string maintainer = "mona";
const std::string label = "first-time contributor";

// A repository of the soak: its installation and a real git repository (maintainers' history).
struct Repo {
  std::string full_name;
  std::int64_t installation = 0;
  std::unique_ptr<GitRepo> git;
  std::string base;
};

// One newcomer's pull request from opening to closing, and what the bot must leave behind.
struct Story {
  const Repo* repo = nullptr;
  int number = 0;
  std::string author;
  bool pushes_again = false, author_comments = false, coin_command = false, approved = false, merged = false,
       merged_twice = false;
  std::int64_t comment_id = 0;

  std::string where() const { return repo->full_name + "#" + std::to_string(number); }
  // The hidden markers of the comments and reviews it must get, once each.
  std::vector<std::string> markers() const {
    std::vector<std::string> out{"welcome:" + where(), "review:" + where()};
    if (coin_command) out.push_back("coin-reply:" + where() + ":" + std::to_string(comment_id));
    out.push_back((merged ? "coin:" : "closed:") + where());
    return out;
  }
  std::vector<std::string> coins() const {
    std::vector<std::string> out;
    if (coin_command) out.push_back("award:" + where() + ":" + std::to_string(comment_id));
    if (merged) out.push_back("merge:" + where());
    if (merged && approved) out.push_back("mentor:" + where() + ":" + maintainer);
    return out;
  }
};

struct Delivery {
  std::string event, guid, body;
};

std::string hex_sha(std::mt19937_64& rng) {
  std::ostringstream s;
  for (int i = 0; i < 5; ++i) s << std::hex << std::setw(8) << std::setfill('0') << (rng() & 0xffffffffu);
  return s.str();
}

void place(json::object& v, const Repo& repo) {
  auto& r = v["repository"].as_object();
  auto slash = repo.full_name.find('/');
  r["full_name"] = repo.full_name;
  r["name"] = repo.full_name.substr(slash + 1);
  r["owner"].as_object()["login"] = repo.full_name.substr(0, slash);
  r["clone_url"] = repo.git->url();
  r["default_branch"] = "main";
  v["installation"].as_object()["id"] = repo.installation;
}

std::string pr_event(const Story& s, const std::string& action, const std::string& head) {
  auto v = json::parse(fixture("pull_request/opened.json"));
  auto& o = v.as_object();
  o["action"] = action;
  o["number"] = s.number;
  auto& pr = o["pull_request"].as_object();
  pr["number"] = s.number;
  pr["author_association"] = "FIRST_TIME_CONTRIBUTOR";
  pr["user"].as_object()["login"] = s.author;
  pr["title"] = "Log what the cart adds up (" + s.author + ")";
  pr["head"].as_object()["sha"] = head;
  pr["base"].as_object()["sha"] = s.repo->base;
  if (action == "closed") {
    pr["state"] = "closed";
    pr["merged"] = s.merged;
    pr["merged_at"] = s.merged ? json::value("2026-12-04T10:00:00Z") : json::value(nullptr);
  }
  place(o, *s.repo);
  return json::serialize(v);
}

std::string approval(const Story& s) {
  auto v = json::parse(fixture("pull_request_review/submitted.json"));
  auto& o = v.as_object();
  auto& review = o["review"].as_object();
  review["state"] = "approved";
  review["author_association"] = "MEMBER";
  review["user"].as_object()["login"] = maintainer;
  auto& pr = o["pull_request"].as_object();
  pr["number"] = s.number;
  pr["user"].as_object()["login"] = s.author;
  place(o, *s.repo);
  return json::serialize(v);
}

std::string comment(const Story& s, const std::string& login, const std::string& association, const std::string& body,
                    std::int64_t id) {
  auto v = json::parse(fixture("issue_comment/created.json"));
  auto& o = v.as_object();
  auto& c = o["comment"].as_object();
  c["body"] = body;
  c["author_association"] = association;
  c["id"] = id;
  c["user"].as_object()["login"] = login;
  o["issue"].as_object()["number"] = s.number;
  o["issue"].as_object()["user"].as_object()["login"] = s.author;
  place(o, *s.repo);
  return json::serialize(v);
}

std::vector<Delivery> deliveries_of(const Story& s, std::mt19937_64& rng) {
  std::vector<Delivery> out;
  auto guid = [&](const std::string& what) { return "soak-" + s.where() + "-" + what; };
  out.push_back({"pull_request", guid("opened"), pr_event(s, "opened", hex_sha(rng))});
  if (s.author_comments) {
    out.push_back({"issue_comment", guid("comment"),
                   comment(s, s.author, "FIRST_TIME_CONTRIBUTOR", "Thanks for looking! I can add a test too.",
                           s.comment_id + 1)});
  }
  if (s.pushes_again) out.push_back({"pull_request", guid("synchronize"), pr_event(s, "synchronize", hex_sha(rng))});
  if (s.coin_command) {
    out.push_back({"issue_comment", guid("coin"),
                   comment(s, maintainer, "MEMBER", "/coin @helper-" + std::to_string(s.number) + " for the docs review",
                           s.comment_id)});
  }
  if (s.approved) out.push_back({"pull_request_review", guid("approved"), approval(s)});
  out.push_back({"pull_request", guid("closed"), pr_event(s, "closed", hex_sha(rng))});
  // GitHub sends the same event twice under two delivery ids now and then.
  if (s.merged_twice) out.push_back({"pull_request", guid("closed-again"), out.back().body});
  return out;
}

// What the senders saw.
struct Ledger {
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::vector<Story> stories;
  std::size_t sent = 0, answered_202 = 0, redelivered = 0, redelivered_200 = 0, retried_after_no_answer = 0;
  std::map<unsigned, std::size_t> refused;  // answers that were neither 200 nor 202
};

// One life of the bot: its memory and descriptors every few seconds.
struct Sample {
  double at_s = 0;  // into the life
  long rss_kib = -1, anon_kib = -1, fds = -1;
  // From the bot's /metrics: what its allocator holds for live objects and keeps free, and
  // SQLite's share of the live objects (-1: no answer in time).
  long heap_in_use_kib = -1, heap_free_kib = -1, sqlite_kib = -1;
};
struct Life {
  int number = 0;
  double started_s = 0, ended_s = 0;
  std::vector<Sample> samples;
  long fds_idle = -1;  // the last life: descriptors once the bot is idle after the load
  bool killed = false;
  double length() const { return ended_s - started_s; }
  // The first sample at or after `s` into the life (the last one when the life was shorter).
  const Sample& at(double s) const {
    for (const auto& x : samples) {
      if (x.at_s >= s) return x;
    }
    return samples.back();
  }
};

// One series' value from a Prometheus text page, in KiB (-1 when absent).
long metric_kib(const std::string& page, const std::string& series) {
  for (std::size_t at = page.find(series + " "); at != std::string::npos; at = page.find(series + " ", at + 1)) {
    if (at != 0 && page[at - 1] != '\n') continue;
    return static_cast<long>(std::stod(page.substr(at + series.size() + 1)) / 1024);
  }
  return -1;
}

long open_fds(pid_t pid) {
  std::error_code ec;
  long n = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++n;
  }
  return ec ? -1 : n;
}

json::array debug_print_files() {
  const char* patch =
      "@@ -1,3 +1,4 @@\n"
      " export function total(items) {\n"
      "   const subtotal = sum(items);\n"
      "+  console.log(\"subtotal\", subtotal);\n"
      "   return subtotal;";
  return {json::object{{"filename", "src/cart.js"}, {"status", "modified"}, {"additions", 1},
                       {"deletions", 0}, {"changes", 1}, {"patch", patch}}};
}

std::size_t count_of(const std::map<std::string, std::size_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--seconds") o.seconds = std::stoi(v);
    else if (a == "--kill-every") o.kill_every = std::stoi(v);
    else if (a == "--fault-rate") o.fault_rate = std::stod(v);
    else if (a == "--rate") o.rate = std::stod(v);
    else if (a == "--seed") o.seed = std::stoull(v);
    else if (a == "--report") o.report = v;
    else if (a == "--keep") o.keep = v;
    else if (a == "--memory-life") o.memory_life = std::stoi(v);
    else {
      std::cerr << "soak: unknown option " << a << "\n";
      return 2;
    }
  }
  if (o.memory_life == 0) o.memory_life = std::max(o.kill_every, o.seconds / 3);

  // Three installations of two repositories each, every one with its maintainer's history.
  TempDir keys;
  FakeGitHub github(test_app_key().public_pem, "424242");
  std::vector<Repo> repos;
  Person mona{"Mona Maintainer", "mona@example.org"};
  for (int i = 0; i < 6; ++i) {
    Repo r;
    r.installation = 100 + i / 2;
    r.full_name = "soak-org-" + std::to_string(i / 2) + "/project-" + std::to_string(i);
    r.git = std::make_unique<GitRepo>(keys / ("repo-" + std::to_string(i)));
    r.git->commit(mona, "Start the project", "README.md");
    r.base = r.git->commit(mona, "Explain how to contribute", "CONTRIBUTING.md");
    r.git->push("main");
    repos.push_back(std::move(r));
  }
  write_file(keys / "app.pem", test_app_key().private_pkcs1);
  auto port = free_port();
  RunningBot bot({{"APP_ID", "424242"},
                  {"PRIVATE_KEY_PATH", keys / "app.pem"},
                  {"GHE_HOST", github.host()},
                  {"GHE_PROTOCOL", "http"},
                  {"PORT", std::to_string(port)},
                  {"MENTORBOT_WRITE_INTERVAL_MS", "0"},
                  {"MENTORBOT_RETRY_BASE_MS", "200"},
                  {"MENTORBOT_GITHUB_TIMEOUT_MS", "1500"}});
  github.set_random_faults(RandomFaults{o.fault_rate, o.seed, 2500ms, 1, 1200ms});

  auto t0 = Clock::now();
  auto since = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  auto deadline = t0 + std::chrono::seconds(o.seconds);
  std::cout << "soak: " << o.seconds << " s, kill -9 every " << o.kill_every << " s, " << o.fault_rate * 100
            << " % of GitHub requests failing, about " << o.rate << " deliveries/s, seed " << o.seed << std::endl;

  Ledger ledger;
  std::atomic<int> next_story{0};
  std::atomic<bool> stop_senders{false};
  auto send = [&](const Delivery& d) {
    for (bool first = true;; first = false) {
      auto r = post_webhook(port, bot.secret(), d.event, d.guid, d.body);
      std::lock_guard lock(ledger.mutex);
      if (first) ++ledger.sent;
      if (r.status == 202 || r.status == 200) {
        ledger.acknowledged.insert(d.guid);
        ledger.answered_202 += r.status == 202;
        return;
      }
      if (r.status != 0 && r.status != 503) {
        ++ledger.refused[r.status];
        return;
      }
      ++ledger.retried_after_no_answer;  // the bot is down or restarting: GitHub sends it again later
      std::this_thread::sleep_for(200ms);
    }
  };
  std::vector<std::thread> senders;
  for (int t = 0; t < o.senders; ++t) {
    senders.emplace_back([&, t] {
      std::mt19937_64 rng(o.seed * 31 + static_cast<std::uint64_t>(t));
      std::uniform_real_distribution<double> chance(0, 1);
      auto gap = std::chrono::duration<double>(o.senders / o.rate);
      while (!stop_senders) {
        int n = next_story++;
        Story s;
        s.repo = &repos[static_cast<std::size_t>(n) % repos.size()];
        s.number = 1 + n / static_cast<int>(repos.size());
        s.author = "newbie-" + std::to_string(n);
        s.pushes_again = chance(rng) < 0.5;
        s.author_comments = chance(rng) < 0.5;
        s.coin_command = chance(rng) < 0.3;
        s.approved = chance(rng) < 0.5;
        s.merged = chance(rng) < 0.7;
        s.merged_twice = s.merged && chance(rng) < 0.1;
        s.comment_id = 1'000'000 + 10LL * n;
        github.set_pr_files(s.repo->full_name, s.number, debug_print_files());
        for (const auto& d : deliveries_of(s, rng)) {
          send(d);
          if (chance(rng) < 0.15) {  // redelivered from GitHub's page: the same delivery id
            auto r = post_webhook(port, bot.secret(), d.event, d.guid, d.body);
            std::lock_guard lock(ledger.mutex);
            ++ledger.redelivered;
            ledger.redelivered_200 += r.status == 200;
          }
          std::this_thread::sleep_for(gap);
        }
        std::lock_guard lock(ledger.mutex);
        ledger.stories.push_back(s);
      }
    });
  }

  // The killer: kill -9 every kill_every seconds, a restart on the same data, except in the last
  // life, which is long enough to tell a leak from caches filling (memory_life seconds).
  // Memory and descriptors every 5 s.
  std::vector<Life> lives;
  auto sample = [&](Life& life) {
    auto pid = bot.process().pid();
    Sample x{since() - life.started_s, proc_status_kib(pid, "VmRSS:"), proc_status_kib(pid, "RssAnon:"), open_fds(pid)};
    try {
      auto page = http_get(port, "/metrics").body;
      x.heap_in_use_kib = metric_kib(page, "mentorbot_heap_bytes{state=\"in_use\"}");
      x.heap_free_kib = metric_kib(page, "mentorbot_heap_bytes{state=\"free\"}");
      x.sqlite_kib = metric_kib(page, "mentorbot_sqlite_memory_bytes");
    } catch (const std::exception&) {
      // killed or busy: the kernel's figures stand alone
    }
    life.samples.push_back(x);
  };
  Life life;
  life.number = 1;
  auto next_sample = t0 + 5s;
  auto next_kill = t0 + std::chrono::seconds(o.kill_every);
  auto last_kill = deadline - std::chrono::seconds(o.memory_life);
  while (Clock::now() < deadline) {
    std::this_thread::sleep_for(250ms);
    if (Clock::now() >= next_sample) {
      sample(life);
      next_sample += 5s;
    }
    if (Clock::now() >= next_kill && next_kill <= last_kill) {
      sample(life);
      life.ended_s = since();
      life.killed = true;
      bot.process().kill9();
      lives.push_back(life);
      bot.start();
      Life next_life;
      next_life.number = life.number + 1;
      next_life.started_s = since();
      life = std::move(next_life);
      next_sample = Clock::now() + 5s;
      next_kill += std::chrono::seconds(o.kill_every);
    }
  }
  sample(life);
  stop_senders = true;
  for (auto& t : senders) t.join();
  double sending_s = since();

  // Drain: the faults stay on; the bot finishes what it acknowledged.
  bool idle = bot.wait_until_idle(300);
  double drained_s = since();
  life.ended_s = since();
  life.fds_idle = open_fds(bot.process().pid());
  lives.push_back(life);
  auto faults = github.random_faults_made();
  auto api_requests = github.api_requests();
  github.set_random_faults(std::nullopt);

  // The reconciliation.
  std::map<std::string, std::int64_t> states;
  std::size_t claimed_more_than_once = 0;
  std::map<std::string, std::int64_t> outbox_states;
  std::vector<std::string> unsent;  // "KEY STATE attempts: last error"
  std::map<std::string, int> coins_found;
  {
    auto store = bot.open_store();
    store->read([&](mentorbot::store::Db& db) {
      for (const auto& guid : ledger.acknowledged) {
        auto row = mentorbot::store::inbox::find_delivery(db, guid);
        ++states[row ? row->state : "absent"];
        if (row && row->attempts > 1) ++claimed_more_than_once;
      }
      auto s = db.prepare("SELECT state, count(*) FROM outbox GROUP BY state");
      while (s.step()) outbox_states[s.text(0)] = s.int64(1);
      auto u = db.prepare("SELECT key, state, attempts FROM outbox WHERE state NOT IN ('sent', 'dry-run') LIMIT 20");
      while (u.step()) unsent.push_back(u.text(0) + " " + u.text(1) + " after " + std::to_string(u.int64(2)) + " attempt(s)");
      for (const auto& a : mentorbot::store::coins::since(db, 0, 1'000'000)) ++coins_found[a.key];
      return 0;
    });
  }
  std::map<std::string, int> markers_found;
  const std::string open = "<!-- mentorbot:";
  for (const auto& [where, bodies] : github.all_bodies()) {
    for (const auto& body : bodies) {
      for (auto at = body.find(open); at != std::string::npos; at = body.find(open, at + 1)) {
        auto end = body.find(" -->", at);
        if (end != std::string::npos) ++markers_found[body.substr(at + open.size(), end - at - open.size())];
      }
    }
  }
  auto labels = github.all_issue_labels();

  struct Tally {
    std::size_t expected = 0, once = 0, missing = 0, twice = 0, unexpected = 0;
    std::vector<std::string> problems;  // the keys missing, repeated or unexpected
    bool ok() const { return expected == once && missing == 0 && twice == 0 && unexpected == 0; }
  } writes, coins, labelled;
  std::set<std::string> expected_markers, expected_coins;
  for (const auto& s : ledger.stories) {
    for (const auto& m : s.markers()) expected_markers.insert(m);
    for (const auto& c : s.coins()) expected_coins.insert(c);
    ++labelled.expected;
    auto it = labels.find(s.where());
    bool has = it != labels.end() && it->second.count(label);
    labelled.once += has;
    labelled.missing += !has;
    if (it != labels.end()) labelled.unexpected += it->second.size() - (has ? 1 : 0);
  }
  auto tally = [](Tally& t, const std::set<std::string>& expected, const std::map<std::string, int>& found) {
    t.expected = expected.size();
    for (const auto& k : expected) {
      auto it = found.find(k);
      int n = it == found.end() ? 0 : it->second;
      t.once += n == 1;
      t.missing += n == 0;
      t.twice += n > 1;
      if (n != 1) t.problems.push_back(k + " x" + std::to_string(n));
    }
    for (const auto& [k, n] : found) {
      if (expected.count(k)) continue;
      ++t.unexpected;
      t.problems.push_back(k + " (unexpected) x" + std::to_string(n));
    }
  };
  tally(writes, expected_markers, markers_found);
  tally(coins, expected_coins, coins_found);

  std::size_t acked = ledger.acknowledged.size();
  bool deliveries_ok = idle && states["done"] == static_cast<std::int64_t>(acked) && ledger.refused.empty();
  bool parked_ok = outbox_states["failed"] == 0 && outbox_states["pending"] == 0 && outbox_states["sending"] == 0;
  // Memory and descriptors are judged on the last life, the long one: RSS at its end against RSS
  // after warm-up (a minute in, or half the life when it is shorter), and the descriptors once the
  // bot is idle against the most seen under load up to the warm-up (connections in flight and kept
  // alive come and go; a leak keeps growing after it).
  const Life& last = lives.back();
  double warm_s = std::min(60.0, last.length() / 2);
  const Sample& warm = last.at(warm_s);
  const Sample& end = last.samples.back();
  long busiest_fds = 0;
  for (const auto& x : last.samples) {
    if (x.at_s <= warm.at_s) busiest_fds = std::max(busiest_fds, x.fds);
  }
  bool memory_ok = warm.rss_kib > 0 && end.rss_kib <= warm.rss_kib * 11 / 10;
  bool fds_ok = busiest_fds > 0 && last.fds_idle > 0 && last.fds_idle <= busiest_fds + 8;

  std::ostringstream r;
  auto mark = [](bool ok) { return ok ? "ok" : "**FAILED**"; };
  r << "Soak: " << o.seconds << " s of load, " << lives.size() << " lives of the bot (kill -9 every " << o.kill_every
    << " s), " << o.fault_rate * 100 << " % of GitHub requests failing, seed " << o.seed << "; load sent for "
    << std::fixed << std::setprecision(0) << sending_s << " s, idle again " << drained_s - sending_s << " s later.\n\n";
  r << "| deliveries | count |\n|---|---|\n";
  r << "| sent (distinct delivery ids) | " << ledger.sent << " |\n";
  r << "| acknowledged (202, or 200 for one already stored) | " << acked << " |\n";
  r << "| sent again after no answer (bot down) | " << ledger.retried_after_no_answer << " |\n";
  r << "| redelivered with the same id / answered 200 as already stored | " << ledger.redelivered << " / "
    << ledger.redelivered_200 << " |\n";
  r << "| acknowledged and done | " << states["done"] << " |\n";
  r << "| acknowledged and failed / pending / running / absent | " << states["failed"] << " / " << states["pending"]
    << " / " << states["running"] << " / " << states["absent"] << " |\n";
  r << "| done, but claimed more than once (a kill came while it ran; its effects committed once) | "
    << claimed_more_than_once << " |\n";
  r << "| refused | " << ledger.refused.size() << " |\n\n";
  r << "| GitHub's faults | count |\n|---|---|\n| API requests | " << api_requests << " |\n";
  for (const char* k : {"502", "403 secondary", "401", "hang", "drop", "answer lost", "answer late"}) {
    r << "| " << k << " | " << count_of(faults, k) << " |\n";
  }
  r << "\n| reconciliation | expected | exactly once | missing | more than once | unexpected | |\n"
       "|---|---|---|---|---|---|---|\n";
  auto row = [&](const char* what, const Tally& t) {
    r << "| " << what << " | " << t.expected << " | " << t.once << " | " << t.missing << " | " << t.twice << " | "
      << t.unexpected << " | " << mark(t.ok()) << " |\n";
  };
  row("comments and reviews (by hidden marker)", writes);
  row("label `first-time contributor`", labelled);
  row("coins in the ledger", coins);
  for (const auto* t : {&writes, &coins}) {
    for (const auto& p : t->problems) r << "|   " << p << " | | | | | | |\n";
  }
  r << "| deliveries handled | " << acked << " | " << states["done"] << " | " << acked - static_cast<std::size_t>(states["done"])
    << " | 0 | 0 | " << mark(deliveries_ok) << " |\n";
  r << "| writes parked or unsent | 0 | | " << outbox_states["failed"] + outbox_states["pending"] + outbox_states["sending"]
    << " | | | " << mark(parked_ok) << " |\n";
  for (const auto& w : unsent) r << "|   " << w << " | | | | | | |\n";
  r << "\n";
  auto mib = [](long kib) { return kib / 1024.0; };
  r << "| life | from (s) | to (s) | RSS after 15 s (MiB) | RSS at the end (MiB) | fds after 15 s | fds at the end | ended by |\n"
       "|---|---|---|---|---|---|---|---|\n";
  r << std::setprecision(1);
  for (const auto& l : lives) {
    r << "| " << l.number << " | " << l.started_s << " | " << l.ended_s << " | " << mib(l.at(15).rss_kib) << " | "
      << mib(l.samples.back().rss_kib) << " | " << l.at(15).fds << " | " << l.samples.back().fds << " | "
      << (l.killed ? "kill -9" : "end of the soak") << " |\n";
  }
  r << "\nThe last life (" << last.length() << " s), every 30 s under load, then idle:\n\n"
       "| into the life (s) | RSS (MiB) | of which anonymous (MiB) | heap in use / kept free (MiB) | of which SQLite (MiB) | fds |\n"
       "|---|---|---|---|---|---|\n";
  double next = 0;
  for (const auto& x : last.samples) {
    if (x.at_s + 2.5 < next && &x != &end) continue;
    r << "| " << x.at_s << " | " << mib(x.rss_kib) << " | " << mib(x.anon_kib) << " | " << mib(x.heap_in_use_kib) << " / "
      << mib(x.heap_free_kib) << " | " << mib(x.sqlite_kib) << " | " << x.fds << " |\n";
    next = x.at_s + 30;
  }
  r << "| idle after the load | | | | | " << last.fds_idle << " |\n";
  r << "\nmemory flat (RSS at the end of the last life within 10 % of its RSS " << warm.at_s << " s in: " << mib(end.rss_kib)
    << " vs " << mib(warm.rss_kib) << " MiB): " << mark(memory_ok)
    << "; file descriptors flat (idle after the load at most 8 more than the most under load up to then: "
    << last.fds_idle << " vs " << busiest_fds << "): " << mark(fds_ok) << "\n";
  bool all = writes.ok() && labelled.ok() && coins.ok() && deliveries_ok && parked_ok && memory_ok && fds_ok;
  r << "\nsoak: " << (all ? "passed" : "FAILED") << "\n";
  std::cout << r.str();
  if (!o.report.empty()) std::ofstream(o.report) << r.str();
  if (!o.keep.empty()) {
    std::filesystem::create_directories(o.keep);
    std::filesystem::copy(bot.dir().path(), o.keep, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    std::ofstream requests(std::filesystem::path(o.keep) / "github-requests.log");
    for (const auto& line : github.requests()) requests << line << "\n";
  }
  if (!all) {
    auto log = bot.log();
    std::cout << "\nlast lines of the bot's log:\n" << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
  }
  return all ? 0 : 1;
}
