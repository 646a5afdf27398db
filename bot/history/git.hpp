#pragma once
// RAII for libgit2: one owner per handle, freed on scope exit; every call checked.
#include <git2.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/free.hpp"

namespace mentorbot::history {

struct GitError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws GitError("what: libgit2's message") when rc < 0.
void git_check(int rc, std::string_view what);

using Repository = std::unique_ptr<git_repository, Free<git_repository_free>>;
using Revwalk = std::unique_ptr<git_revwalk, Free<git_revwalk_free>>;
using Odb = std::unique_ptr<git_odb, Free<git_odb_free>>;
using OdbObject = std::unique_ptr<git_odb_object, Free<git_odb_object_free>>;
using Mailmap = std::unique_ptr<git_mailmap, Free<git_mailmap_free>>;
using Remote = std::unique_ptr<git_remote, Free<git_remote_free>>;
using Reference = std::unique_ptr<git_reference, Free<git_reference_free>>;
using Commit = std::unique_ptr<git_commit, Free<git_commit_free>>;
using Object = std::unique_ptr<git_object, Free<git_object_free>>;

// Process-wide libgit2 set-up, held by main() for the life of the process.
struct LibGit2 {
  LibGit2();
  ~LibGit2();
  LibGit2(const LibGit2&) = delete;
  LibGit2& operator=(const LibGit2&) = delete;
};

Repository open_repository(const std::string& path);
std::string oid_text(const git_oid& oid);
git_oid oid_from(std::string_view hex);

}  // namespace mentorbot::history
