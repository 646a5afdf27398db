#include "store/payload_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <spdlog/spdlog.h>

#include "store/crc32c.hpp"
#include "store/db.hpp"

namespace mentorbot::store {
namespace {

// Record: header, description, payload. The header is magic, payload length, description
// length (little-endian u32 each), the CRC-32C of those two lengths, the description and the
// payload, and 16 bytes kept zero.
constexpr char magic[4] = {'M', 'B', 'P', '2'};
constexpr std::size_t header_size = 32;

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

[[noreturn]] void io_error(const std::string& what) {
  throw StoreError(what + ": " + std::strerror(errno));
}

void sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::uint32_t record_crc(const char* lengths8, std::string_view description, std::string_view payload) {
  std::uint32_t c = crc32c(0, lengths8, 8);
  c = crc32c(c, description.data(), description.size());
  return crc32c(c, payload.data(), payload.size());
}

bool read_exact(int fd, char* out, std::size_t n, std::int64_t offset) {
  std::size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, out + done, n - done, offset + static_cast<off_t>(done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    done += static_cast<std::size_t>(r);
  }
  return true;
}

// A record read back and checked; nullopt when the bytes at `offset` are not an intact record.
struct Record {
  std::string description;
  std::string payload;
  std::size_t size = 0;  // header + description + payload
};
std::optional<Record> read_record(int fd, std::int64_t offset) {
  char header[header_size];
  if (!read_exact(fd, header, header_size, offset) || std::memcmp(header, magic, 4) != 0) return std::nullopt;
  std::uint32_t payload_length = 0, description_length = 0, crc = 0;
  std::memcpy(&payload_length, header + 4, 4);
  std::memcpy(&description_length, header + 8, 4);
  std::memcpy(&crc, header + 12, 4);
  if (payload_length > (64u << 20) || description_length > (1u << 20)) return std::nullopt;
  Record r;
  r.description.resize(description_length);
  r.payload.resize(payload_length);
  auto at = offset + static_cast<std::int64_t>(header_size);
  if (!read_exact(fd, r.description.data(), description_length, at) ||
      !read_exact(fd, r.payload.data(), payload_length, at + description_length)) {
    return std::nullopt;
  }
  if (record_crc(header + 4, r.description, r.payload) != crc) return std::nullopt;
  r.size = header_size + description_length + payload_length;
  return r;
}

bool all_zero(int fd, std::int64_t offset, std::size_t n) {
  std::string bytes(n, '\1');
  if (!read_exact(fd, bytes.data(), n, offset)) return false;
  return bytes.find_first_not_of('\0') == std::string::npos;
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
                         " (stop it first, or give this one its own MENTORBOT_DATABASE)");
  }
  auto existing = segments();
  open_segment(existing.empty() ? 1 : existing.back(), existing.empty());
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

std::vector<std::int64_t> PayloadLog::segments() const {
  std::vector<std::int64_t> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().extension() == ".payloads") out.push_back(std::atoll(entry.path().stem().c_str()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

void PayloadLog::open_segment(std::int64_t number, bool fresh) {
  if (fd_ >= 0) ::close(fd_);
  auto path = segment_path(number);
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (fresh ? O_TRUNC : 0);
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

PayloadLog::Chunk PayloadLog::plan(std::span<const Entry> entries) {
  std::lock_guard lock(mutex_);
  std::size_t size = 0;
  for (const auto& e : entries) size += header_size + e.description.size() + e.payload.size();
  size = round_up(size, block);
  if (end_ > 0 && end_ + static_cast<std::int64_t>(size) > segment_limit) open_segment(segment_ + 1, true);
  buffer_->reserve(size);

  Chunk chunk;
  chunk.segment = segment_;
  chunk.offset = end_;
  chunk.size = size;
  char* at = buffer_->data;
  for (const auto& e : entries) {
    auto payload_length = static_cast<std::uint32_t>(e.payload.size());
    auto description_length = static_cast<std::uint32_t>(e.description.size());
    std::memcpy(at, magic, 4);
    std::memcpy(at + 4, &payload_length, 4);
    std::memcpy(at + 8, &description_length, 4);
    std::uint32_t crc = record_crc(at + 4, e.description, e.payload);
    std::memcpy(at + 12, &crc, 4);
    std::memset(at + 16, 0, header_size - 16);
    std::memcpy(at + header_size, e.description.data(), e.description.size());
    std::memcpy(at + header_size + e.description.size(), e.payload.data(), e.payload.size());
    chunk.refs.push_back({segment_, end_ + (at - buffer_->data), static_cast<std::int64_t>(e.payload.size())});
    at += header_size + e.description.size() + e.payload.size();
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
    if (n <= 0) {
      end_ = chunk.offset;  // the next batch goes here, over whatever part of this one landed
      io_error("write to payload log");
    }
    done += static_cast<std::size_t>(n);
  }
  if (!direct_ && ::fdatasync(fd_) != 0) {
    end_ = chunk.offset;
    io_error("sync payload log");
  }
}

std::optional<std::string> PayloadLog::read(const PayloadRef& ref) const {
  int fd = ::open(segment_path(ref.segment).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    io_error("open payload segment");
  }
  auto record = read_record(fd, ref.offset);
  ::close(fd);
  if (!record || static_cast<std::int64_t>(record->payload.size()) != ref.length) {
    throw StoreError("payload log record at segment " + std::to_string(ref.segment) + " offset " +
                         std::to_string(ref.offset) + " is damaged");
  }
  return std::move(record->payload);
}

std::size_t PayloadLog::recover(std::optional<PayloadRef> after, const Visit& visit) {
  std::lock_guard lock(mutex_);
  auto all = segments();
  std::int64_t segment = all.empty() ? segment_ : all.front();
  std::int64_t pos = 0;
  if (after) {
    segment = after->segment;
    int fd = ::open(segment_path(segment).c_str(), O_RDONLY | O_CLOEXEC);
    std::optional<Record> last;
    if (fd >= 0) {
      last = read_record(fd, after->offset);
      ::close(fd);
    }
    if (last) {
      pos = after->offset + static_cast<std::int64_t>(last->size);
    } else {
      // Its segment was purged (or damaged): whatever is newer starts in a later segment.
      auto later = std::upper_bound(all.begin(), all.end(), after->segment);
      segment = later == all.end() ? segment_ : *later;
      pos = 0;
    }
  }

  std::size_t visited = 0;
  std::int64_t end_segment = segment, end_pos = pos;
  for (bool stop = false; !stop;) {
    int fd = ::open(segment_path(segment).c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      if (fd >= 0) ::close(fd);
      break;
    }
    while (pos + static_cast<std::int64_t>(header_size) <= st.st_size) {
      if (auto r = read_record(fd, pos)) {
        visit(PayloadRef{segment, pos, static_cast<std::int64_t>(r->payload.size())}, r->description, r->payload);
        ++visited;
        pos += static_cast<std::int64_t>(r->size);
        end_segment = segment;
        end_pos = pos;
      } else if (all_zero(fd, pos, header_size)) {
        pos = static_cast<std::int64_t>(round_up(static_cast<std::size_t>(pos) + 1, block));  // padding
      } else {
        stop = true;  // a torn write: the end of what was ever acknowledged
        break;
      }
    }
    ::close(fd);
    auto next = std::upper_bound(all.begin(), all.end(), segment);
    if (stop || next == all.end()) break;
    segment = *next;
    pos = 0;
  }
  if (all.size() > 0 && end_segment < all.back()) {
    spdlog::warn("payload log: segments after {} hold nothing readable; appending in segment {}", end_segment,
                 end_segment);
  }
  // Append right after the last intact record, over anything torn behind it.
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  open_segment(end_segment, false);
  end_ = static_cast<std::int64_t>(round_up(static_cast<std::size_t>(end_pos), block));
  return visited;
}

int PayloadLog::remove_before(std::int64_t segment) {
  std::int64_t current;
  {
    std::lock_guard lock(mutex_);
    current = segment_;
  }
  int removed = 0;
  for (auto n : segments()) {
    if (n < segment && n < current) {
      std::error_code ec;
      if (std::filesystem::remove(segment_path(n), ec)) ++removed;
    }
  }
  return removed;
}

std::int64_t PayloadLog::current_segment() const {
  std::lock_guard lock(mutex_);
  return segment_;
}

}  // namespace mentorbot::store
