#pragma once
// How many pull requests someone had merged in a repository, from GitHub's search API
// (which has its own, small rate limit: 30 requests a minute), remembered for ten minutes.
#include <chrono>
#include <map>
#include <mutex>

#include "github/client.hpp"
#include "history/contributors.hpp"

namespace mentorbot::app {

class MergedPullRequestsOverSearch final : public history::MergedPullRequests {
 public:
  explicit MergedPullRequestsOverSearch(github::Client& client) : client_(client) {}
  std::optional<std::int64_t> count(std::int64_t installation_id, const std::string& repo,
                                    const std::string& login) override;

 private:
  github::Client& client_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::chrono::steady_clock::time_point>> cache_;
};

}  // namespace mentorbot::app
