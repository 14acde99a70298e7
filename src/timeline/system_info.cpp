// Machine facts: the SYSTEM hive's active control set (TimeZoneInformation, ComputerName) and the
// SOFTWARE CurrentVersion key (Windows product, release and build).
#include "regpersist/timeline.h"
#include "regpersist/timezone.h"
#include "txlog/bytes.h"

namespace regpersist {

namespace {

std::string text_value(const Key& key, std::string_view name) {
  const auto value = key.value(name);
  return value ? value->as_string() : std::string();
}

// Biases are REG_DWORDs holding signed minutes (0xFFFFFFC4 = -60).
std::int32_t signed_dword(const Key& key, std::string_view name) {
  const auto value = key.value(name);
  std::uint64_t number = 0;
  if (!value || !value->as_number(number)) return 0;
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(number));
}

// A bias beyond a day is not a time zone (a hostile or corrupt value): read as 0, and reported.
constexpr std::int32_t kMaxBiasMinutes = 24 * 60;
std::int32_t bias_minutes(const Hive& hive, const Key& key, std::string_view name) {
  const std::int32_t bias = signed_dword(key, name);
  if (bias >= -kMaxBiasMinutes && bias <= kMaxBiasMinutes) return bias;
  hive.diagnostics().warn(hive.label(), "TimeZoneInformation " + std::string(name) + " of " + std::to_string(bias) +
                                            " minutes is beyond a day; read as 0");
  return 0;
}

// SYSTEMTIME: wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds (uint16 LE).
TransitionRule transition_rule(const Key& key, std::string_view name) {
  TransitionRule rule;
  const auto value = key.value(name);
  if (!value || value->data.size() < 16) return rule;
  const auto word = [&](std::size_t index) { return le16(value->data, index * 2); };
  rule = {word(0), word(1), word(2), word(3), word(4), word(5), word(6)};
  return rule;
}

std::optional<std::string> active_control_set(const Hive& system) {
  const ControlSets sets = control_sets(system);
  if (sets.current) return sets.current;
  if (!sets.names.empty()) return sets.names.front();
  return std::nullopt;
}

std::string first_text_value(const Key& key, std::initializer_list<std::string_view> names) {
  for (const auto name : names) {
    auto text = text_value(key, name);
    if (!text.empty()) return text;
  }
  return "";
}

}  // namespace

std::string read_computer_name(const Hive& system) {
  const auto control_set = active_control_set(system);
  if (!control_set) return "";
  const auto key = system.find(*control_set + "\\Control\\ComputerName\\ComputerName");
  return key ? text_value(*key, "ComputerName") : "";
}

WindowsVersion read_windows_version(const Hive& software) {
  WindowsVersion version;
  const auto key = software.find("Microsoft\\Windows NT\\CurrentVersion");
  if (!key) return version;
  version.product_name = text_value(*key, "ProductName");
  version.display_version = first_text_value(*key, {"DisplayVersion", "ReleaseId", "CSDVersion"});
  version.build = first_text_value(*key, {"CurrentBuildNumber", "CurrentBuild"});
  const auto ubr = key->value("UBR");
  std::uint64_t revision = 0;
  if (!version.build.empty() && ubr && ubr->as_number(revision)) version.build += "." + std::to_string(revision);
  return version;
}

std::string WindowsVersion::describe() const {
  std::string text = product_name;
  if (!display_version.empty()) text += (text.empty() ? "" : " ") + display_version;
  if (!build.empty()) text += (text.empty() ? "build " : " (build ") + build + (text.empty() ? "" : ")");
  return text;
}

std::optional<TimeZoneInfo> read_time_zone(const Hive& system) {
  const auto control_set = active_control_set(system);
  if (!control_set) return std::nullopt;
  const auto key = system.find(*control_set + "\\Control\\TimeZoneInformation");
  if (!key) return std::nullopt;
  TimeZoneInfo info;
  info.control_set = *control_set;
  info.key_name = text_value(*key, "TimeZoneKeyName");
  info.standard_name = text_value(*key, "StandardName");
  info.daylight_name = text_value(*key, "DaylightName");
  info.bias = bias_minutes(system, *key, "Bias");
  info.standard_bias = bias_minutes(system, *key, "StandardBias");
  info.daylight_bias = bias_minutes(system, *key, "DaylightBias");
  if (key->value("ActiveTimeBias")) info.active_time_bias = bias_minutes(system, *key, "ActiveTimeBias");
  info.standard_start = transition_rule(*key, "StandardStart");
  info.daylight_start = transition_rule(*key, "DaylightStart");
  info.dynamic_daylight_disabled = signed_dword(*key, "DynamicDaylightTimeDisabled") != 0;
  return info;
}

}  // namespace regpersist
