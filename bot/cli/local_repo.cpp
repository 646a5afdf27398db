#include "cli/local_repo.hpp"

#include <filesystem>

#include "core/read_file.hpp"

namespace mentorbot::cli {

namespace fs = std::filesystem;

LocalRepo::LocalRepo(std::string repo_dir, std::optional<std::string> org_dir)
    : repo_dir_(std::move(repo_dir)), org_dir_(std::move(org_dir)) {}

std::optional<std::string> LocalRepo::dir_of(const std::string& repo) const {
  if (repo == local_repo_name) return repo_dir_;
  if (repo == local_org_name) return org_dir_;
  return std::nullopt;  // another repository (an `_extends` base): on GitHub only
}

features::LoadedConfig LocalRepo::load() const {
  features::RepoFiles files;
  files.read = [this](const std::string& repo, const std::string& path) -> std::optional<std::string> {
    auto dir = dir_of(repo);
    if (!dir) return std::nullopt;
    auto file = fs::path(*dir) / path;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    return read_file_limited(file.string(), file_limit::config);
  };
  files.list = [this](const std::string& repo,
                      const std::string& path) -> std::optional<std::vector<features::DirEntry>> {
    auto dir = dir_of(repo);
    std::error_code ec;
    if (!dir || !fs::is_directory(fs::path(*dir) / path, ec)) return std::nullopt;
    std::vector<features::DirEntry> out;
    for (const auto& e : fs::directory_iterator(fs::path(*dir) / path)) {
      out.push_back({e.path().filename().string(), e.is_directory()});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
  };
  return features::load_repo_config(local_repo_name, files);
}

std::string LocalRepo::place(const features::FileProblem& p) const {
  auto dir = dir_of(p.repo);
  std::string s = dir ? (fs::path(*dir) / p.path).string() : p.repo + ":" + p.path;
  if (p.line > 0) s += ":" + std::to_string(p.line);
  if (p.line > 0 && p.column > 0) s += ":" + std::to_string(p.column);
  return s;
}

}  // namespace mentorbot::cli
