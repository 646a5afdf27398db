#pragma once
// Webhook payloads, appended to segment files beside the database. A batch of payloads is one
// aligned write that bypasses the page cache (O_DIRECT) and is on the disk (O_DSYNC) before the
// rows that point at them are committed. Each record carries a description of its delivery
// (its id, event and the indexed facts) and a CRC-32C, so the log alone can rebuild rows that
// SQLite lost: the database commits without waiting for the disk (WAL, synchronous=NORMAL,
// which survives a killed process but not a power cut), and at start-up `recover` re-inserts
// whatever the log holds beyond the newest row.
//
// Storing the payload as an SQLite BLOB instead (B-tree overflow pages, WAL frames, the
// checkpoint copy) costs about twice the CPU per delivery; tests/bench/store_bench.cpp
// measures both, results in tests/bench/RESULTS.md.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mentorbot::store {

struct PayloadRef {
  std::int64_t segment = 0;
  std::int64_t offset = 0;  // of the record header
  std::int64_t length = 0;  // of the payload
};

class PayloadLog {
 public:
  // Opens (creating if needed) the log in `dir`. Throws StoreError when another process has it.
  // Call recover() before the first append.
  explicit PayloadLog(std::filesystem::path dir);
  ~PayloadLog();
  PayloadLog(const PayloadLog&) = delete;
  PayloadLog& operator=(const PayloadLog&) = delete;

  struct Entry {
    std::string_view description;  // what the record is about (the inbox's encoding)
    std::string_view payload;
  };
  // Where each entry will go, and the bytes to write (one per batch, from one thread).
  struct Chunk {
    std::vector<PayloadRef> refs;
    std::int64_t segment = 0;
    std::int64_t offset = 0;
    std::size_t size = 0;  // a multiple of the block size
  };
  Chunk plan(std::span<const Entry> entries);
  // Writes a planned chunk and returns once it is durable. Throws StoreError on I/O failure;
  // then the next plan() reuses the same place.
  void write(const Chunk& chunk);

  // The payload at `ref`; nullopt when its segment was purged. Throws StoreError if damaged.
  std::optional<std::string> read(const PayloadRef& ref) const;

  // Reads every intact record after `after` (or from the oldest segment when nullopt), in
  // order, and makes the next append go right after the last one (over a torn write, if the
  // process died in the middle of one). Returns how many records it visited.
  using Visit = std::function<void(const PayloadRef& ref, std::string_view description, std::string_view payload)>;
  std::size_t recover(std::optional<PayloadRef> after, const Visit& visit);

  // Deletes segments numbered below `segment` (never the one being written).
  int remove_before(std::int64_t segment);
  std::int64_t current_segment() const;
  const std::filesystem::path& dir() const { return dir_; }

  static constexpr std::size_t block = 4096;
  static constexpr std::int64_t segment_limit = 256ll << 20;

 private:
  void open_segment(std::int64_t number, bool fresh);
  std::filesystem::path segment_path(std::int64_t number) const;
  std::vector<std::int64_t> segments() const;

  std::filesystem::path dir_;
  mutable std::mutex mutex_;  // guards the fields below (log thread vs. purge and readers)
  int fd_ = -1;
  int lock_fd_ = -1;     // flock'ed for the life of this object
  bool direct_ = false;  // O_DIRECT accepted by this file system
  std::int64_t segment_ = 0;
  std::int64_t end_ = 0;  // next write offset in segment_
  struct Buffer;
  std::unique_ptr<Buffer> buffer_;  // aligned, reused by every batch
};

}  // namespace mentorbot::store
