#include "core/webhook_secret.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <openssl/rand.h>

#include "core/errors.hpp"
#include "core/read_file.hpp"

namespace mentorbot {

WebhookSecret load_or_create_webhook_secret(const std::filesystem::path& data_dir) {
  WebhookSecret s;
  s.file = std::filesystem::absolute(data_dir / "webhook-secret");
  std::filesystem::create_directories(data_dir);
  if (std::filesystem::exists(s.file)) {
    auto text = read_file_limited(s.file.string(), file_limit::key);
    s.value = text.substr(0, text.find('\n'));
    if (s.value.size() < 16) throw ConfigError(s.file.string() + " holds no usable secret (delete it to make a new one)");
    return s;
  }
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) throw ConfigError("cannot draw random bytes for a webhook secret");
  static constexpr char hex[] = "0123456789abcdef";
  for (unsigned char b : raw) {
    s.value += hex[b >> 4];
    s.value += hex[b & 15];
  }
  // O_EXCL: two processes starting at once must not both write (and disagree).
  int fd = ::open(s.file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return load_or_create_webhook_secret(data_dir);
    throw ConfigError("cannot write " + s.file.string() + ": " + std::strerror(errno));
  }
  std::string line = s.value + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw ConfigError("cannot write " + s.file.string());
  s.created = true;
  return s;
}

}  // namespace mentorbot
