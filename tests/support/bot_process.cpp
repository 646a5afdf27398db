#include "support/bot_process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/files.hpp"
#include "support/http_client.hpp"

extern char** environ;

namespace testing {
namespace {

std::vector<std::string> full_env(const Env& env) {
  std::vector<std::string> out;
  for (const char* keep : {"PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "TMPDIR", "GLIBC_TUNABLES"}) {
    if (const char* v = std::getenv(keep); v && !env.count(keep)) out.push_back(std::string(keep) + "=" + v);
  }
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

pid_t spawn(const std::vector<std::string>& args, const Env& env, int out_fd, int err_fd) {
  // MENTORBOT_TEST_BINARY: another build of mentorbot, for a benchmark comparing two.
  const char* other = std::getenv("MENTORBOT_TEST_BINARY");
  std::vector<std::string> argv_s = {other && *other ? other : MENTORBOT_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_s = full_env(env);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error(std::string("posix_spawn: ") + std::strerror(rc));
  return pid;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits for `pid` up to `timeout`; -2 if it is still running.
int wait_for(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return decode_status(status);
    if (std::chrono::steady_clock::now() > deadline) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

CommandResult run_mentorbot(const std::vector<std::string>& args, const Env& env, std::chrono::seconds timeout) {
  char out_name[] = "/tmp/mentorbot-out-XXXXXX";
  char err_name[] = "/tmp/mentorbot-err-XXXXXX";
  int out_fd = mkstemp(out_name);
  int err_fd = mkstemp(err_name);
  pid_t pid = spawn(args, env, out_fd, err_fd);
  ::close(out_fd);
  ::close(err_fd);
  CommandResult r;
  r.exit_code = wait_for(pid, timeout);
  if (r.exit_code == -2) {
    ::kill(pid, SIGKILL);
    r.exit_code = wait_for(pid, std::chrono::seconds(5));
  }
  r.out = read_file(out_name);
  r.err = read_file(err_name);
  ::unlink(out_name);
  ::unlink(err_name);
  return r;
}

BotProcess::BotProcess(Env env, std::string log_path)
    : env_(std::move(env)),
      port_(env_.count("PORT") ? static_cast<std::uint16_t>(std::stoi(env_.at("PORT"))) : free_port()),
      log_path_(std::move(log_path)) {
  launch();
}

void BotProcess::launch() {
  env_["PORT"] = std::to_string(port_);
  env_["HOST"] = "127.0.0.1";
  int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  pid_ = spawn({"serve"}, env_, fd, fd);
  ::close(fd);
}

BotProcess::~BotProcess() {
  if (pid_ > 0 && running()) kill9();
}

void BotProcess::wait_ready() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int relaunches = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) {
      // Tests running side by side can draw the same free port: take another one.
      if (log().find("cannot listen on") != std::string::npos && ++relaunches <= 3) {
        port_ = free_port();
        launch();
        continue;
      }
      throw std::runtime_error("mentorbot exited during start-up:\n" + log());
    }
    if (http_request(port_, "GET", "/healthz", {}, {}, std::chrono::milliseconds(500)).status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("mentorbot did not answer /healthz within 20 s:\n" + log());
}

void BotProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_for(pid_, std::chrono::seconds(10));
  pid_ = -1;
}

int BotProcess::terminate(std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = wait_for(pid_, timeout);
  if (code == -2) {
    ::kill(pid_, SIGKILL);
    wait_for(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
  return code;
}

bool BotProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::string BotProcess::log() const { return read_file(log_path_); }

long proc_status_kib(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string_view wanted(field);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(wanted, 0) == 0) return std::stol(line.substr(wanted.size()));
  }
  return -1;
}

}  // namespace testing
