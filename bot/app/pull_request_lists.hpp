#pragma once
// A pull request's files and commits over GitHub's REST API (paginated, 100 a page).
#include "app/delivery_sources.hpp"
#include "github/client.hpp"

namespace mentorbot::app {

class PullRequestListsOverRest final : public PullRequestLists {
 public:
  explicit PullRequestListsOverRest(github::Client& client) : client_(client) {}
  std::vector<github::ChangedFile> files(std::int64_t installation, const std::string& repo,
                                         std::int64_t number) override;
  std::vector<github::PullCommit> commits(std::int64_t installation, const std::string& repo,
                                          std::int64_t number) override;

 private:
  json::array list(std::int64_t installation, const std::string& repo, std::int64_t number, const char* what);
  github::Client& client_;
};

}  // namespace mentorbot::app
