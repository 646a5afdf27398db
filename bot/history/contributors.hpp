#pragma once
// The facts about a pull request's author, gathered cheapest first: the payload's
// author_association; the identities of the pull request's own commits (as GitHub lists them)
// and GitHub's noreply addresses, looked up in the repository's author index (the mirror
// follows only the default branch); and, only when the history leaves it open, the number of
// their merged pull requests (GitHub's search, cached). Runs in workers; the mirror and index
// work never touches the webhook path.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "history/author_index.hpp"
#include "history/classify.hpp"
#include "history/mirror.hpp"
#include "store/store.hpp"

namespace mentorbot::history {

// GitHub's count of someone's merged pull requests in a repository (interface owned by its
// user; the app implements it over the search API). nullopt: GitHub will not say; a trouble
// that passes (no answer, a rate limit) is thrown, so the delivery asks again on a later try.
class MergedPullRequests {
 public:
  virtual ~MergedPullRequests() = default;
  virtual std::optional<std::int64_t> count(std::int64_t installation_id, const std::string& repo,
                                            const std::string& login) = 0;
};

// Who wrote a pull request, as its payload and its commit list say.
struct AuthorQuery {
  MirrorSource source;       // the repository
  std::string login;
  std::int64_t user_id = 0;  // 0: unknown
  std::string association;   // GitHub's author_association, upper case
  bool bot = false;
  // The name and address of each of the pull request's commits, as the commits name their author.
  std::vector<std::pair<std::string, std::string>> identities;
};

class Contributors {
 public:
  // `api` may be null (dry-run: the history alone decides).
  Contributors(store::Store& store, Mirrors& mirrors, MergedPullRequests* api);

  // Throws GitError when the mirror cannot be had; the caller decides whether to retry or to
  // call the author unknown.
  Facts pull_request_author(const AuthorQuery& query, int newcomer_threshold);
  // The default branch moved: fetch it and count the new commits (when the repository is mirrored).
  void default_branch_moved(const MirrorSource& source);

  // The index of a mirrored repository, brought up to `tip` (loaded from the store, then
  // only the commits since). Exposed for tests and the CLI.
  struct Indexed {
    std::mutex mutex;  // guards everything below
    std::string tip;
    std::unique_ptr<AuthorIndex> index;
  };
  Indexed& indexed(const std::string& repo, git_repository* mirror, const git_oid& tip);

 private:
  store::Store& store_;
  Mirrors& mirrors_;
  MergedPullRequests* api_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Indexed>> indexes_;
};

// Brings `indexed` from its tip up to `tip` in `repo` (full scan when it has none, or when its
// tip is no ancestor of `tip`: a force-push). Returns the identities that were added, and
// whether the scan was a full one.
struct IndexUpdate {
  std::vector<RawIdentity> added;
  bool full = false;
  std::size_t commits = 0;
};
IndexUpdate bring_up_to(Contributors::Indexed& indexed, git_repository* repo, const git_oid& tip);

Mailmap load_mailmap(git_repository* repo);

}  // namespace mentorbot::history
