// Service values: Start / Type / ErrorControl names and the FailureActions blob.
// Numbers: WINREG-KB "Services and drivers", winsvc.h constants (anchors.md §4.6). FailureActions is
// SERVICE_FAILURE_ACTIONS with 32-bit pointer placeholders, i.e. the shape of MS-SCMR 2.2.37
// SERVICE_FAILURE_ACTIONS_WOW64 {dwResetPeriod, dwRebootMsgOffset, dwCommandOffset, cActions,
// dwsaActionsOffset} followed by cActions × SC_ACTION {Type, Delay}; the array is always read at
// offset 20 because the stored offset dword is 0 or garbage in some real values (anchors.md §4.6,
// verified on 925 values of the shared SYSTEM hives). Hand-written: no library decodes it offline.
#include <algorithm>
#include <array>

#include "catalog/decoders/byte_reader.h"
#include "catalog/decoders/text.h"
#include "regpersist/decoders.h"

namespace regpersist {
namespace {

using decoders_detail::ByteReader;
using decoders_detail::hex_literal;

// A service has at most a handful of failure actions (the SCM UI offers three); this cap only
// bounds the work on a hostile count.
constexpr std::uint32_t kMaxFailureActions = 64;
constexpr std::uint32_t kInfinite = 0xFFFFFFFF;

std::string unknown_number(std::uint32_t value) { return "Unknown (" + std::to_string(value) + ")"; }

std::string name_from_table(std::span<const std::string_view> names, std::uint32_t value) {
  return value < names.size() ? std::string(names[value]) : unknown_number(value);
}

constexpr std::array<std::string_view, 5> kActionTypes = {"None", "Restart", "Reboot", "RunCommand", "OwnRestart"};

}  // namespace

std::string service_start_name(std::uint32_t start) {
  static constexpr std::array<std::string_view, 5> kNames = {"Boot", "System", "Automatic", "Manual", "Disabled"};
  return name_from_table(kNames, start);
}

std::string service_start_mode(std::uint32_t start, std::uint32_t delayed_auto_start) {
  if (start == 2 && delayed_auto_start != 0) return "Automatic (Delayed Start)";
  return service_start_name(start);
}

std::string service_type_name(std::uint32_t type) {
  static constexpr std::array<std::string_view, 9> kBits = {
      "KernelDriver", "FileSystemDriver",    "Adapter",    "RecognizerDriver", "Win32OwnProcess", "Win32ShareProcess",
      "UserService",  "UserServiceInstance", "Interactive"};
  if (type == 0) return "None";
  std::string out;
  for (std::uint32_t bit = 0; bit < 32; ++bit) {
    const std::uint32_t mask = 1u << bit;
    if ((type & mask) == 0) continue;
    if (!out.empty()) out += "|";
    out += bit < kBits.size() ? std::string(kBits[bit]) : hex_literal(mask);
  }
  return out;
}

bool service_type_is_driver(std::uint32_t type) { return (type & 0x3u) != 0; }

std::string service_error_control_name(std::uint32_t error_control) {
  static constexpr std::array<std::string_view, 4> kNames = {"Ignore", "Normal", "Severe", "Critical"};
  return name_from_table(kNames, error_control);
}

ServiceFailureActions decode_failure_actions(std::span<const std::uint8_t> data) {
  ServiceFailureActions out;
  ByteReader reader(data);
  const auto reset = reader.u32();
  const auto reboot_message = reader.u32();
  const auto command = reader.u32();
  const auto count = reader.u32();
  const auto array_offset = reader.u32();
  if (!reset || !reboot_message || !command || !count || !array_offset) {
    out.error = "FailureActions shorter than its 20-byte header (" + std::to_string(data.size()) + " bytes)";
    return out;
  }
  out.reset_period_seconds = *reset;
  out.reset_period_infinite = *reset == kInfinite;
  out.has_reboot_message = *reboot_message != 0;
  out.has_command = *command != 0;
  out.declared_actions = *count;
  const std::uint32_t wanted = std::min(*count, kMaxFailureActions);
  for (std::uint32_t i = 0; i < wanted; ++i) {
    const auto type = reader.u32();
    const auto delay = reader.u32();
    if (!type || !delay) {
      out.error = "FailureActions declares " + std::to_string(*count) + " actions but holds only " +
                  std::to_string(out.actions.size());
      return out;
    }
    out.actions.push_back({*type, *delay, name_from_table(kActionTypes, *type)});
    out.runs_command = out.runs_command || *type == 3;
  }
  if (*count > kMaxFailureActions) {
    out.error = "FailureActions declares " + std::to_string(*count) + " actions; decoded the first " +
                std::to_string(kMaxFailureActions);
  }
  return out;
}

}  // namespace regpersist
