#pragma once
// Runs the real mentorbot binary for integration tests: its own environment, its log in a
// file, readiness by polling /healthz, and the two ways to stop it (SIGTERM, kill -9).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace testing {

using Env = std::map<std::string, std::string>;

// A loopback port nobody listens on right now.
std::uint16_t free_port();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `mentorbot ARGS...` to completion with exactly `env` (plus PATH and sanitizer options).
CommandResult run_mentorbot(const std::vector<std::string>& args, const Env& env,
                            std::chrono::seconds timeout = std::chrono::seconds(60));

class BotProcess {
 public:
  // Starts `mentorbot serve` with `env`; HOST is set here, and PORT unless `env` has it. The log
  // goes to log_path.
  BotProcess(Env env, std::string log_path);
  ~BotProcess();
  BotProcess(const BotProcess&) = delete;
  BotProcess& operator=(const BotProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Waits until /healthz answers 200; throws with the log tail if it does not within 20 s.
  void wait_ready();
  void kill9();
  // SIGTERM, then the exit code (or 128 + signal), waiting up to `timeout`.
  int terminate(std::chrono::seconds timeout = std::chrono::seconds(20));
  bool running();
  std::string log() const;

 private:
  void launch();

  Env env_;
  std::uint16_t port_;
  std::string log_path_;
  pid_t pid_ = -1;
};

// A field of /proc/PID/status in KiB ("VmRSS:", "VmHWM:"), -1 when it cannot be read.
long proc_status_kib(pid_t pid, const char* field);

}  // namespace testing
