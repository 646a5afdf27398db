#include "github/changes.hpp"

#include <algorithm>
#include <cctype>

namespace mentorbot::github {

std::vector<ChangedFile> files_from_json(const json::value& list) {
  std::vector<ChangedFile> out;
  if (!list.is_array()) return out;
  for (const auto& f : list.as_array()) {
    ChangedFile c;
    c.path = json_string(f, {"filename"}).value_or("");
    if (c.path.empty()) continue;
    c.status = json_string(f, {"status"}).value_or("modified");
    c.additions = static_cast<int>(json_int(f, {"additions"}).value_or(0));
    c.deletions = static_cast<int>(json_int(f, {"deletions"}).value_or(0));
    c.patch = json_string(f, {"patch"});
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<PullCommit> commits_from_json(const json::value& list) {
  std::vector<PullCommit> out;
  if (!list.is_array()) return out;
  for (const auto& c : list.as_array()) {
    PullCommit commit;
    commit.sha = json_string(c, {"sha"}).value_or("");
    commit.message = json_string(c, {"commit", "message"}).value_or("");
    const auto* parents = json_find(c, {"parents"});
    commit.parents = parents && parents->is_array() ? static_cast<int>(parents->as_array().size()) : 1;
    commit.author_name = json_string(c, {"commit", "author", "name"}).value_or("");
    commit.author_email = json_string(c, {"commit", "author", "email"}).value_or("");
    out.push_back(std::move(commit));
  }
  return out;
}

std::size_t description_length(const std::string& body) {
  std::size_t count = 0;
  std::size_t at = 0;
  while (at < body.size()) {
    auto open = body.find("<!--", at);
    auto end = open == std::string::npos ? body.size() : open;
    count += static_cast<std::size_t>(std::count_if(body.begin() + static_cast<std::ptrdiff_t>(at),
                                                    body.begin() + static_cast<std::ptrdiff_t>(end),
                                                    [](unsigned char ch) { return !std::isspace(ch); }));
    if (open == std::string::npos) break;
    auto close = body.find("-->", open + 4);
    at = close == std::string::npos ? body.size() : close + 3;
  }
  return count;
}

}  // namespace mentorbot::github
