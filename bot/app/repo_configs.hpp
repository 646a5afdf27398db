#pragma once
// Repository configs read through GitHub's contents API and kept for a while: each is read
// again after `ttl`, or at once when a push changes it (or a file it extends).
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "features/repo_config.hpp"
#include "github/client.hpp"

namespace mentorbot::app {

class RepoConfigs {
 public:
  RepoConfigs(github::Client& client, features::RepoConfig defaults,
              std::chrono::seconds ttl = std::chrono::minutes(15))
      : client_(client), defaults_(std::move(defaults)), ttl_(ttl) {}

  // Throws what the client throws when GitHub cannot answer (the delivery is retried).
  features::RepoConfig config(std::int64_t installation, const std::string& repo);
  // The config `repo`'s files at `ref` make (its default branch when empty), read now, with
  // every problem and doubt; and one file there.
  features::LoadedConfig load_at(std::int64_t installation, const std::string& repo, const std::string& ref);
  std::optional<std::string> file_at(std::int64_t installation, const std::string& repo, const std::string& path,
                                     const std::string& ref);
  // A push changed the config file of `repo`: read it again next time (and every config that
  // extends it).
  void forget(const std::string& repo);

 private:
  struct Entry {
    features::RepoConfig config;
    std::vector<std::string> sources;
    std::chrono::steady_clock::time_point loaded;
  };

  github::Client& client_;
  features::RepoConfig defaults_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::map<std::string, Entry> cache_;
};

}  // namespace mentorbot::app
