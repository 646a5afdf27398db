#pragma once
// What a feature's effectful part gets for one delivery, and what it hands back.
//
// Facts that cost I/O come through narrow interfaces the features own (Prow's per-plugin
// clients): the repository's config, who the author is, the pull request's files and commits,
// what was planned on it before. The app implements them over GitHub, git and the store, each
// asked at most once per delivery; tests hand in small fakes. A feature decides purely from
// those facts and hands over its plan: GitHub writes, and steps that keep facts in the store.
// Both are committed in the one transaction that finishes the delivery, or not at all.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "features/repo_config.hpp"
#include "github/changes.hpp"
#include "github/event.hpp"
#include "history/classify.hpp"
#include "store/outbox.hpp"
#include "store/db.hpp"

namespace mentorbot::render {
class Templates;
}

namespace mentorbot::features {

// The repository's .github/mentorbot.yml over the defaults. Throws when GitHub cannot answer.
struct ConfigReader {
  virtual ~ConfigReader() = default;
  virtual const RepoConfig& read_config(std::int64_t installation, const std::string& repo) = 0;
};

// Who wrote a pull request: its payload, the repository's history and GitHub's count of their
// merged pull requests. Throws history::GitError when the history cannot be had now.
struct AuthorHistory {
  virtual ~AuthorHistory() = default;
  virtual const history::Classification& classify_author(const github::PullRequestEvent& event, int newcomer_threshold) = 0;
};

// The pull request's files (with their patches) and commits, as GitHub lists them. Throws
// what the GitHub client throws.
struct ChangesReader {
  virtual ~ChangesReader() = default;
  virtual const std::vector<github::ChangedFile>& read_files(const github::PullRequestEvent& event) = 0;
  virtual const std::vector<github::PullCommit>& read_commits(const github::PullRequestEvent& event) = 0;
};

// A repository's mentorbot files at one commit (`ref`: a pull request's head; empty: the default
// branch), for the words preview. Other repositories (the org's .github, an `_extends` base) are
// read at their default branch. Throws when GitHub cannot answer.
struct ConfigAtCommit {
  virtual ~ConfigAtCommit() = default;
  virtual LoadedConfig config_at(std::int64_t installation, const std::string& repo, const std::string& ref) = 0;
  virtual std::optional<std::string> file_at(std::int64_t installation, const std::string& repo,
                                             const std::string& path, const std::string& ref) = 0;
};

// What mentorbot planned on a pull request before (its outbox).
struct PlannedWrites {
  virtual ~PlannedWrites() = default;
  virtual std::vector<store::outbox::Row> planned_on(const std::string& repo, std::int64_t number) = 0;
};

// A push changed a repository's config: read it (and every config that extends it) again.
struct ConfigCache {
  virtual ~ConfigCache() = default;
  virtual void forget_config(const std::string& repo) = 0;
};

// The default branch of a repository moved: bring its mirror and author index up to date.
struct HistorySync {
  virtual ~HistorySync() = default;
  virtual void default_branch_moved(const github::PushEvent& push) = 0;
};

// What the newcomer pipeline has measured of a repository (store/pipeline_numbers.hpp).
struct PipelineFacts {
  virtual ~PipelineFacts() = default;
  // Within how long most newcomers' pull requests in `repo` opened in the last 90 days got a first
  // human response (pull request `except` aside), when at least `min_points` were opened; seconds.
  virtual std::optional<std::int64_t> usual_first_response_s(const std::string& repo, std::int64_t except,
                                                             int min_points) = 0;
};

// An open issue someone could pick up next.
struct OpenIssue {
  std::int64_t number = 0;
  std::string title;
  std::string author;  // who opened it
  std::string url;
};

// Open, unassigned issues of a repository with any of `labels` (GitHub's search, remembered for a
// while per repository), newest first, at most ten; none when there are none or GitHub will not
// say now (a suggestion is a kindness, never a reason to wait).
struct IssueFinder {
  virtual ~IssueFinder() = default;
  virtual std::vector<OpenIssue> good_first_issues(std::int64_t installation, const std::string& repo,
                                                   const std::vector<std::string>& labels) = 0;
};

// Everything a delivery may ask; each feature uses the interfaces it names.
struct Sources : ConfigReader, ConfigAtCommit, AuthorHistory, ChangesReader, PlannedWrites, ConfigCache, HistorySync, PipelineFacts,
                 IssueFinder {};

// What one delivery plans: the GitHub writes (sent after the commit, each once by its key),
// and whether the coin ledger grew (the live sprint screen's cue).
struct Plan {
  std::vector<store::outbox::Write> writes;
  bool coins_awarded = false;
};

// A step run inside the transaction that finishes the delivery: it reads and keeps facts in the
// store and may plan more writes, atomically with the delivery's other writes.
using Step = std::function<void(store::Db& db, Plan& plan)>;

struct Handover {
  Plan plan;
  std::vector<Step> steps;
  void write(store::outbox::Write w) { plan.writes.push_back(std::move(w)); }
  void step(Step s) { steps.push_back(std::move(s)); }
};

struct Context {
  std::string delivery;            // its id, for the log
  bool last_attempt = false;       // a handler that cannot find out now decides without
  Sources& sources;
  const render::Templates* templates = nullptr;  // null: nothing is worded, nothing is posted
  Handover& handover;
};

}  // namespace mentorbot::features
