// Open-loop webhook load at a fixed rate, for latency at a given throughput (wrk only knows
// "as fast as possible"). Each connection sends on a fixed schedule; a request's latency runs
// from the moment it was due, not the moment it went out, so a slow answer that delays the
// next send is counted against the server (no coordinated omission).
//
//   paced_load --port P --body FILE --signature SIG --rate R [--connections 32] [--seconds 10]
//              [--path /api/github/webhooks] [--event pull_request]
// Prints one line: PACED_JSON {"target_rps":…,"rps":…,"p50_ms":…,"p90_ms":…,"p99_ms":…,"max_ms":…,"non_2xx":…}
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int port = 0;
  std::string body_file, signature, path = "/api/github/webhooks", event = "pull_request";
  double rate = 1000;
  int connections = 32;
  double seconds = 10;
};

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads one HTTP response; returns its status, or 0 on a broken connection.
int read_response(int fd, std::string& buffer) {
  for (;;) {
    auto end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      int status = std::atoi(buffer.c_str() + 9);
      std::size_t length = 0;
      auto cl = buffer.find("Content-Length: ");
      if (cl == std::string::npos) cl = buffer.find("content-length: ");
      if (cl != std::string::npos && cl < end) length = std::strtoul(buffer.c_str() + cl + 16, nullptr, 10);
      if (buffer.size() >= end + 4 + length) {
        buffer.erase(0, end + 4 + length);
        return status;
      }
    }
    char chunk[4096];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return 0;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") o.port = std::atoi(v.c_str());
    else if (k == "--body") o.body_file = v;
    else if (k == "--signature") o.signature = v;
    else if (k == "--rate") o.rate = std::atof(v.c_str());
    else if (k == "--connections") o.connections = std::atoi(v.c_str());
    else if (k == "--seconds") o.seconds = std::atof(v.c_str());
    else if (k == "--path") o.path = v;
    else if (k == "--event") o.event = v;
  }
  if (!o.port || o.body_file.empty() || o.signature.empty() || o.rate <= 0) {
    std::fprintf(stderr, "usage: paced_load --port P --body FILE --signature SIG --rate R [--connections N] [--seconds S]\n");
    return 2;
  }
  std::ifstream in(o.body_file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string body = ss.str();

  const auto interval = std::chrono::duration<double>(o.connections / o.rate);
  const auto start = Clock::now() + std::chrono::milliseconds(100);
  const auto stop = start + std::chrono::duration<double>(o.seconds);
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(o.connections));
  std::atomic<long> non_2xx{0}, sent{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back([&, c] {
      int fd = connect_to(o.port);
      std::string buffer;
      auto due = start + std::chrono::duration_cast<Clock::duration>(interval * c / o.connections);
      for (long k = 0; due < stop; ++k, due += std::chrono::duration_cast<Clock::duration>(interval)) {
        std::this_thread::sleep_until(due);
        char id[64];
        std::snprintf(id, sizeof id, "paced-%d-%ld-%08x", c, k, static_cast<unsigned>(std::rand()));
        std::string request = "POST " + o.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                              "X-GitHub-Event: " + o.event + "\r\nX-GitHub-Delivery: " + id +
                              "\r\nX-Hub-Signature-256: " + o.signature +
                              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        if (fd < 0 || ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
          ++non_2xx;
          if (fd >= 0) ::close(fd);
          fd = connect_to(o.port);
          buffer.clear();
          continue;
        }
        int status = read_response(fd, buffer);
        auto done = Clock::now();
        ++sent;
        if (status < 200 || status >= 300) ++non_2xx;
        latencies[static_cast<std::size_t>(c)].push_back(std::chrono::duration<double, std::milli>(done - due).count());
      }
      if (fd >= 0) ::close(fd);
    });
  }
  for (auto& t : threads) t.join();
  auto elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))]; };
  std::printf("PACED_JSON {\"target_rps\":%.1f,\"rps\":%.1f,\"requests\":%zu,\"p50_ms\":%.3f,\"p90_ms\":%.3f,"
              "\"p99_ms\":%.3f,\"max_ms\":%.3f,\"non_2xx\":%ld}\n",
              o.rate, static_cast<double>(all.size()) / elapsed, all.size(), pct(0.50), pct(0.90), pct(0.99),
              all.empty() ? 0.0 : all.back(), non_2xx.load());
  return 0;
}
