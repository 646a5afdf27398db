#pragma once
// Every author of a repository's default branch, for "has this person contributed before?".
// Built by reading each commit once (the raw object, only its parents and author line),
// counted per identity as written, then joined by .mailmap into people, and GitHub's noreply
// addresses tied to their logins. Kept up to date by walking only the commits a push adds.
#include <git2.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "history/git.hpp"

namespace mentorbot::history {

// Commits by one identity exactly as commits name it (before .mailmap).
struct RawIdentity {
  std::string name;
  std::string email;
  std::int64_t commits = 0;
  std::int64_t first_commit_at = 0;  // unix seconds
};

// Commits reachable from `tip` and not from `since` (all of them when `since` is null), by
// identity. Throws GitError. `commits_seen` counts the commits read.
std::vector<RawIdentity> scan_authors(git_repository* repo, const git_oid& tip, const git_oid* since,
                                      std::size_t* commits_seen = nullptr);

// One person after .mailmap.
struct Author {
  std::string name;
  std::string email;  // canonical, lower case
  std::optional<std::string> login;
  std::optional<std::int64_t> github_id;
  std::int64_t commits = 0;
  std::int64_t first_commit_at = 0;
  std::vector<std::string> emails;  // every address that maps here, lower case
};

class AuthorIndex {
 public:
  // `mailmap` may be empty (no .mailmap).
  AuthorIndex(std::vector<RawIdentity> raw, Mailmap mailmap);

  // Adds the identities of newly scanned commits (only those are looked up in .mailmap).
  void add(const std::vector<RawIdentity>& raw);
  // Takes a changed .mailmap: every identity is looked up again.
  void remap(Mailmap mailmap);

  // The person behind an identity as a commit names it (.mailmap applied).
  const Author* find(std::string_view name, std::string_view email) const;
  // By any address that person used (lower-cased here).
  const Author* find_email(std::string_view email) const;
  // By GitHub login (from noreply addresses), or by GitHub user id.
  const Author* find_login(std::string_view login) const;
  const Author* find_github_id(std::int64_t id) const;

  const std::vector<Author>& authors() const { return authors_; }
  const std::vector<RawIdentity>& raw() const { return raw_; }

 private:
  void rebuild();
  std::size_t place(const RawIdentity& r);  // adds one raw identity to its person
  std::pair<std::string, std::string> canonical(std::string_view name, std::string_view email) const;

  Mailmap mailmap_;
  std::vector<RawIdentity> raw_;
  std::unordered_map<std::string, std::size_t> raw_slot_;  // name \0 lower(email) -> raw_
  std::vector<std::size_t> person_of_;                     // raw_ -> authors_
  std::vector<Author> authors_;
  std::unordered_map<std::string, std::size_t> by_email_;  // any lower-case address -> authors_
  std::unordered_map<std::string, std::size_t> by_login_;
  std::unordered_map<std::int64_t, std::size_t> by_id_;
};

}  // namespace mentorbot::history
