// Service value decoders: Start/Type/ErrorControl names and FailureActions, on hand-built blobs and
// on every FailureActions value of the shared SYSTEM hives.
#include <gtest/gtest.h>

#include "regpersist/decoders.h"
#include "unit/catalog/decoders_fixtures.h"

namespace regpersist {
namespace {

using testsupport::BlobBuilder;

TEST(DecodersServices, StartNames) {
  EXPECT_EQ(service_start_name(0), "Boot");
  EXPECT_EQ(service_start_name(1), "System");
  EXPECT_EQ(service_start_name(2), "Automatic");
  EXPECT_EQ(service_start_name(3), "Manual");
  EXPECT_EQ(service_start_name(4), "Disabled");
  EXPECT_EQ(service_start_name(7), "Unknown (7)");
  EXPECT_EQ(service_start_mode(2, 1), "Automatic (Delayed Start)");
  EXPECT_EQ(service_start_mode(2, 0), "Automatic");
  EXPECT_EQ(service_start_mode(3, 1), "Manual");  // DelayedAutostart only applies to Start = 2
}

TEST(DecodersServices, TypeNames) {
  EXPECT_EQ(service_type_name(0x1), "KernelDriver");
  EXPECT_EQ(service_type_name(0x2), "FileSystemDriver");
  EXPECT_EQ(service_type_name(0x10), "Win32OwnProcess");
  EXPECT_EQ(service_type_name(0x20), "Win32ShareProcess");
  EXPECT_EQ(service_type_name(0x110), "Win32OwnProcess|Interactive");
  EXPECT_EQ(service_type_name(0x60), "Win32ShareProcess|UserService");
  EXPECT_EQ(service_type_name(0xE0), "Win32ShareProcess|UserService|UserServiceInstance");
  EXPECT_EQ(service_type_name(0x8), "RecognizerDriver");
  EXPECT_EQ(service_type_name(0x4), "Adapter");
  EXPECT_EQ(service_type_name(0x10000010), "Win32OwnProcess|0x10000000");
  EXPECT_EQ(service_type_name(0), "None");
  EXPECT_TRUE(service_type_is_driver(0x1));
  EXPECT_TRUE(service_type_is_driver(0x2));
  EXPECT_FALSE(service_type_is_driver(0x10));
}

TEST(DecodersServices, ErrorControlNames) {
  EXPECT_EQ(service_error_control_name(0), "Ignore");
  EXPECT_EQ(service_error_control_name(1), "Normal");
  EXPECT_EQ(service_error_control_name(2), "Severe");
  EXPECT_EQ(service_error_control_name(3), "Critical");
  EXPECT_EQ(service_error_control_name(9), "Unknown (9)");
}

TEST(DecodersFailureActions, RunCommandAfterRestarts) {
  BlobBuilder blob;
  blob.u32(86400).u32(0).u32(1).u32(3).u32(0x14);
  blob.u32(1).u32(60000).u32(1).u32(60000).u32(3).u32(0);
  const auto actions = decode_failure_actions(blob.bytes());
  EXPECT_EQ(actions.error, "");
  EXPECT_EQ(actions.reset_period_seconds, 86400u);
  EXPECT_FALSE(actions.reset_period_infinite);
  EXPECT_FALSE(actions.has_reboot_message);
  EXPECT_TRUE(actions.has_command);
  EXPECT_EQ(actions.declared_actions, 3u);
  ASSERT_EQ(actions.actions.size(), 3u);
  EXPECT_EQ(actions.actions[0].type_name, "Restart");
  EXPECT_EQ(actions.actions[0].delay_ms, 60000u);
  EXPECT_EQ(actions.actions[2].type, 3u);
  EXPECT_EQ(actions.actions[2].type_name, "RunCommand");
  EXPECT_TRUE(actions.runs_command);
}

TEST(DecodersFailureActions, InfiniteResetRebootOwnRestartAndUnknownType) {
  BlobBuilder blob;
  blob.u32(0xFFFFFFFF).u32(1).u32(0).u32(4).u32(0);  // array offset 0, as in real DcomLaunch values
  blob.u32(2).u32(1000).u32(4).u32(0).u32(0).u32(60000).u32(9).u32(5);
  const auto actions = decode_failure_actions(blob.bytes());
  EXPECT_EQ(actions.error, "");
  EXPECT_TRUE(actions.reset_period_infinite);
  EXPECT_TRUE(actions.has_reboot_message);
  ASSERT_EQ(actions.actions.size(), 4u);
  EXPECT_EQ(actions.actions[0].type_name, "Reboot");
  EXPECT_EQ(actions.actions[1].type_name, "OwnRestart");
  EXPECT_EQ(actions.actions[2].type_name, "None");
  EXPECT_EQ(actions.actions[2].delay_ms, 60000u);
  EXPECT_EQ(actions.actions[3].type_name, "Unknown (9)");
  EXPECT_FALSE(actions.runs_command);
}

TEST(DecodersFailureActions, TruncatedAndHostile) {
  EXPECT_NE(decode_failure_actions(std::vector<std::uint8_t>(19, 0)).error.find("20-byte header"), std::string::npos);
  BlobBuilder short_array;
  short_array.u32(0).u32(0).u32(0).u32(3).u32(20).u32(1).u32(5).u32(1);
  const auto partial = decode_failure_actions(short_array.bytes());
  EXPECT_EQ(partial.actions.size(), 1u);
  EXPECT_NE(partial.error.find("declares 3 actions but holds only 1"), std::string::npos) << partial.error;

  BlobBuilder huge;
  huge.u32(0).u32(0).u32(0).u32(0xFFFFFFFF).u32(20);
  for (int i = 0; i < 100; ++i) huge.u32(1).u32(0);
  const auto capped = decode_failure_actions(huge.bytes());
  EXPECT_EQ(capped.actions.size(), 64u);
  EXPECT_EQ(capped.declared_actions, 0xFFFFFFFFu);
  EXPECT_NE(capped.error.find("decoded the first 64"), std::string::npos);
}

// Every real FailureActions value decodes completely, its size is 20 + 8 × count, and the placeholder
// dwords say whether a FailureCommand / RebootMessage value exists (anchors.md §4.6).
TEST(DecodersFailureActions, EveryRealValueOfTheSharedSystemHives) {
  std::size_t decoded = 0;
  bool saw_run_command = false;
  bool saw_own_restart = false;
  for (const char* name : testsupport::kSharedSystemHives) {
    const testsupport::CorpusHive corpus(name);
    const Hive& hive = corpus.hive;
    const auto services = hive.find("ControlSet001\\Services");
    ASSERT_TRUE(services.has_value()) << name;
    for (const Key& service : services->subkeys()) {
      const auto value = service.value("FailureActions");
      if (!value) continue;
      const auto actions = decode_failure_actions(value->data);
      EXPECT_EQ(actions.error, "") << name << " " << service.name();
      EXPECT_EQ(value->data.size(), 20 + 8 * actions.actions.size()) << service.name();
      EXPECT_EQ(actions.has_command, service.value("FailureCommand").has_value()) << service.name();
      EXPECT_EQ(actions.has_reboot_message, service.value("RebootMessage").has_value()) << service.name();
      if (actions.runs_command) {
        EXPECT_TRUE(actions.has_command) << service.name();
      }
      saw_run_command = saw_run_command || actions.runs_command;
      for (const auto& action : actions.actions) saw_own_restart = saw_own_restart || action.type_name == "OwnRestart";
      ++decoded;
    }
  }
  EXPECT_GT(decoded, 300u);
  EXPECT_TRUE(saw_run_command);  // e.g. WinDefend
  EXPECT_TRUE(saw_own_restart);  // Schedule
}

TEST(DecodersServices, RealServiceStartAndTypeValues) {
  const testsupport::CorpusHive corpus("dissect.regf/SYSTEM.gz");
  const Hive& hive = corpus.hive;
  const auto services = hive.find("ControlSet001\\Services");
  ASSERT_TRUE(services.has_value());
  auto number = [&](const char* service, const char* value) {
    std::uint64_t out = 99;
    const auto key = services->subkey(service);
    if (key && key->value(value)) key->value(value)->as_number(out);
    return static_cast<std::uint32_t>(out);
  };
  EXPECT_EQ(service_type_name(number("1394ohci", "Type")), "KernelDriver");
  EXPECT_EQ(service_type_name(number("AarSvc", "Type")), "Win32ShareProcess|UserService");
  EXPECT_EQ(service_start_name(number("1394ohci", "Start")), "Manual");
  EXPECT_EQ(service_start_name(number("SamSs", "Start")), "Automatic");
  EXPECT_EQ(service_error_control_name(number("SamSs", "ErrorControl")), "Normal");
}

}  // namespace
}  // namespace regpersist
