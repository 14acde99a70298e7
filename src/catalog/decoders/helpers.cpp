// Small value decoders the rule engine needs: binary GUIDs, SYSTEMTIME, StartupApproved entries,
// LSA package lists and comma-separated list values.
//   GUID: Microsoft GUID layout (LE uint32, LE uint16, LE uint16, 8 bytes), as RegRipper 4.0
//     tasks.pl parseGUID prints it.
//   SYSTEMTIME: 8 × uint16 LE {year, month, day-of-week, day, hour, minute, second, ms}
//     (learn.microsoft.com SYSTEMTIME; NetworkList DateCreated/DateLastConnected).
//   StartupApproved (anchors.md §4.6, RegRipper 4.0 rundisabled.pl): uint32 flags (2/6 enabled,
//     odd = disabled), FILETIME of the disable action at offset 4, 12 bytes in all.
#include <algorithm>

#include "catalog/decoders/byte_reader.h"
#include "catalog/decoders/text.h"
#include "regpersist/decoders.h"
#include "regpersist/filetime.h"

namespace regpersist {
namespace {

using decoders_detail::append_hex;
using decoders_detail::ByteReader;
using decoders_detail::trim;

constexpr std::size_t kGuidSize = 16;
constexpr std::size_t kSystemTimeSize = 16;
constexpr std::size_t kStartupApprovedSize = 12;
constexpr std::uint64_t kTicksPerMillisecond = 10'000;

bool is_leap_year(unsigned year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(unsigned year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

struct SystemTime {
  unsigned year, month, day_of_week, day, hour, minute, second, milliseconds;
};

bool is_valid(const SystemTime& t) {
  return t.year >= 1601 && t.year <= 30827 && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
         t.day <= days_in_month(t.year, t.month) && t.hour < 24 && t.minute < 60 && t.second < 60 &&
         t.milliseconds < 1000;
}

}  // namespace

std::optional<std::string> guid_to_string(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kGuidSize) return std::nullopt;
  ByteReader reader(bytes);
  std::string out = "{";
  append_hex(out, *reader.u32(), 8);
  out += '-';
  append_hex(out, *reader.u16(), 4);
  out += '-';
  append_hex(out, *reader.u16(), 4);
  for (std::size_t i = 8; i < kGuidSize; ++i) {
    if (i == 8 || i == 10) out += '-';
    append_hex(out, bytes[i], 2);
  }
  out += '}';
  return out;
}

std::optional<std::uint64_t> systemtime_to_filetime(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kSystemTimeSize) return std::nullopt;
  ByteReader reader(bytes);
  SystemTime t{};
  for (unsigned* field : {&t.year, &t.month, &t.day_of_week, &t.day, &t.hour, &t.minute, &t.second, &t.milliseconds}) {
    *field = *reader.u16();
  }
  if (!is_valid(t)) return std::nullopt;
  return filetime_from_utc(static_cast<int>(t.year), t.month, t.day, t.hour, t.minute, t.second) +
         t.milliseconds * kTicksPerMillisecond;
}

StartupApproved decode_startup_approved(std::span<const std::uint8_t> data) {
  StartupApproved out;
  ByteReader reader(data);
  const auto flags = reader.u32();
  if (!flags) {
    out.error = "StartupApproved has " + std::to_string(data.size()) + " bytes, fewer than its 4-byte flags";
    return out;
  }
  out.flags = *flags;
  if (*flags == 2 || *flags == 6) {
    out.state = StartupState::enabled;
  } else if (*flags % 2 == 1) {
    out.state = StartupState::disabled;
  }
  const auto disabled_at = reader.u64();
  if (disabled_at) out.disabled_at = *disabled_at;
  if (data.size() < kStartupApprovedSize) {
    out.error = "StartupApproved has " + std::to_string(data.size()) + " bytes, expected 12";
  }
  return out;
}

std::string startup_state_name(StartupState state) {
  switch (state) {
    case StartupState::enabled:
      return "enabled";
    case StartupState::disabled:
      return "disabled";
    case StartupState::unknown:
      break;
  }
  return "unknown";
}

std::vector<std::string> split_comma_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view element = trim(text.substr(0, comma));
    if (!element.empty()) out.emplace_back(element);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::vector<std::string> normalize_lsa_packages(const std::vector<std::string>& elements) {
  std::vector<std::string> out;
  for (const std::string& element : elements) {
    for (const std::string& piece : split_comma_list(element)) {
      std::string_view name = trim(piece);
      while (!name.empty() && (name.front() == '"' || name.front() == '\'')) name.remove_prefix(1);
      while (!name.empty() && (name.back() == '"' || name.back() == '\'')) name.remove_suffix(1);
      name = trim(name);
      if (!name.empty()) out.emplace_back(name);
    }
  }
  return out;
}

}  // namespace regpersist
