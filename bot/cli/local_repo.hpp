#pragma once
// A repository checked out on this machine (`--repo-dir`), read as mentorbot reads one on
// GitHub, so `check-config` and `render` show what the words preview on a pull request shows.
#include <optional>
#include <string>

#include "features/repo_config.hpp"

namespace mentorbot::cli {

class LocalRepo {
 public:
  // `org_dir`: a checkout of the org's .github repository (its template files and tones).
  LocalRepo(std::string repo_dir, std::optional<std::string> org_dir);

  features::LoadedConfig load() const;
  // Where a problem is, as FILE:LINE:COLUMN on this machine.
  std::string place(const features::FileProblem& p) const;

 private:
  std::optional<std::string> dir_of(const std::string& repo) const;
  std::string repo_dir_;
  std::optional<std::string> org_dir_;
};

inline constexpr const char* local_repo_name = "local/repo";
inline constexpr const char* local_org_name = "local/.github";

}  // namespace mentorbot::cli
