#include "store/payload_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "store/sqlite.hpp"

namespace mentorbot::store {
namespace {

constexpr char magic[4] = {'M', 'B', 'P', '1'};
constexpr std::size_t header_size = 16;  // magic, u32 length, 8 bytes reserved

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

[[noreturn]] void io_error(const std::string& what) {
  throw StoreError(what + ": " + std::strerror(errno), SQLITE_IOERR);
}

void sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

struct PayloadLog::Buffer {
  char* data = nullptr;
  std::size_t capacity = 0;
  void reserve(std::size_t n) {
    if (n <= capacity) return;
    std::free(data);
    capacity = round_up(n, 1u << 20);
    void* p = nullptr;
    if (posix_memalign(&p, PayloadLog::block, capacity) != 0) throw std::bad_alloc();
    data = static_cast<char*>(p);
  }
  ~Buffer() { std::free(data); }
};

PayloadLog::PayloadLog(std::filesystem::path dir) : dir_(std::move(dir)), buffer_(std::make_unique<Buffer>()) {
  std::filesystem::create_directories(dir_);
  // One writer per log: a second process appending at the same offsets would destroy both.
  auto lock_path = dir_ / "LOCK";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) io_error("open " + lock_path.string());
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw StoreError("another mentorbot process is using " + dir_.string() +
                         " (stop it first, or give this one its own MENTORBOT_DATABASE)",
                     SQLITE_BUSY);
  }
  std::int64_t last = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().extension() != ".payloads") continue;
    last = std::max<std::int64_t>(last, std::atoll(entry.path().stem().c_str()));
  }
  open_segment(last == 0 ? 1 : last, last == 0);
}

PayloadLog::~PayloadLog() {
  if (fd_ >= 0) ::close(fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::filesystem::path PayloadLog::segment_path(std::int64_t number) const {
  char name[32];
  std::snprintf(name, sizeof name, "%012lld.payloads", static_cast<long long>(number));
  return dir_ / name;
}

void PayloadLog::open_segment(std::int64_t number, bool fresh) {
  if (fd_ >= 0) ::close(fd_);
  auto path = segment_path(number);
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
  fd_ = ::open(path.c_str(), flags | O_DIRECT | O_DSYNC, 0600);
  direct_ = fd_ >= 0;
  if (fd_ < 0 && errno == EINVAL) fd_ = ::open(path.c_str(), flags, 0600);  // tmpfs and friends
  if (fd_ < 0) io_error("open " + path.string());
  struct stat st {};
  if (::fstat(fd_, &st) != 0) io_error("stat " + path.string());
  segment_ = number;
  end_ = static_cast<std::int64_t>(round_up(static_cast<std::size_t>(st.st_size), block));
  if (fresh) sync_dir(dir_);  // the new file's name is durable too
}

PayloadLog::Chunk PayloadLog::plan(std::span<const std::string_view> payloads) {
  std::lock_guard lock(mutex_);
  std::size_t size = 0;
  for (auto p : payloads) size += header_size + p.size();
  size = round_up(size, block);
  if (end_ > 0 && end_ + static_cast<std::int64_t>(size) > segment_limit) open_segment(segment_ + 1, true);
  buffer_->reserve(size);

  Chunk chunk;
  chunk.segment = segment_;
  chunk.offset = end_;
  chunk.size = size;
  char* at = buffer_->data;
  for (auto p : payloads) {
    auto length = static_cast<std::uint32_t>(p.size());
    std::memcpy(at, magic, 4);
    std::memcpy(at + 4, &length, 4);
    std::memset(at + 8, 0, 8);
    std::memcpy(at + header_size, p.data(), p.size());
    chunk.refs.push_back({segment_, end_ + (at - buffer_->data), static_cast<std::int64_t>(p.size())});
    at += header_size + p.size();
  }
  std::memset(at, 0, static_cast<std::size_t>(buffer_->data + size - at));
  end_ += static_cast<std::int64_t>(size);
  return chunk;
}

void PayloadLog::write(const Chunk& chunk) {
  std::lock_guard lock(mutex_);
  std::size_t done = 0;
  while (done < chunk.size) {
    ssize_t n = ::pwrite(fd_, buffer_->data + done, chunk.size - done, chunk.offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) io_error("write to payload log");
    done += static_cast<std::size_t>(n);
  }
  if (!direct_ && ::fdatasync(fd_) != 0) io_error("sync payload log");
}

std::optional<std::string> PayloadLog::read(const PayloadRef& ref) const {
  int fd = ::open(segment_path(ref.segment).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    io_error("open payload segment");
  }
  std::string out(header_size + static_cast<std::size_t>(ref.length), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd, out.data() + done, out.size() - done, ref.offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::uint32_t length = 0;
  if (done == out.size()) std::memcpy(&length, out.data() + 4, 4);
  if (done != out.size() || std::memcmp(out.data(), magic, 4) != 0 || length != ref.length) {
    throw StoreError("payload log record at segment " + std::to_string(ref.segment) + " offset " +
                         std::to_string(ref.offset) + " is damaged",
                     SQLITE_CORRUPT);
  }
  out.erase(0, header_size);
  return out;
}

int PayloadLog::remove_before(std::int64_t segment) {
  std::int64_t current;
  {
    std::lock_guard lock(mutex_);
    current = segment_;
  }
  int removed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().extension() != ".payloads") continue;
    auto n = std::atoll(entry.path().stem().c_str());
    if (n < segment && n < current) {
      std::error_code ec;
      if (std::filesystem::remove(entry.path(), ec)) ++removed;
    }
  }
  return removed;
}

std::int64_t PayloadLog::current_segment() const {
  std::lock_guard lock(mutex_);
  return segment_;
}

}  // namespace mentorbot::store
