#pragma once
// Where mentorbot's data folders (templates/, rules/) are, first found of:
//   1. the folder an environment variable names (MENTORBOT_TEMPLATES, MENTORBOT_RULES);
//   2. the installed copy beside the running binary: /proc/self/exe's folder, then
//      ../share/mentorbot/NAME (core/install_dirs.hpp), when it exists. It comes before the
//      source tree so an installed binary never reads the checkout it was built from;
//   3. NAME in the source tree the binary was built from (a build tree's binary, the tests);
//   4. ./NAME.
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/install_dirs.hpp"

namespace mentorbot {

// The installed data folder NAME beside the running binary, or empty when there is none.
inline std::filesystem::path installed_data(const char* name) {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  const std::filesystem::path dir = exe.parent_path() / installed_data_from_bin / name;
  if (!std::filesystem::is_directory(dir, ec)) return {};
  return dir.lexically_normal();
}

inline std::filesystem::path locate_data(const char* env_var, const char* name) {
  if (const char* dir = std::getenv(env_var); dir && *dir) return dir;
  if (auto installed = installed_data(name); !installed.empty()) return installed;
#ifdef MENTORBOT_SOURCE_DIR
  std::filesystem::path source = std::filesystem::path(MENTORBOT_SOURCE_DIR) / name;
  if (std::filesystem::exists(source)) return source;
#endif
  return name;
}

}  // namespace mentorbot
