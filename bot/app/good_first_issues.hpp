#pragma once
// Open, unassigned issues with a repository's good-first-issue labels, from GitHub's search API
// (its own small rate limit: 30 requests a minute), remembered per repository for ten minutes:
// a sprint merging many first pull requests asks once. A suggestion is a kindness: when GitHub
// will not say now, there is none.
#include <chrono>
#include <map>
#include <mutex>

#include <boost/json/value.hpp>

#include "features/context.hpp"
#include "github/client.hpp"

namespace mentorbot::app {

class GoodFirstIssuesOverSearch {
 public:
  explicit GoodFirstIssuesOverSearch(github::Client& client) : client_(client) {}
  std::vector<features::OpenIssue> find(std::int64_t installation, const std::string& repo,
                                        const std::vector<std::string>& labels);

  // The search's query (`q`, before encoding): open issues of `repo`, nobody assigned, with any of `labels`.
  static std::string query(const std::string& repo, const std::vector<std::string>& labels);
  // The issues in a search answer (pull requests and assigned ones left out).
  static std::vector<features::OpenIssue> parse(const boost::json::value& answer);

 private:
  github::Client& client_;
  std::mutex mutex_;
  using Found = std::pair<std::vector<features::OpenIssue>, std::chrono::steady_clock::time_point>;
  std::map<std::string, Found> cache_;  // the query -> what it found, until when
};

}  // namespace mentorbot::app
