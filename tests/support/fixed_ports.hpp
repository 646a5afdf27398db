#pragma once
// Small stand-ins for what the app hands features and the event stream, shared by unit tests.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "features/context.hpp"
#include "http/message.hpp"
#include "render/templates.hpp"
#include "store/pipeline.hpp"
#include "store/store.hpp"

namespace testing {

// The templates of this source tree, loaded once.
inline const mentorbot::render::Templates& source_templates() {
  static const auto t = mentorbot::render::Templates::load(MENTORBOT_SOURCE_DIR "/templates");
  return t;
}

// What a delivery's features may ask, answered from fields a test sets; it counts what was asked.
struct FakeSources final : mentorbot::features::Sources {
  mentorbot::features::RepoConfig config;  // every repository's
  mentorbot::history::Classification author{mentorbot::history::Status::first_time_contributor, "a test says so"};
  std::vector<mentorbot::github::ChangedFile> files;
  std::vector<mentorbot::github::PullCommit> commits;
  std::vector<mentorbot::store::outbox::Row> planned;
  bool files_fail = false;  // read_files throws github::Unavailable
  std::vector<std::string> forgotten;
  int configs_read = 0, authors_asked = 0, files_read = 0, commits_read = 0, branches_moved = 0;

  const mentorbot::features::RepoConfig& read_config(std::int64_t, const std::string&) override {
    ++configs_read;
    return config;
  }
  // The files at a ref: "ref:path" (ref empty: the default branch).
  std::map<std::string, std::string> files_at;
  mentorbot::features::LoadedConfig config_at(std::int64_t, const std::string& repo, const std::string& ref) override {
    return mentorbot::features::load_repo_config(repo, [&](const std::string& r, const std::string& path) {
      return r == repo ? file_at(0, r, path, ref) : std::nullopt;
    });
  }
  std::optional<std::string> file_at(std::int64_t, const std::string&, const std::string& path,
                                     const std::string& ref) override {
    auto it = files_at.find(ref + ":" + path);
    if (it == files_at.end()) return std::nullopt;
    return it->second;
  }
  const mentorbot::history::Classification& classify_author(const mentorbot::github::PullRequestEvent&, int) override {
    ++authors_asked;
    return author;
  }
  const std::vector<mentorbot::github::ChangedFile>& read_files(const mentorbot::github::PullRequestEvent&) override;
  const std::vector<mentorbot::github::PullCommit>& read_commits(const mentorbot::github::PullRequestEvent&) override {
    ++commits_read;
    return commits;
  }
  std::vector<mentorbot::store::outbox::Row> planned_on(const std::string&, std::int64_t) override { return planned; }
  void forget_config(const std::string& repo) override { forgotten.push_back(repo); }
  void default_branch_moved(const mentorbot::github::PushEvent&) override { ++branches_moved; }
  // The pipeline's rows of every repository, measured as the store would be.
  std::vector<mentorbot::store::pipeline::Entry> pipeline;
  std::vector<mentorbot::features::OpenIssue> issues;  // every repository's good first issues
  int issue_searches = 0;
  std::vector<mentorbot::features::OpenIssue> good_first_issues(std::int64_t, const std::string&,
                                                                const std::vector<std::string>&) override {
    ++issue_searches;
    return issues;
  }
  std::optional<std::int64_t> usual_first_response_s(const std::string& repo, std::int64_t except,
                                                     int min_points) override;
};

// One delivery's handling as the dispatcher does it: a Context over `sources`, and its handover.
struct Handling {
  FakeSources sources;
  mentorbot::features::Handover handover;
  mentorbot::features::Context context{"test-delivery", false, sources, &source_templates(), handover};
};

// Commits a handover as the dispatcher does (its steps, then its writes, in one transaction) and
// returns the plan.
mentorbot::features::Plan commit(mentorbot::store::Store& store, mentorbot::features::Handover& handover);

// A viewer of a stream that keeps what it was sent; `open = false` makes it one that left.
struct RecordingSink final : mentorbot::http::StreamSink {
  std::vector<std::shared_ptr<const std::string>> got;
  bool open = true;
  bool push(std::shared_ptr<const std::string> bytes) override {
    if (!open) return false;
    got.push_back(std::move(bytes));
    return true;
  }
  // How often `text` occurs in what it was sent.
  std::size_t count(const std::string& text) const {
    std::size_t n = 0;
    for (const auto& g : got) {
      for (auto at = g->find(text); at != std::string::npos; at = g->find(text, at + 1)) ++n;
    }
    return n;
  }
};

}  // namespace testing
