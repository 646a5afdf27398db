#include "app/merged_prs.hpp"

#include <spdlog/spdlog.h>

namespace mentorbot::app {

std::optional<std::int64_t> MergedPullRequestsOverSearch::count(std::int64_t installation_id, const std::string& repo,
                                                                const std::string& login) {
  auto key = std::make_pair(repo, login);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.second > now) return it->second.first;
  }
  try {
    auto r = client_.get(installation_id, "/search/issues?q=repo:" + repo + "+author:" + github::url_encode(login) +
                                              "+is:pr+is:merged&per_page=1");
    auto total = json_int(r.body, {"total_count"});
    if (!total) return std::nullopt;
    std::lock_guard lock(mutex_);
    cache_[key] = {*total, now + std::chrono::minutes(10)};
    return total;
  } catch (const github::ApiError& e) {
    // Refused (not a trouble that passes): GitHub will not say. No answer now (unavailable, rate
    // limited) is thrown on, and the delivery asks again on its next try.
    spdlog::warn("GitHub search for {}'s merged pull requests in {} was refused: {}", login, repo, e.what());
    return std::nullopt;
  }
}

}  // namespace mentorbot::app
