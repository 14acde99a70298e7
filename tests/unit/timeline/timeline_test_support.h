// Test helpers of the timeline tests (unit and integration): Windows time zone rules as SYSTEM
// stores them, a SYSTEM hive holding them, hostile evidence text, and the Timesketch import checks.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "hive_builder.h"
#include "regpersist/event.h"
#include "regpersist/filetime.h"
#include "regpersist/timezone.h"
#include "testdata.h"

namespace regpersist::timeline_test {

// TIME_ZONE_INFORMATION of three real Windows zones (day-of-week rules, as Windows 10 stores them).
inline TimeZoneInfo w_europe() {
  TimeZoneInfo info;
  info.key_name = "W. Europe Standard Time";
  info.standard_name = "@tzres.dll,-322";
  info.bias = -60;
  info.daylight_bias = -60;
  info.standard_start = {0, 10, 0, 5, 3, 0, 0};  // last Sunday of October, 03:00 daylight time
  info.daylight_start = {0, 3, 0, 5, 2, 0, 0};   // last Sunday of March, 02:00 standard time
  return info;
}

inline TimeZoneInfo pacific() {
  TimeZoneInfo info;
  info.key_name = "Pacific Standard Time";
  info.bias = 480;
  info.daylight_bias = -60;
  info.standard_start = {0, 11, 0, 1, 2, 0, 0};  // first Sunday of November
  info.daylight_start = {0, 3, 0, 2, 2, 0, 0};   // second Sunday of March
  return info;
}

inline TimeZoneInfo aus_eastern() {
  TimeZoneInfo info;
  info.key_name = "AUS Eastern Standard Time";
  info.bias = -600;
  info.daylight_bias = -60;
  info.standard_start = {0, 4, 0, 1, 3, 0, 0};   // first Sunday of April
  info.daylight_start = {0, 10, 0, 1, 2, 0, 0};  // first Sunday of October
  return info;
}

inline std::vector<std::uint8_t> systemtime_bytes(const TransitionRule& rule) {
  const std::uint16_t words[8] = {rule.year, rule.month,  rule.day_of_week, rule.day,
                                  rule.hour, rule.minute, rule.second,      0};
  std::vector<std::uint8_t> bytes;
  for (const auto word : words) {
    bytes.push_back(static_cast<std::uint8_t>(word & 0xFF));
    bytes.push_back(static_cast<std::uint8_t>(word >> 8));
  }
  return bytes;
}

// A SYSTEM hive whose ControlSet001 (current) holds `zone` and the computer name `host`; ControlSet002
// holds a decoy UTC zone that must not be read.
inline testsupport::HiveBuilder system_hive(const TimeZoneInfo& zone, const std::string& host) {
  testsupport::HiveBuilder builder;
  builder.dword("Select", "Current", 1).dword("Select", "Default", 1);
  const std::string tz = "ControlSet001\\Control\\TimeZoneInformation";
  builder.sz(tz, "TimeZoneKeyName", zone.key_name)
      .sz(tz, "StandardName", zone.standard_name)
      .dword(tz, "Bias", static_cast<std::uint32_t>(zone.bias))
      .dword(tz, "StandardBias", static_cast<std::uint32_t>(zone.standard_bias))
      .dword(tz, "DaylightBias", static_cast<std::uint32_t>(zone.daylight_bias))
      .dword(tz, "ActiveTimeBias", static_cast<std::uint32_t>(zone.bias + zone.daylight_bias))
      .binary(tz, "StandardStart", systemtime_bytes(zone.standard_start))
      .binary(tz, "DaylightStart", systemtime_bytes(zone.daylight_start))
      .dword(tz, "DynamicDaylightTimeDisabled", 0);
  builder.sz("ControlSet001\\Control\\ComputerName\\ComputerName", "ComputerName", host);
  builder.sz("ControlSet002\\Control\\TimeZoneInformation", "TimeZoneKeyName", "UTC");
  return builder;
}

// Evidence text that tries to break each format: terminal escapes, invalid UTF-8, a spreadsheet
// formula, separators of every format, a bidi override.
inline const std::string kHostileText =
    "=cmd|' /C calc'!A0,\"x\"\n\x1b[31mred\x1b[0m\xff\xfe%41\\|\xe2\x80\xae"
    "end";

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Timesketch's JSONL import: every line parses; message, datetime, timestamp_desc present;
// datetime is ISO 8601 UTC with microseconds and agrees with timestamp; every field keeps one JSON
// type on every line (OpenSearch maps a field's type from its first document).
inline void expect_timesketch_jsonl(const std::string& text) {
  static const std::regex kIso(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z)");
  std::map<std::string, nlohmann::json::value_t> types;
  const auto lines = lines_of(text);
  ASSERT_GE(lines.size(), 3u) << "Timesketch rejected JSONL of fewer than 3 lines (timesketch#2467)";
  for (const auto& line : lines) {
    const auto record = nlohmann::json::parse(line);  // throws on invalid JSON or UTF-8
    for (const char* field : {"message", "datetime", "timestamp", "timestamp_desc"})
      ASSERT_TRUE(record.contains(field)) << field << " missing: " << line;
    ASSERT_TRUE(record["message"].is_string());
    ASSERT_TRUE(record["timestamp"].is_number_integer());
    std::smatch match;
    const std::string datetime = record["datetime"].get<std::string>();
    ASSERT_TRUE(std::regex_match(datetime, match, kIso)) << datetime;
    const auto seconds = filetime_to_unix_micros(testsupport::filetime(
                             std::stoi(match[1]), static_cast<unsigned>(std::stoi(match[2])),
                             static_cast<unsigned>(std::stoi(match[3])), static_cast<unsigned>(std::stoi(match[4])),
                             static_cast<unsigned>(std::stoi(match[5])), static_cast<unsigned>(std::stoi(match[6])))) /
                         1'000'000;
    EXPECT_EQ(record["timestamp"].get<std::int64_t>(), seconds * 1'000'000 + std::stoll(match[7])) << line;
    for (const auto& [name, value] : record.items()) {
      EXPECT_NE(value.type(), nlohmann::json::value_t::null) << name;
      // OpenSearch maps signed and unsigned integers alike (long).
      const auto type = value.is_number_integer() ? nlohmann::json::value_t::number_integer : value.type();
      const auto [known, inserted] = types.emplace(name, type);
      EXPECT_EQ(known->second, type) << "field " << name << " changes type: " << line;
    }
  }
  for (const auto& line : lines) EXPECT_EQ(nlohmann::json::parse(line).size(), types.size()) << line;
}

}  // namespace regpersist::timeline_test
