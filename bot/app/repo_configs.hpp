#pragma once
// Repository configs read through GitHub's contents API and kept for a while: each is read
// again after `ttl`, or at once when a push changes it (or a file it extends).
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "features/ports.hpp"
#include "github/client.hpp"

namespace mentorbot::app {

class RepoConfigs final : public features::ConfigSource {
 public:
  RepoConfigs(github::Client& client, RepoConfig defaults, std::chrono::seconds ttl = std::chrono::minutes(15))
      : client_(client), defaults_(std::move(defaults)), ttl_(ttl) {}

  // Throws what the client throws when GitHub cannot answer (the delivery is retried).
  RepoConfig config(std::int64_t installation, const std::string& repo) override;
  void forget(const std::string& repo) override;

 private:
  struct Entry {
    RepoConfig config;
    std::vector<std::string> sources;
    std::chrono::steady_clock::time_point loaded;
  };
  std::optional<std::string> fetch(std::int64_t installation, const std::string& repo, const std::string& path);

  github::Client& client_;
  RepoConfig defaults_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::map<std::string, Entry> cache_;
};

}  // namespace mentorbot::app
