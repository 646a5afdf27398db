#pragma once
// Who this process is among the processes sharing one database (replicas on PostgreSQL):
// "host:data-dir#incarnation". Each replica has a data directory of its own (its git mirrors, its
// lock), so whatever is still claimed under "host:data-dir#" when a process starts was left by
// an earlier run of that same replica, which is dead: it is taken back at once instead of
// waiting for its leases to lapse.
#include <filesystem>
#include <string>

namespace mentorbot::app {

class Replica {
 public:
  explicit Replica(const std::filesystem::path& data_dir);
  ~Replica();
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  const std::string& owner() const { return owner_; }    // host:/abs/data-dir#9f3a…
  const std::string& prefix() const { return prefix_; }  // host:/abs/data-dir#

  // Holds the data directory for this process until it exits; throws ConfigError when another
  // process holds it (two replicas may not share one).
  void lock();

 private:
  std::filesystem::path data_dir_;
  std::string owner_;
  std::string prefix_;
  int lock_fd_ = -1;
};

}  // namespace mentorbot::app
