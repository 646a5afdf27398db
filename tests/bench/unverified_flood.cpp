// What a flood of large webhook bodies with made-up signatures costs the bot (issue 12): C
// connections each announce a body of B MiB with a well-formed but wrong X-Hub-Signature-256 and
// send all of it at once, from a few threads. Before the budget for unverified bodies, 40 such
// connections took the process from 330 to 1,222 MiB. Meanwhile /healthz and a signed delivery
// are sent, and must be answered.
//
//   unverified_flood [--connections 500] [--mib 24] [--threads 16]
// Prints the bot's RSS idle, at its peak (VmHWM) and after, how each connection was answered,
// and the health check's and the signed delivery's answers and times. Exits 0 when both were
// answered (200, 202) and no connection was left unanswered.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/files.hpp"
#include "support/running_bot.hpp"

using namespace testing;
using Clock = std::chrono::steady_clock;

namespace {

// Sends the header and the whole body (stopping when the server closes), then reads the status
// line of the answer.
std::string flood_one(std::uint16_t port, std::size_t bytes, const std::string& body_chunk) {
  int fd = connect_loopback(port);
  if (fd < 0) return "connect failed";
  std::string head = "POST /api/github/webhooks HTTP/1.1\r\nHost: flood\r\nContent-Type: application/json\r\n"
                     "X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: flood-" + std::to_string(fd) +
                     "\r\nX-Hub-Signature-256: sha256=" + std::string(64, '0') +
                     "\r\nContent-Length: " + std::to_string(bytes) + "\r\n\r\n";
  ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  for (std::size_t sent = 0; sent < bytes;) {
    auto n = ::send(fd, body_chunk.data(), std::min(body_chunk.size(), bytes - sent), MSG_NOSIGNAL);
    if (n <= 0) break;  // the server answered early and closed
    sent += static_cast<std::size_t>(n);
  }
  std::string got;
  char buf[512];
  pollfd p{fd, POLLIN, 0};
  while (got.find("\r\n") == std::string::npos && ::poll(&p, 1, 30'000) > 0) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  auto line = got.substr(0, got.find("\r\n"));
  return line.empty() ? "no answer" : line;
}

}  // namespace

int main(int argc, char** argv) {
  int connections = 500, mib = 24, threads = 16;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int value = std::stoi(argv[i + 1]);
    if (flag == "--connections") connections = value;
    else if (flag == "--mib") mib = value;
    else if (flag == "--threads") threads = value;
  }
  RunningBot bot;
  auto pid = bot.process().pid();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  long idle = proc_status_kib(pid, "VmRSS:");

  std::mutex m;
  std::map<std::string, int> answers;
  std::atomic<int> next{0};
  std::string chunk(256 * 1024, ' ');
  auto started = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < connections; i = next++) {
        auto line = flood_one(bot.port(), static_cast<std::size_t>(mib) << 20, chunk);
        std::lock_guard lock(m);
        ++answers[line];
      }
    });
  }
  // During the flood: the health check and one genuine delivery.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto t0 = Clock::now();
  auto health = http_get(bot.port(), "/healthz");
  auto health_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  t0 = Clock::now();
  auto real = bot.send("pull_request", "genuine-during-flood", fixture("pull_request/opened.json"));
  auto real_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  long during = proc_status_kib(pid, "VmRSS:");
  for (auto& t : pool) t.join();
  auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  long after = proc_status_kib(pid, "VmRSS:");
  long peak = proc_status_kib(pid, "VmHWM:");

  std::cout << "unverified_flood: " << connections << " connections x " << mib << " MiB, made-up signature, "
            << threads << " sending at once, " << seconds << " s\n";
  std::cout << "  RSS idle " << idle / 1024 << " MiB, during " << during / 1024 << " MiB, peak (VmHWM) "
            << peak / 1024 << " MiB, after " << after / 1024 << " MiB\n";
  int unanswered = 0;
  for (const auto& [line, n] : answers) {
    std::cout << "  " << n << " x " << line << "\n";
    if (line == "no answer" || line == "connect failed") unanswered += n;
  }
  std::cout << "  during the flood: GET /healthz " << health.status << " in " << health_ms << " ms, a signed delivery "
            << real.status << " in " << real_ms << " ms\n";
  return health.status == 200 && real.status == 202 && unanswered == 0 ? 0 : 1;
}
