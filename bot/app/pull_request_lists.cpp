#include "app/pull_request_lists.hpp"

namespace mentorbot::app {

json::array PullRequestListsOverRest::list(std::int64_t installation, const std::string& repo, std::int64_t number,
                                           const char* what) {
  json::array all;
  for (auto& item : client_.get_all(installation, "/repos/" + repo + "/pulls/" + std::to_string(number) + "/" + what)) {
    all.push_back(std::move(item));
  }
  return all;
}

std::vector<github::ChangedFile> PullRequestListsOverRest::files(std::int64_t installation, const std::string& repo,
                                                                 std::int64_t number) {
  return github::files_from_json(list(installation, repo, number, "files"));
}

std::vector<github::PullCommit> PullRequestListsOverRest::commits(std::int64_t installation, const std::string& repo,
                                                                  std::int64_t number) {
  return github::commits_from_json(list(installation, repo, number, "commits"));
}

}  // namespace mentorbot::app
