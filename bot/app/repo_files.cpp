#include "app/repo_files.hpp"

#include <spdlog/spdlog.h>

#include "core/base64.hpp"

namespace mentorbot::app {
namespace {

// Each segment of the path is encoded; the slashes between them stay.
std::string contents_target(const std::string& repo, const std::string& path, const std::string& ref) {
  std::string target = "/repos/" + repo + "/contents/";
  std::size_t at = 0;
  while (true) {
    auto slash = path.find('/', at);
    target += github::url_encode(path.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
    if (slash == std::string::npos) break;
    target += '/';
    at = slash + 1;
  }
  if (!ref.empty()) target += "?ref=" + github::url_encode(ref);
  return target;
}

std::optional<json::value> contents(github::Client& client, std::int64_t installation, const std::string& repo,
                                    const std::string& path, const std::string& ref) {
  try {
    return client.get(installation, contents_target(repo, path, ref)).body;
  } catch (const github::ApiError& e) {
    if (e.status == 404) return std::nullopt;
    if (e.status != 403) throw;
    spdlog::warn("reading {}:{} was refused ({}); taking it as missing", repo, path, e.what());
    return std::nullopt;
  }
}

}  // namespace

features::RepoFiles files_over_rest(github::Client& client, std::int64_t installation, std::string ref,
                                    std::string ref_repo) {
  features::RepoFiles files;
  files.read = [&client, installation, ref, ref_repo](const std::string& repo,
                                            const std::string& path) -> std::optional<std::string> {
    auto answer = contents(client, installation, repo, path, repo == ref_repo ? ref : std::string());
    if (!answer || json_string(*answer, {"type"}) != "file") return std::nullopt;  // a folder, say
    auto content = base64_decode(json_string(*answer, {"content"}).value_or(""));
    if (!content) spdlog::warn("{}:{} came back in an encoding mentorbot cannot read; taking it as missing", repo, path);
    return content;
  };
  files.list = [&client, installation, ref, ref_repo](const std::string& repo,
                                            const std::string& path) -> std::optional<std::vector<features::DirEntry>> {
    auto answer = contents(client, installation, repo, path, repo == ref_repo ? ref : std::string());
    if (!answer || !answer->is_array()) return std::nullopt;  // none, or a file
    std::vector<features::DirEntry> out;
    for (const auto& item : answer->as_array()) {
      auto name = json_string(item, {"name"});
      auto type = json_string(item, {"type"});
      if (name && type) out.push_back({*name, *type == "dir"});
    }
    return out;
  };
  return files;
}

}  // namespace mentorbot::app
