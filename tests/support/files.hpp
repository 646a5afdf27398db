#pragma once
#include <string>

namespace testing {

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);
// A file from tests/fixtures/github-webhooks, byte for byte.
std::string fixture(const std::string& relative);

}  // namespace testing
