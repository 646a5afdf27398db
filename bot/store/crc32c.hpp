#pragma once
// CRC-32C (Castagnoli), with the SSE 4.2 instruction where the CPU has it.
#include <cstddef>
#include <cstdint>

namespace mentorbot::store {

std::uint32_t crc32c(std::uint32_t crc, const void* data, std::size_t size);

}  // namespace mentorbot::store
