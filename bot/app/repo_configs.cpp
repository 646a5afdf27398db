#include "app/repo_configs.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "app/repo_files.hpp"

namespace mentorbot::app {

features::RepoConfig RepoConfigs::config(std::int64_t installation, const std::string& repo) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(repo);
    if (it != cache_.end() && now - it->second.loaded < ttl_) return it->second.config;
  }
  auto loaded = features::load_repo_config(repo, files_over_rest(client_, installation), defaults_);
  for (const auto& w : loaded.warnings) {
    spdlog::warn("the mentorbot config of {} is broken, so the defaults apply: {}", repo, w);
  }
  std::lock_guard lock(mutex_);
  cache_[repo] = Entry{loaded.config, loaded.sources, now};
  return loaded.config;
}

features::LoadedConfig RepoConfigs::load_at(std::int64_t installation, const std::string& repo,
                                            const std::string& ref) {
  auto files = files_over_rest(client_, installation, ref, repo);
  if (!ref.empty()) {
    // A pull request's files (a fork's, say) choose what `_extends` reads: only mentorbot's own
    // files of the same owner's repositories, never any file the installation can see.
    auto owner = repo.substr(0, repo.find('/') + 1);
    auto allowed = [owner, repo](const std::string& r, const std::string& path) {
      return r == repo || (r.starts_with(owner) && (path == features::repo_config_path ||
                                                    path.starts_with(std::string(features::words_dir) + "/") ||
                                                    path == features::words_dir));
    };
    files.read = [allowed, read = files.read](const std::string& r, const std::string& path) -> std::optional<std::string> {
      if (!allowed(r, path)) return std::nullopt;
      return read(r, path);
    };
    files.list = [allowed, list = files.list](const std::string& r,
                                              const std::string& path) -> std::optional<std::vector<features::DirEntry>> {
      if (!allowed(r, path)) return std::nullopt;
      return list(r, path);
    };
  }
  return features::load_repo_config(repo, files, defaults_);
}

std::optional<std::string> RepoConfigs::file_at(std::int64_t installation, const std::string& repo,
                                                const std::string& path, const std::string& ref) {
  return files_over_rest(client_, installation, ref, repo).read(repo, path);
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
