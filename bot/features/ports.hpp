#pragma once
// What features ask of the world, as narrow interfaces they own (Prow's per-plugin clients).
// The app implements them over GitHub and the store; tests hand in small fakes. Every port may
// be null: a feature then does the best it can from the payload alone.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/repo_config.hpp"
#include "features/review/rules.hpp"

namespace mentorbot::history {
class Contributors;
}
namespace mentorbot::render {
class Templates;
}
namespace mentorbot::store {
class Store;
}

namespace mentorbot::features {

// A pull request's files (with their patches) and commits, as GitHub lists them.
struct PullRequestReader {
  virtual ~PullRequestReader() = default;
  virtual std::vector<review::ChangedFile> files(std::int64_t installation, const std::string& repo,
                                                 std::int64_t number) = 0;
  virtual std::vector<review::Commit> commits(std::int64_t installation, const std::string& repo,
                                              std::int64_t number) = 0;
};

// A repository's .github/mentorbot.yml, over the defaults (cached by whoever implements it).
struct ConfigSource {
  virtual ~ConfigSource() = default;
  virtual RepoConfig config(std::int64_t installation, const std::string& repo) = 0;
  // A push changed the config file of `repo`: read it again next time (and every config that
  // extends it).
  virtual void forget(const std::string& repo) = 0;
};

// What the app hands every handler (Probot's context): the parts it may use.
struct Ports {
  history::Contributors* contributors = nullptr;  // who is new here; null: the payload decides
  int newcomer_threshold = 3;                     // when the repository does not say
  const render::Templates* templates = nullptr;   // null: nothing is worded, nothing is posted
  const std::vector<review::Rule>* rules = nullptr;
  ConfigSource* configs = nullptr;          // null: the defaults
  PullRequestReader* pull_requests = nullptr;  // null: no diff to review
  store::Store* store = nullptr;            // what was planned before (the outbox), tracked PRs, coins
  std::string public_url;                   // where this server is reached (badge links); empty: unknown
  std::function<void()> coins_awarded;      // a coin reached the ledger (the live events' cue); may be empty
};

}  // namespace mentorbot::features
