#include "app/registration.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/read_file.hpp"

namespace mentorbot::app {

std::filesystem::path registration_file(const std::filesystem::path& data_dir) { return data_dir / "github-app.json"; }

void save_registration(const std::filesystem::path& data_dir, const github::Registration& r) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  auto file = registration_file(data_dir);
  auto temporary = file;
  temporary += ".new";
  json::object o{{"id", r.app_id},          {"slug", r.slug},   {"name", r.name},
                 {"html_url", r.html_url},  {"owner", r.owner}, {"pem", r.private_key_pem},
                 {"webhook_secret", r.webhook_secret}};
  std::string text = json::serialize(o) + "\n";
  ::unlink(temporary.c_str());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw ConfigError("cannot write " + temporary.string() + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), file.c_str()) != 0) {
    ::unlink(temporary.c_str());
    throw ConfigError("cannot write " + file.string() + ": " + std::strerror(errno));
  }
  int dir = ::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::optional<github::Registration> load_registration(const std::filesystem::path& data_dir) {
  auto file = registration_file(data_dir);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw ConfigError("cannot read " + file.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode) || st.st_size > (64 << 10)) {
    throw ConfigError(file.string() + " is not the registration mentorbot keeps (delete it to register again)");
  }
  if ((st.st_mode & 077) != 0) {
    spdlog::warn("{} can be read by others than mentorbot's user: chmod 600 it", file.string());
  }
  json::error_code ec;
  auto v = json::parse(read_file_limited(file.string(), file_limit::key), ec);
  if (ec || !v.is_object()) throw ConfigError(file.string() + " is not JSON (delete it to register again)");
  github::Registration r;
  try {
    json::object answer = v.as_object();
    // Kept as GitHub's conversion answer names the fields, so one reader serves both.
    if (auto id = json_string(v, {"id"})) answer["id"] = std::stoll(*id);
    if (auto owner = json_string(v, {"owner"})) answer["owner"] = json::object{{"login", *owner}};
    r = github::parse_registration(answer);
  } catch (const std::exception& e) {
    throw ConfigError(file.string() + ": " + e.what() + " (delete it to register again)");
  }
  return r;
}

ServerConfig with_registration(ServerConfig config) {
  if (config.app_id || config.private_key_pem) return config;
  auto r = load_registration(config.data_dir);
  if (!r) return config;
  redact_in_logs(r->private_key_pem);
  redact_in_logs(r->webhook_secret);
  if (config.webhook_secret && *config.webhook_secret != r->webhook_secret) {
    spdlog::warn("WEBHOOK_SECRET is ignored: GitHub signs for the App registered here with the secret kept in {}",
                 registration_file(config.data_dir).string());
  }
  spdlog::info("using the GitHub App \"{}\" (id {}) registered from /setup, kept in {}", r->name, r->app_id,
               registration_file(config.data_dir).string());
  config.app_id = r->app_id;
  config.private_key_pem = r->private_key_pem;
  config.webhook_secret = r->webhook_secret;
  return config;
}

}  // namespace mentorbot::app
