#include "app/pull_request_reader.hpp"

namespace mentorbot::app {

std::vector<features::review::ChangedFile> files_from_json(const json::value& list) {
  std::vector<features::review::ChangedFile> out;
  if (!list.is_array()) return out;
  for (const auto& f : list.as_array()) {
    features::review::ChangedFile c;
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

std::vector<features::review::Commit> commits_from_json(const json::value& list) {
  std::vector<features::review::Commit> out;
  if (!list.is_array()) return out;
  for (const auto& c : list.as_array()) {
    features::review::Commit commit;
    commit.sha = json_string(c, {"sha"}).value_or("");
    commit.message = json_string(c, {"commit", "message"}).value_or("");
    const auto* parents = json_find(c, {"parents"});
    commit.parents = parents && parents->is_array() ? static_cast<int>(parents->as_array().size()) : 1;
    out.push_back(std::move(commit));
  }
  return out;
}

std::vector<features::review::ChangedFile> PullRequestReaderOverRest::files(std::int64_t installation,
                                                                            const std::string& repo,
                                                                            std::int64_t number) {
  json::array all;
  for (auto& f : client_.get_all(installation, "/repos/" + repo + "/pulls/" + std::to_string(number) + "/files")) {
    all.push_back(std::move(f));
  }
  return files_from_json(all);
}

std::vector<features::review::Commit> PullRequestReaderOverRest::commits(std::int64_t installation,
                                                                         const std::string& repo,
                                                                         std::int64_t number) {
  json::array all;
  for (auto& c : client_.get_all(installation, "/repos/" + repo + "/pulls/" + std::to_string(number) + "/commits")) {
    all.push_back(std::move(c));
  }
  return commits_from_json(all);
}

}  // namespace mentorbot::app
