#include "core/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace mentorbot {

std::string random_id(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) throw std::runtime_error("no random bytes");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : raw) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

}  // namespace mentorbot
