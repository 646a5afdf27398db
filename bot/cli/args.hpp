#pragma once
// The command line of one verb: positional words and --flags, and the files it reads.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mentorbot::cli {

struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> flags;  // name -> value ("" for switches)

  std::optional<std::string> flag(const std::string& name) const;  // the first
  std::vector<std::string> all(const std::string& name) const;     // every one, in order
};

// Splits argv[from…] into positional words and --flags. `switches` take no value, `with_value`
// one (`--name VALUE` or `--name=VALUE`). Throws ConfigError for anything else.
Args parse_args(int argc, char** argv, int from, const std::vector<std::string>& switches,
                const std::vector<std::string>& with_value);

// The whole file, at most `limit` bytes (core/read_file.hpp's file_limit). Throws ConfigError
// when it cannot be read, is not a regular file, or is larger.
std::string read_file(const std::string& path, std::size_t limit);

}  // namespace mentorbot::cli
