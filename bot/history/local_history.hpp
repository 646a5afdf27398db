#pragma once
// The author index of a local repository (bare or not), as `mentorbot history` shows it.
#include <cstddef>
#include <memory>
#include <string>

#include "history/author_index.hpp"

namespace mentorbot::history {

struct LocalHistory {
  std::string branch;  // HEAD's branch ("HEAD" when detached)
  std::string tip;     // the commit it is at
  std::size_t commits = 0;
  std::unique_ptr<AuthorIndex> index;
};

// Reads every commit of HEAD's branch once. Throws GitError saying what `dir` lacks (a
// repository, a commit).
LocalHistory read_local_history(const std::string& dir);

}  // namespace mentorbot::history
