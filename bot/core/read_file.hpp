#pragma once
// Reading a file someone named (a flag, a setting, an argument): only a regular file, and only up
// to a size that makes sense for what it is. A directory, a FIFO, /dev/zero or a 50 MB "config"
// is a one-line ConfigError naming the file, never a hang, a silent empty read or a huge
// allocation.
#include <cstddef>
#include <string>
#include <string_view>

namespace mentorbot {

inline constexpr std::size_t KiB = 1024;
inline constexpr std::size_t MiB = 1024 * KiB;

// Limits by kind, one place: what mentorbot reads and how much of it could be sensible.
namespace file_limit {
inline constexpr std::size_t config = 1 * MiB;        // .github/mentorbot.yml, rules
inline constexpr std::size_t key = 64 * KiB;          // a PEM private key, a secret
inline constexpr std::size_t template_text = 1 * MiB;  // a Mustache template, a page asset
inline constexpr std::size_t data = 16 * MiB;         // render --data, replay --files
inline constexpr std::size_t payload = 25 * MiB;      // a webhook payload, as GitHub caps them
}  // namespace file_limit

// The whole of `path`; `what` names it in errors ("--data", "PRIVATE_KEY_PATH"; may be empty).
// Throws ConfigError: cannot read (with the reason), a directory, not a regular file, or larger
// than `limit`.
std::string read_file_limited(const std::string& path, std::size_t limit, std::string_view what = {});

}  // namespace mentorbot
