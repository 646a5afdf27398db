#pragma once
// Where mentorbot's data folders (templates/, rules/) are: the folder an environment variable
// names, else the one in the source tree the binary was built from, else ./NAME.
#include <cstdlib>
#include <filesystem>

namespace mentorbot {

inline std::filesystem::path locate_data(const char* env_var, const char* name) {
  if (const char* dir = std::getenv(env_var); dir && *dir) return dir;
#ifdef MENTORBOT_SOURCE_DIR
  std::filesystem::path source = std::filesystem::path(MENTORBOT_SOURCE_DIR) / name;
  if (std::filesystem::exists(source)) return source;
#endif
  return name;
}

}  // namespace mentorbot
