#pragma once
// Bare mirrors of the repositories mentorbot is installed on, under DATA_DIR/mirrors/OWNER/REPO.git:
// cloned from the payload's clone_url when first needed (with an installation token over https;
// file:// for tests), and only the default branch followed, fetched on push. One fetch per
// repository at a time. Used from worker threads only: never on the webhook path.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>
#include <string>

#include "history/git.hpp"

namespace mentorbot::history {

struct MirrorSource {
  std::string repo;  // owner/name
  std::string clone_url;
  std::string default_branch;
  std::optional<std::int64_t> installation_id;
};

class Mirrors {
 public:
  // An installation token for https clone URLs (nullopt: fetch anonymously).
  using Token = std::function<std::optional<std::string>(std::int64_t installation_id)>;
  Mirrors(std::filesystem::path root, Token token);

  // Clones the mirror if it is missing, else fetches the default branch (when `fetch`).
  // Returns the tip of the default branch (only this process moves it: without a fetch it is
  // answered from memory). Throws GitError.
  git_oid sync(const MirrorSource& source, bool fetch);
  // Another process heard of a push to `repo`: this mirror fetches at its next sync.
  void stale(const std::string& repo);

  // An open handle on the mirror, taken from a small pool and given back when the lease ends
  // (opening a repository costs dozens of file-system calls; a handle is used by one thread).
  class Lease {
   public:
    Lease(Mirrors& mirrors, std::string repo, Repository handle)
        : mirrors_(&mirrors), repo_(std::move(repo)), handle_(std::move(handle)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease();
    git_repository* get() const { return handle_.get(); }

   private:
    Mirrors* mirrors_;
    std::string repo_;
    Repository handle_;
  };
  Lease lease(const std::string& repo);
  Repository open(const std::string& repo) const;
  std::filesystem::path path_of(const std::string& repo) const;
  bool exists(const std::string& repo) const;

 private:
  struct State {
    std::mutex fetching;  // one fetch (or clone) per repository at a time; guards `tip`
    std::optional<git_oid> tip;  // of `tip_branch`, as this process last cloned, fetched or read it
    std::string tip_branch;
    std::atomic<bool> stale{false};  // fetch at the next sync, asked or not
    std::mutex pool_mutex;
    std::vector<Repository> pool;  // idle open handles
  };
  State& state(const std::string& repo);
  void fetch(const MirrorSource& source, const std::vector<std::string>& refspecs);

  std::filesystem::path root_;
  Token token_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<State>> states_;
};

}  // namespace mentorbot::history
