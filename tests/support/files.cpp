#include "support/files.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace testing {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string fixture(const std::string& relative) {
  return read_file(std::string(MENTORBOT_FIXTURES) + "/github-webhooks/" + relative);
}

}  // namespace testing
