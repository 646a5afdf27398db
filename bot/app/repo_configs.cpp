#include "app/repo_configs.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/base64.hpp"

namespace mentorbot::app {

std::optional<std::string> RepoConfigs::fetch(std::int64_t installation, const std::string& repo,
                                              const std::string& path) {
  std::string target = "/repos/" + repo + "/contents/";
  // Each segment of the path is encoded; the slashes between them stay.
  std::size_t at = 0;
  while (true) {
    auto slash = path.find('/', at);
    target += github::url_encode(path.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
    if (slash == std::string::npos) break;
    target += '/';
    at = slash + 1;
  }
  try {
    auto answer = client_.get(installation, target);
    if (json_string(answer.body, {"type"}) != "file") return std::nullopt;  // a folder, say
    auto content = base64_decode(json_string(answer.body, {"content"}).value_or(""));
    if (!content) {
      spdlog::warn("{}:{} came back in an encoding mentorbot cannot read; using the defaults", repo, path);
      return std::nullopt;
    }
    return content;
  } catch (const github::ApiError& e) {
    if (e.status == 404) return std::nullopt;
    // 403 (no access to the org's .github repository, say): as if there were no file.
    spdlog::warn("reading {}:{} was refused ({}); using the defaults for it", repo, path, e.what());
    return std::nullopt;
  }
}

features::RepoConfig RepoConfigs::config(std::int64_t installation, const std::string& repo) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(repo);
    if (it != cache_.end() && now - it->second.loaded < ttl_) return it->second.config;
  }
  auto loaded = features::load_repo_config(
      repo, [&](const std::string& r, const std::string& p) { return fetch(installation, r, p); }, defaults_);
  for (const auto& w : loaded.warnings) {
    spdlog::warn("the mentorbot config of {} is broken, so the defaults apply: {}", repo, w);
  }
  std::lock_guard lock(mutex_);
  cache_[repo] = Entry{loaded.config, loaded.sources, now};
  return loaded.config;
}

void RepoConfigs::forget(const std::string& repo) {
  std::lock_guard lock(mutex_);
  for (auto it = cache_.begin(); it != cache_.end();) {
    const auto& sources = it->second.sources;
    if (it->first == repo || std::find(sources.begin(), sources.end(), repo) != sources.end()) {
      it = cache_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace mentorbot::app
