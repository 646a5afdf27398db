#pragma once
// What a delivery's features ask of the world (features/context.hpp), answered over GitHub, the
// git mirrors and the store. One object per delivery: each fact is fetched at most once, however
// many features ask for it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/good_first_issues.hpp"
#include "app/repo_configs.hpp"
#include "features/context.hpp"
#include "history/contributors.hpp"
#include "store/store.hpp"

namespace mentorbot::render {
class Templates;
}

namespace mentorbot::app {

// A pull request's files and commits as GitHub lists them (the REST API; a file for replay).
struct PullRequestLists {
  virtual ~PullRequestLists() = default;
  virtual std::vector<github::ChangedFile> files(std::int64_t installation, const std::string& repo,
                                                 std::int64_t number) = 0;
  virtual std::vector<github::PullCommit> commits(std::int64_t installation, const std::string& repo,
                                                  std::int64_t number) = 0;
};

// The process-wide parts the sources use. Null parts: the features do the best they can from
// the payload alone (no GitHub: the default config, no files; no history: GitHub's own field).
struct Services {
  store::Store* store = nullptr;
  RepoConfigs* configs = nullptr;
  PullRequestLists* lists = nullptr;
  history::Contributors* contributors = nullptr;
  const render::Templates* templates = nullptr;
  GoodFirstIssuesOverSearch* issues = nullptr;
};

class DeliverySources final : public features::Sources {
 public:
  DeliverySources(const Services& services, std::string delivery, bool last_attempt)
      : services_(services), delivery_(std::move(delivery)), last_attempt_(last_attempt) {}

  const features::RepoConfig& read_config(std::int64_t installation, const std::string& repo) override;
  features::LoadedConfig config_at(std::int64_t installation, const std::string& repo, const std::string& ref) override;
  std::optional<std::string> file_at(std::int64_t installation, const std::string& repo, const std::string& path,
                                     const std::string& ref) override;
  const history::Classification& classify_author(const github::PullRequestEvent& event, int threshold) override;
  const std::vector<github::ChangedFile>& read_files(const github::PullRequestEvent& event) override;
  const std::vector<github::PullCommit>& read_commits(const github::PullRequestEvent& event) override;
  std::vector<store::outbox::Row> planned_on(const std::string& repo, std::int64_t number) override;
  void forget_config(const std::string& repo) override;
  void default_branch_moved(const github::PushEvent& push) override;
  std::optional<std::int64_t> usual_first_response_s(const std::string& repo, std::int64_t except,
                                                     int min_points) override;
  std::vector<features::OpenIssue> good_first_issues(std::int64_t installation, const std::string& repo,
                                                     const std::vector<std::string>& labels) override;

 private:
  history::Classification classify(const github::PullRequestEvent& event, int threshold);

  Services services_;
  std::string delivery_;
  bool last_attempt_;
  std::map<std::string, features::RepoConfig> configs_;
  std::map<std::int64_t, history::Classification> authors_;  // by pull request number
  std::map<std::int64_t, std::vector<github::ChangedFile>> files_;
  std::map<std::int64_t, std::vector<github::PullCommit>> commits_;
};

// Where a push or a pull request's repository is mirrored from.
history::MirrorSource mirror_source(const github::RepositoryEvent& event);

}  // namespace mentorbot::app
