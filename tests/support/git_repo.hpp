#pragma once
// Real git repositories for tests, made with the git command line: a working clone to commit
// in, a bare repository to serve as the "GitHub" remote (file://), and refs/pull/N/head.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace testing {

struct Person {
  std::string name;
  std::string email;
};

class GitRepo {
 public:
  // Makes DIR/origin.git (bare, default branch `branch`) and DIR/work (a clone).
  GitRepo(const std::filesystem::path& dir, const std::string& branch = "main");

  // Commits a change to `file` in the working clone on the current branch; returns its sha.
  std::string commit(const Person& author, const std::string& message, const std::string& file = "README.md",
                     const std::string& content = "");
  // Pushes the current branch to origin's `branch`.
  void push(const std::string& branch = "main");
  // Starts a branch at `from` (a sha or a ref) in the working clone.
  void checkout(const std::string& branch, const std::string& from);
  // Merges `branch` into the current one with a merge commit; returns its sha.
  std::string merge(const Person& author, const std::string& branch);
  // Publishes `sha` as refs/pull/N/head on origin, as GitHub does for every pull request.
  void pull_ref(std::int64_t number, const std::string& sha);
  std::string sha(const std::string& rev) const;
  std::string url() const { return "file://" + (dir_ / "origin.git").string(); }
  std::filesystem::path origin() const { return dir_ / "origin.git"; }
  std::filesystem::path work() const { return dir_ / "work"; }
  // Runs `git ARGS` in the working clone (authored by `who` when given); returns its output.
  std::string git(const std::string& args, const Person* who = nullptr) const;

 private:
  std::filesystem::path dir_;
  mutable int clock_ = 0;  // commit times: one minute apart, from 2021-01-01
};

}  // namespace testing
