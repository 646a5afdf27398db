#pragma once
#include <cstddef>
#include <string>

namespace mentorbot {

// `bytes` random bytes from OpenSSL's generator, as lower-case hex (an id nobody can guess).
std::string random_id(std::size_t bytes = 8);

}  // namespace mentorbot
