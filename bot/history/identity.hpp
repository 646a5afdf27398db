#pragma once
// Who wrote a commit: the author line of a raw commit object, and GitHub's noreply addresses.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot::history {

struct Signature {
  std::string_view name;
  std::string_view email;
  std::int64_t time = 0;  // unix seconds
};

// The "author" header of a raw commit object ("tree …\nparent …\nauthor Name <email> 123 +0000\n…").
std::optional<Signature> parse_author(std::string_view raw_commit);

// Calls `parent(hex)` for each "parent" header, in order.
template <class F>
void for_each_parent(std::string_view raw_commit, F&& parent) {
  std::size_t pos = 0;
  while (pos < raw_commit.size()) {
    auto end = raw_commit.find('\n', pos);
    if (end == std::string_view::npos || end == pos) return;  // the blank line ends the headers
    auto line = raw_commit.substr(pos, end - pos);
    if (line.starts_with("parent ")) {
      parent(line.substr(7));
    } else if (!line.starts_with("tree ")) {
      return;  // parents come right after the tree
    }
    pos = end + 1;
  }
}

// ID+login@users.noreply.github.com or login@users.noreply.github.com.
struct NoReply {
  std::string login;
  std::optional<std::int64_t> id;
};
std::optional<NoReply> parse_noreply(std::string_view email);

std::string lower(std::string_view s);

}  // namespace mentorbot::history
