// Load test for the live coin events: V viewers hold /api/events open while M merge webhooks
// arrive from a few senders at once. Every viewer must receive every coin exactly once and in
// order; the bot's memory is read from /proc before the viewers connect, with them connected,
// and at its peak (VmHWM), so what the viewers and the burst cost is a ratio to the idle bot
// measured in the same run.
//
//   sse_load [--viewers 500] [--merges 1000] [--senders 4] [--max-peak-over-idle 4]
// Prints SSE_LOAD_JSON {...}; exits 0 only when every viewer got every event once, in order, and
// the bot's peak RSS stayed within the given multiple of its idle RSS (memory stays bounded).
#include <poll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/files.hpp"
#include "support/running_bot.hpp"

using namespace testing;
using Clock = std::chrono::steady_clock;

namespace {

struct Viewer {
  int fd = -1;
  std::string buffer;
  long events = 0;
  long last_id = 0;
  long out_of_order = 0;
  bool headers_ok = false;
};

int connect_viewer(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  std::string request = "GET /api/events HTTP/1.1\r\nHost: load\r\nAccept: text/event-stream\r\n\r\n";
  if (::send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Takes the complete SSE messages out of the viewer's buffer (chunk framing lines are skipped:
// they never contain "id: ").
void consume(Viewer& v) {
  if (!v.headers_ok) {
    auto end = v.buffer.find("\r\n\r\n");
    if (end == std::string::npos) return;
    v.headers_ok = v.buffer.rfind("HTTP/1.1 200", 0) == 0;
    v.buffer.erase(0, end + 4);
  }
  std::size_t pos;
  while ((pos = v.buffer.find("\n\n")) != std::string::npos) {
    std::string message = v.buffer.substr(0, pos);
    v.buffer.erase(0, pos + 2);
    auto id_at = message.find("id: ");
    if (id_at == std::string::npos || message.find("event: coin") == std::string::npos) continue;
    long id = std::stol(message.substr(id_at + 4));
    if (id <= v.last_id) ++v.out_of_order;
    v.last_id = id;
    ++v.events;
  }
}

std::string merge_payload(int number) {
  auto v = boost::json::parse(fixture("pull_request/closed.merged.json"));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["number"] = number;
  v.as_object()["number"] = number;
  pr["user"].as_object()["login"] = "sprinter-" + std::to_string(number % 50);
  pr["author_association"] = number % 3 == 0 ? "FIRST_TIME_CONTRIBUTOR" : "CONTRIBUTOR";
  return boost::json::serialize(v);
}

}  // namespace

int main(int argc, char** argv) {
  int viewers_wanted = 500, merges = 1000, senders = 4;
  double max_peak_over_idle = 4.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int value = std::atoi(argv[i + 1]);
    if (flag == "--viewers") viewers_wanted = value;
    if (flag == "--merges") merges = value;
    if (flag == "--senders") senders = value;
    if (flag == "--max-peak-over-idle") max_peak_over_idle = std::atof(argv[i + 1]);
  }
  RunningBot bot({{"LOG_LEVEL", "warn"}, {"MENTORBOT_DRY_RUN", "1"}});
  pid_t pid = bot.process().pid();
  long idle_rss = proc_status_kib(pid, "VmRSS:");

  std::vector<Viewer> viewers(static_cast<std::size_t>(viewers_wanted));
  for (auto& v : viewers) {
    v.fd = connect_viewer(bot.port());
    if (v.fd < 0) {
      std::cerr << "sse_load: could not connect viewer\n";
      return 1;
    }
  }
  // Wait until the bot has every viewer subscribed.
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (bot.metric("mentorbot_event_viewers") < viewers_wanted && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  long connected_rss = proc_status_kib(pid, "VmRSS:");

  std::atomic<int> next{1}, accepted{0}, refused{0};
  auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < senders; ++s) {
    threads.emplace_back([&] {
      for (int n = next++; n <= merges; n = next++) {
        auto r = bot.send("pull_request", "merge-" + std::to_string(n), merge_payload(n));
        (r.status == 202 ? accepted : refused)++;
      }
    });
  }

  std::vector<pollfd> fds;
  for (auto& v : viewers) fds.push_back({v.fd, POLLIN, 0});
  char buf[64 * 1024];
  long complete = 0;
  deadline = Clock::now() + std::chrono::seconds(120);
  Clock::time_point all_delivered{};
  while (Clock::now() < deadline) {
    if (::poll(fds.data(), fds.size(), 100) < 0) break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n <= 0) {
        fds[i].fd = -1;  // closed by the bot: this viewer will come up short
        continue;
      }
      viewers[i].buffer.append(buf, static_cast<std::size_t>(n));
      consume(viewers[i]);
    }
    complete = 0;
    for (const auto& v : viewers) complete += v.events >= merges;
    if (complete == viewers_wanted) {
      all_delivered = Clock::now();
      break;
    }
  }
  for (auto& t : threads) t.join();
  long peak_rss = proc_status_kib(pid, "VmHWM:");

  long short_viewers = 0, out_of_order = 0, extra = 0, headers_bad = 0;
  for (const auto& v : viewers) {
    short_viewers += v.events < merges;
    extra += v.events > merges;
    out_of_order += v.out_of_order;
    headers_bad += !v.headers_ok;
    ::close(v.fd);
  }
  double peak_over_idle = idle_rss > 0 ? static_cast<double>(peak_rss) / static_cast<double>(idle_rss) : 0.0;
  bool bounded = peak_rss > 0 && peak_over_idle <= max_peak_over_idle;
  bool ok = short_viewers == 0 && extra == 0 && out_of_order == 0 && headers_bad == 0 && accepted == merges && bounded;
  double seconds = all_delivered == Clock::time_point{}
                       ? -1
                       : std::chrono::duration<double>(all_delivered - started).count();
  std::printf(
      "SSE_LOAD_JSON {\"viewers\":%d,\"merges\":%d,\"accepted\":%d,\"viewers_complete\":%ld,\"viewers_short\":%ld,"
      "\"duplicates_or_out_of_order\":%ld,\"seconds_to_last_event\":%.2f,\"events_delivered\":%ld,"
      "\"rss_idle_kb\":%ld,\"rss_with_viewers_kb\":%ld,\"rss_peak_kb\":%ld,\"peak_over_idle\":%.2f}\n",
      viewers_wanted, merges, accepted.load(), complete, short_viewers, out_of_order + extra, seconds,
      static_cast<long>(viewers_wanted) * merges - short_viewers * merges, idle_rss, connected_rss, peak_rss,
      peak_over_idle);
  std::printf("%s: %ld of %d viewers received all %d coin events once and in order; bot RSS %ld kB idle, %ld kB with "
              "viewers, %ld kB peak (%.2f x idle, limit %.2f)\n",
              ok ? "ok" : "FAILED", complete, viewers_wanted, merges, idle_rss, connected_rss, peak_rss, peak_over_idle,
              max_peak_over_idle);
  return ok ? 0 : 1;
}
