#include "app/replica.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <climits>

#include "core/errors.hpp"
#include "core/random.hpp"

namespace mentorbot::app {

Replica::Replica(const std::filesystem::path& data_dir) : data_dir_(data_dir) {
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::error_code ec;
  auto dir = std::filesystem::weakly_canonical(std::filesystem::absolute(data_dir), ec);
  if (ec) dir = data_dir;
  prefix_ = std::string(host) + ":" + dir.string() + "#";
  owner_ = prefix_ + random_id();
}

Replica::~Replica() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void Replica::lock() {
  std::filesystem::create_directories(data_dir_);
  auto path = data_dir_ / "replica.lock";
  lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) throw ConfigError("cannot open " + path.string());
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    throw ConfigError("another mentorbot process is using the data directory " + data_dir_.string() +
                      " (each replica needs its own MENTORBOT_DATA_DIR)");
  }
}

}  // namespace mentorbot::app
