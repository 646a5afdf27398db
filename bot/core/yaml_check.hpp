#pragma once
// Reading a YAML file a person wrote (a repository config, a rules file) and telling them, with
// line and column, what is wrong: unknown keys, wrong types, values out of range.
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace mentorbot {

struct YamlProblem {
  int line = 0;  // 1-based; 0 when the file as a whole is the problem
  int column = 0;
  std::string message;
};

// Each accessor reports a problem at the node and returns nothing when the node is not what
// the key needs.
class YamlChecker {
 public:
  explicit YamlChecker(std::vector<YamlProblem>& problems) : problems_(problems) {}

  void problem(const YAML::Node& node, const std::string& message);
  // Reports every key of `map` not in `allowed`.
  void only(const YAML::Node& map, const std::string& where, const std::set<std::string>& allowed);
  bool is_map(const YAML::Node& node, const std::string& key);
  std::optional<std::string> string(const YAML::Node& node, const std::string& key);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& key);
  std::optional<int> integer(const YAML::Node& node, const std::string& key, int lo, int hi);
  // A list of texts; a single text is taken as a list of one.
  std::optional<std::vector<std::string>> strings(const YAML::Node& node, const std::string& key);

  std::size_t count() const { return problems_.size(); }

 private:
  std::vector<YamlProblem>& problems_;
};

// Parses `text`; a syntax error becomes a problem and a null node.
YAML::Node load_yaml(const std::string& text, std::vector<YamlProblem>& problems);

}  // namespace mentorbot
