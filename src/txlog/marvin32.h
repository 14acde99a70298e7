// Marvin32, the keyed hash Windows uses to protect new-format transaction-log entries (anchors §4.3.9;
// canonical form from .NET coreclr marvin32.cpp). Hand-written: no Debian library provides it.
#pragma once

#include <cstdint>
#include <span>

namespace regpersist {

// Seed of the registry's log-entry hashes (bytes 82 EF 4D 88 7A 4E 55 C5 read as one integer).
inline constexpr std::uint64_t kLogEntryMarvinSeed = 0x82EF4D887A4E55C5ull;

std::uint64_t marvin32(std::span<const std::uint8_t> bytes, std::uint64_t seed);

}  // namespace regpersist
