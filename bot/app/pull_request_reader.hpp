#pragma once
// A pull request's files and commits over GitHub's REST API (paginated, 100 a page).
#include "features/ports.hpp"
#include "github/client.hpp"

namespace mentorbot::app {

class PullRequestReaderOverRest final : public features::PullRequestReader {
 public:
  explicit PullRequestReaderOverRest(github::Client& client) : client_(client) {}
  std::vector<features::review::ChangedFile> files(std::int64_t installation, const std::string& repo,
                                                   std::int64_t number) override;
  std::vector<features::review::Commit> commits(std::int64_t installation, const std::string& repo,
                                                std::int64_t number) override;

 private:
  github::Client& client_;
};

// The same from JSON as GitHub answers it (for `mentorbot replay --files`).
std::vector<features::review::ChangedFile> files_from_json(const json::value& list);
std::vector<features::review::Commit> commits_from_json(const json::value& list);

}  // namespace mentorbot::app
