#include "support/golden.hpp"

#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

#include "support/files.hpp"

namespace testing {

void check_golden(const std::string& name, const std::string& actual) {
  std::filesystem::path path = std::filesystem::path(MENTORBOT_GOLDEN) / name;
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::filesystem::create_directories(path.parent_path());
    write_file(path.string(), actual);
    return;
  }
  INFO("golden file " << path.string() << " (refresh with UPDATE_GOLDEN=1 after reading the difference)");
  REQUIRE(std::filesystem::exists(path));
  CHECK(read_file(path.string()) == actual);
}

}  // namespace testing
