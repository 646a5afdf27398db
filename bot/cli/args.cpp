#include "cli/args.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace mentorbot::cli {

std::optional<std::string> Args::flag(const std::string& name) const {
  for (const auto& [n, v] : flags) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::vector<std::string> Args::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : flags) {
    if (n == name) out.push_back(v);
  }
  return out;
}

Args parse_args(int argc, char** argv, int from, const std::vector<std::string>& switches,
                const std::vector<std::string>& with_value) {
  Args a;
  for (int i = from; i < argc; ++i) {
    std::string arg = argv[i];
    if (!arg.starts_with("--")) {
      a.positional.push_back(arg);
      continue;
    }
    auto eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    bool takes_value = std::find(with_value.begin(), with_value.end(), name) != with_value.end();
    bool is_switch = std::find(switches.begin(), switches.end(), name) != switches.end();
    if (!takes_value && !is_switch) throw ConfigError("unknown option " + name);
    if (is_switch) {
      if (eq != std::string::npos) throw ConfigError(name + " takes no value");
      a.flags.emplace_back(name, "");
    } else if (eq != std::string::npos) {
      a.flags.emplace_back(name, arg.substr(eq + 1));
    } else {
      if (i + 1 >= argc) throw ConfigError(name + " needs a value");
      a.flags.emplace_back(name, argv[++i]);
    }
  }
  return a;
}


}  // namespace mentorbot::cli
