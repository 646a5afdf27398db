#pragma once
// A pull request's changes as GitHub lists them: its files (GET …/pulls/N/files, with each
// file's patch) and its commits (GET …/pulls/N/commits, with each commit's author as written).
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace mentorbot::github {

struct ChangedFile {
  std::string path;
  std::string status;  // added, modified, removed, renamed, …
  int additions = 0;
  int deletions = 0;
  std::optional<std::string> patch;  // missing for binary or very large files
};

struct PullCommit {
  std::string sha;
  std::string message;
  int parents = 1;
  std::string author_name;   // commit.author, as the commit names its author
  std::string author_email;
};

// From the JSON lists GitHub answers with; entries that are not what they should be are left out.
std::vector<ChangedFile> files_from_json(const json::value& list);
std::vector<PullCommit> commits_from_json(const json::value& list);

// The characters of a pull request's description that are not white space, leaving out the
// HTML comments a pull request template leaves behind (they are not a description).
std::size_t description_length(const std::string& body);

}  // namespace mentorbot::github
