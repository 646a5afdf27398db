#include "history/local_history.hpp"

#include "history/contributors.hpp"

namespace mentorbot::history {

LocalHistory read_local_history(const std::string& dir) {
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) {
    throw GitError(dir + " is not a git repository");
  }
  Repository repo(raw);
  git_oid tip;
  if (git_reference_name_to_id(&tip, repo.get(), "HEAD") < 0) throw GitError(dir + " has no commits on HEAD");
  LocalHistory out;
  out.branch = "HEAD";
  git_reference* head = nullptr;
  if (git_repository_head(&head, repo.get()) == 0) {
    Reference owned(head);
    out.branch = git_reference_shorthand(head);
  }
  out.tip = oid_text(tip);
  auto identities = scan_authors(repo.get(), tip, nullptr, &out.commits);
  out.index = std::make_unique<AuthorIndex>(std::move(identities), load_mailmap(repo.get()));
  return out;
}

}  // namespace mentorbot::history
