#include "history/git.hpp"

namespace mentorbot::history {

void git_check(int rc, std::string_view what) {
  if (rc >= 0) return;
  const git_error* e = git_error_last();
  throw GitError(std::string(what) + ": " + (e && e->message ? e->message : "libgit2 error " + std::to_string(rc)));
}

LibGit2::LibGit2() {
  git_libgit2_init();
  // Objects come from fetches libgit2 has already verified; hashing each again on every read
  // would double the cost of building an author index.
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // mentorbot reads each commit once per scan; an object cache would only hold memory.
  git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
}

LibGit2::~LibGit2() { git_libgit2_shutdown(); }

Repository open_repository(const std::string& path) {
  git_repository* raw = nullptr;
  git_check(git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr), "open " + path);
  return Repository(raw);
}

std::string oid_text(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

git_oid oid_from(std::string_view hex) {
  git_oid oid;
  git_check(git_oid_fromstrn(&oid, hex.data(), hex.size()), "object id");
  return oid;
}

}  // namespace mentorbot::history
