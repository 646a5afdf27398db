#pragma once
// The command line of one verb: positional words and --flags.
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

}  // namespace mentorbot::cli
