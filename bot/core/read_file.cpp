#include "core/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/errors.hpp"

namespace mentorbot {
namespace {

std::string size_text(std::size_t bytes) {
  if (bytes % MiB == 0) return std::to_string(bytes / MiB) + " MiB";
  return std::to_string(bytes / KiB) + " KiB";
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string read_file_limited(const std::string& path, std::size_t limit, std::string_view what) {
  std::string name = what.empty() ? path : std::string(what) + " (" + path + ")";
  // O_NONBLOCK: opening a FIFO nobody writes to returns at once instead of waiting for a writer.
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)};
  if (f.fd < 0) throw ConfigError("cannot read " + name + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) throw ConfigError("cannot read " + name + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw ConfigError(name + " is a directory, not a file");
  if (!S_ISREG(st.st_mode)) throw ConfigError(name + " is not a regular file (a device, a FIFO or a socket)");
  if (static_cast<std::uint64_t>(st.st_size) > limit) {
    throw ConfigError(name + " is larger than " + size_text(limit));
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  char chunk[64 * 1024];
  // Read to the end, not to st_size: a file that grows while it is read is held to the limit too.
  for (;;) {
    auto n = ::read(f.fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ConfigError("cannot read " + name + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > limit) {
      throw ConfigError(name + " is larger than " + size_text(limit));
    }
    out.append(chunk, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace mentorbot
