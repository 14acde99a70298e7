// TaskCache blob decoders (decode_task_actions, decode_dynamic_info, decode_triggers_header) on the
// public real dumps (WINREG-KB DynamicInfo, reinject.vercel.app Actions v1/v3) and hand-built blobs
// per the layouts cited in src/catalog/decoders/task_cache.cpp, plus truncated and hostile inputs.
#include <gtest/gtest.h>

#include <algorithm>

#include "regpersist/decoders.h"
#include "regpersist/filetime.h"
#include "unit/catalog/decoders_fixtures.h"

namespace regpersist {
namespace {

using testsupport::BlobBuilder;
using testsupport::from_hex;

// Windows 8.1 Actions (version 1, no context) as dumped in
// https://reinject.vercel.app/en/posts/windows-security/persistence/windows_schedule_task_action_trigger_struct/
const std::vector<std::uint8_t> kWindows81Exec = from_hex(
    "01 00 66 66 00 00 00 00 0e 00 00 00 63 00 6d 00 64 00 2e 00 65 00 78 00 65 00 1c 00 00 00 2f 00 63 00 20 00 6e "
    "00 6f 00 74 00 65 00 70 00 61 00 64 00 2e 00 65 00 78 00 65 00 16 00 00 00 63 00 3a 00 5c 00 77 00 69 00 6e 00 "
    "64 00 6f 00 77 00 73 00 5c 00");

// Windows 10 Actions (version 3, context "Author", trailing flags), same source.
const std::vector<std::uint8_t> kWindows10Exec = from_hex(
    "03 00 0c 00 00 00 41 00 75 00 74 00 68 00 6f 00 72 00 66 66 00 00 00 00 0e 00 00 00 63 00 6d 00 64 00 2e 00 65 "
    "00 78 00 65 00 1c 00 00 00 2f 00 63 00 20 00 6e 00 6f 00 74 00 65 00 70 00 61 00 64 00 2e 00 65 00 78 00 65 00 "
    "00 00 00 00 00 00");

// RegIdleBackup's COM handler {CA767AA8-9157-4604-B64B-40747123D5F2} in binary GUID order.
const std::vector<std::uint8_t> kRegIdleBackupClsid = from_hex("a8 7a 76 ca 57 91 04 46 b6 4b 40 74 71 23 d5 f2");

TEST(DecodersTaskActions, Windows81Version1Exec) {
  const auto actions = decode_task_actions(kWindows81Exec);
  EXPECT_EQ(actions.error, "");
  EXPECT_EQ(actions.version, 1);
  EXPECT_EQ(actions.context, "");
  ASSERT_EQ(actions.actions.size(), 1u);
  const TaskAction& exec = actions.actions[0];
  EXPECT_EQ(exec.type, TaskActionType::exec);
  EXPECT_EQ(task_action_type_name(exec.type), "Exec");
  EXPECT_EQ(exec.id, "");
  EXPECT_EQ(exec.command, "cmd.exe");
  EXPECT_EQ(exec.arguments, "/c notepad.exe");
  EXPECT_EQ(exec.working_directory, "c:\\windows\\");
}

TEST(DecodersTaskActions, Windows10Version3ExecWithContextAndFlags) {
  const auto actions = decode_task_actions(kWindows10Exec);
  EXPECT_EQ(actions.error, "");
  EXPECT_EQ(actions.version, 3);
  EXPECT_EQ(actions.context, "Author");
  ASSERT_EQ(actions.actions.size(), 1u);
  EXPECT_EQ(actions.actions[0].command, "cmd.exe");
  EXPECT_EQ(actions.actions[0].arguments, "/c notepad.exe");
  EXPECT_EQ(actions.actions[0].working_directory, "");
}

TEST(DecodersTaskActions, Version2ExecHasNoFlags) {
  // GhostTask writes version 2 (Server 2016) without the trailing uint16 flags.
  BlobBuilder blob;
  blob.u16(2).counted_utf16("LocalSystem").u16(0x6666).counted_utf16("");
  blob.counted_utf16("C:\\ProgramData\\u.exe").counted_utf16("-s").counted_utf16("C:\\ProgramData");
  const auto actions = decode_task_actions(blob.bytes());
  EXPECT_EQ(actions.error, "");
  EXPECT_EQ(actions.context, "LocalSystem");
  ASSERT_EQ(actions.actions.size(), 1u);
  EXPECT_EQ(actions.actions[0].command, "C:\\ProgramData\\u.exe");
  EXPECT_EQ(actions.actions[0].arguments, "-s");
  EXPECT_EQ(actions.actions[0].working_directory, "C:\\ProgramData");
}

// Exec + ComHandler + ShowMessage + SendEmail; `ends` receives the size after the header and after each
// action but the last (the places a blob may legitimately end).
BlobBuilder four_action_blob(std::vector<std::size_t>* ends = nullptr) {
  BlobBuilder blob;
  auto mark = [&] {
    if (ends != nullptr) ends->push_back(blob.bytes().size());
  };
  blob.u16(3).counted_utf16("Author");
  mark();
  blob.u16(0x6666).counted_utf16("first").counted_utf16("%windir%\\system32\\sc.exe").counted_utf16("start w32time");
  blob.counted_utf16("").u16(0);
  mark();
  blob.u16(0x7777).counted_utf16("").raw(kRegIdleBackupClsid).counted_utf16("<data/>");
  mark();
  blob.u16(0x9999).counted_utf16("msg").counted_utf16("Caption").counted_utf16("Hello");
  mark();
  blob.u16(0x8888).counted_utf16("");
  for (std::string_view field : {"from@x", "to@x", "cc@x", "bcc@x", "reply@x", "smtp.x", "Subject", "Body"})
    blob.counted_utf16(field);
  blob.u32(2).counted_utf16("C:\\a.txt").counted_utf16("C:\\b.txt");
  blob.u32(1).counted_utf16("X-Priority").counted_utf16("1");
  return blob;
}

TEST(DecodersTaskActions, EveryActionTypeInOneBlob) {
  const auto actions = decode_task_actions(four_action_blob().bytes());
  EXPECT_EQ(actions.error, "");
  ASSERT_EQ(actions.actions.size(), 4u);

  EXPECT_EQ(actions.actions[0].id, "first");
  EXPECT_EQ(actions.actions[0].command, "%windir%\\system32\\sc.exe");
  EXPECT_EQ(actions.actions[0].arguments, "start w32time");

  const TaskAction& com = actions.actions[1];
  EXPECT_EQ(com.type, TaskActionType::com_handler);
  EXPECT_EQ(com.clsid, "{CA767AA8-9157-4604-B64B-40747123D5F2}");
  EXPECT_EQ(com.data, "<data/>");

  const TaskAction& message = actions.actions[2];
  EXPECT_EQ(task_action_type_name(message.type), "ShowMessage");
  EXPECT_EQ(message.id, "msg");
  EXPECT_EQ(message.title, "Caption");
  EXPECT_EQ(message.body, "Hello");

  const TaskAction& email = actions.actions[3];
  EXPECT_EQ(task_action_type_name(email.type), "SendEmail");
  EXPECT_EQ(email.from, "from@x");
  EXPECT_EQ(email.to, "to@x");
  EXPECT_EQ(email.cc, "cc@x");
  EXPECT_EQ(email.bcc, "bcc@x");
  EXPECT_EQ(email.reply_to, "reply@x");
  EXPECT_EQ(email.server, "smtp.x");
  EXPECT_EQ(email.subject, "Subject");
  EXPECT_EQ(email.body, "Body");
  EXPECT_EQ(email.attachments, (std::vector<std::string>{"C:\\a.txt", "C:\\b.txt"}));
  ASSERT_EQ(email.headers.size(), 1u);
  EXPECT_EQ(email.headers[0].first, "X-Priority");
  EXPECT_EQ(email.headers[0].second, "1");
}

TEST(DecodersTaskActions, EveryTruncationKeepsWhatWasReadAndSaysWhy) {
  std::vector<std::size_t> ends;
  const std::vector<std::uint8_t> full = four_action_blob(&ends).bytes();
  ASSERT_EQ(ends.size(), 4u);
  for (std::size_t size = 0; size < full.size(); ++size) {
    const auto actions = decode_task_actions(std::span(full).first(size));
    const auto clean = std::find(ends.begin(), ends.end(), size);
    if (clean != ends.end()) {
      EXPECT_EQ(actions.error, "") << size;
      EXPECT_EQ(actions.actions.size(), static_cast<std::size_t>(clean - ends.begin())) << size;
      continue;
    }
    EXPECT_FALSE(actions.error.empty()) << size;
    EXPECT_LE(actions.actions.size(), 4u) << size;
    if (!actions.actions.empty()) {
      EXPECT_EQ(actions.actions[0].type, TaskActionType::exec) << size;
      EXPECT_TRUE(std::string("first").starts_with(actions.actions[0].id)) << size;
    }
  }
}

TEST(DecodersTaskActions, TruncatedExecKeepsTheCommandForTheAnalyst) {
  std::vector<std::uint8_t> blob = kWindows10Exec;
  blob.resize(blob.size() - 2);  // flags missing
  const auto actions = decode_task_actions(blob);
  EXPECT_NE(actions.error.find("flags"), std::string::npos) << actions.error;
  ASSERT_EQ(actions.actions.size(), 1u);
  EXPECT_EQ(actions.actions[0].command, "cmd.exe");
}

TEST(DecodersTaskActions, HostileLengthsCountsAndTypes) {
  BlobBuilder huge_length;
  huge_length.u16(3).u32(0xFFFFFFFF);
  EXPECT_NE(decode_task_actions(huge_length.bytes()).error.find("exceeds"), std::string::npos);

  BlobBuilder unknown_version;
  unknown_version.u16(7).zeros(16);
  const auto version = decode_task_actions(unknown_version.bytes());
  EXPECT_EQ(version.version, 7);
  EXPECT_NE(version.error.find("unknown version 7"), std::string::npos) << version.error;

  BlobBuilder unknown_type;
  unknown_type.raw(kWindows10Exec).u16(0x1234).zeros(8);
  const auto type = decode_task_actions(unknown_type.bytes());
  EXPECT_NE(type.error.find("unknown action type 0x1234"), std::string::npos) << type.error;
  EXPECT_EQ(type.actions.size(), 1u);

  BlobBuilder attachments;
  attachments.u16(1).u16(0x8888).counted_utf16("");
  for (int i = 0; i < 8; ++i) attachments.counted_utf16("x");
  attachments.u32(0xFFFFFFFF);
  const auto email = decode_task_actions(attachments.bytes());
  EXPECT_NE(email.error.find("attachment count 4294967295 too large"), std::string::npos) << email.error;
  EXPECT_TRUE(email.actions[0].attachments.empty());

  BlobBuilder many;
  many.u16(1);
  for (int i = 0; i < 40; ++i) many.u16(0x9999).counted_utf16("").counted_utf16("t").counted_utf16("b");
  const auto capped = decode_task_actions(many.bytes());
  EXPECT_EQ(capped.actions.size(), 32u);
  EXPECT_NE(capped.error.find("more than 32 actions"), std::string::npos);

  EXPECT_NE(decode_task_actions({}).error.find("no version"), std::string::npos);
}

TEST(DecodersTaskActions, OddLengthAndInvalidUtf16StayValidUtf8) {
  BlobBuilder blob;
  blob.u16(1).u16(0x6666).u32(0).u32(3).u16(0xD800).u8('a').u32(0).u32(0);
  const auto actions = decode_task_actions(blob.bytes());
  EXPECT_EQ(actions.error, "");
  ASSERT_EQ(actions.actions.size(), 1u);
  EXPECT_EQ(actions.actions[0].command, "\xEF\xBF\xBD\xEF\xBF\xBD");  // lone surrogate + odd byte → U+FFFD
}

// The three real DynamicInfo dumps of libyal/winreg-kb "Task Scheduler Keys".
TEST(DecodersTaskDynamicInfo, Windows7NeverRun) {
  const auto info =
      decode_dynamic_info(from_hex("03 00 00 00 1c ec 45 16 3f 04 ca 01 00 00 00 00 00 00 00 00 00 00 "
                                   "00 00 00 00 00 00"));
  EXPECT_EQ(info.error, "");
  EXPECT_EQ(info.version, 3u);
  EXPECT_EQ(filetime_to_iso(info.registered), "2009-07-14T04:53:53.661238Z");
  EXPECT_EQ(info.last_run, 0u);
  EXPECT_EQ(info.task_state, 0u);
  EXPECT_EQ(info.last_error_code, 0u);
  EXPECT_FALSE(info.last_completed.has_value());
}

TEST(DecodersTaskDynamicInfo, Windows7RunWithHresult) {
  const auto info =
      decode_dynamic_info(from_hex("03 00 00 00 16 6f 4a 0f 7f fe c6 01 66 b7 6c 0d 6b 4c c9 01 2b 04 "
                                   "07 80 00 00 00 00"));
  EXPECT_EQ(info.error, "");
  EXPECT_EQ(filetime_to_iso(info.registered), "2006-11-02T13:01:49.747586Z");
  EXPECT_EQ(filetime_to_iso(info.last_run), "2008-11-22T06:25:02.721008Z");
  EXPECT_EQ(info.task_state, 0x8007042Bu);  // HRESULT_FROM_WIN32(ERROR_PROCESS_ABORTED)
  EXPECT_EQ(info.last_error_code, 0u);
}

TEST(DecodersTaskDynamicInfo, Windows10WithCompletionTime) {
  const auto info =
      decode_dynamic_info(from_hex("03 00 00 00 4b 5a 0b 60 ff 6a cd 01 5c 32 e7 45 1b b6 ce 01 20 04 "
                                   "07 80 00 00 00 00 a2 b1 86 4f 1b b6 ce 01"));
  EXPECT_EQ(info.error, "");
  EXPECT_EQ(filetime_to_iso(info.registered, false), "2012-07-26T07:22:12Z");
  EXPECT_EQ(filetime_to_iso(info.last_run, false), "2013-09-20T16:05:49Z");
  ASSERT_TRUE(info.last_completed.has_value());
  EXPECT_EQ(filetime_to_iso(*info.last_completed, false), "2013-09-20T16:06:05Z");
  EXPECT_EQ(info.task_state, 0x80070420u);
}

TEST(DecodersTaskDynamicInfo, ShortAndOddSizes) {
  EXPECT_NE(decode_dynamic_info(std::vector<std::uint8_t>(27, 0)).error.find("fewer than 28"), std::string::npos);
  EXPECT_NE(decode_dynamic_info({}).error.find("0 bytes"), std::string::npos);
  BlobBuilder odd;
  odd.u32(3).u64(1).u64(2).u32(0).u32(0).u32(0);  // 32 bytes
  const auto info = decode_dynamic_info(odd.bytes());
  EXPECT_EQ(info.registered, 1u);
  EXPECT_EQ(info.last_run, 2u);
  EXPECT_FALSE(info.last_completed.has_value());
  EXPECT_NE(info.error.find("unexpected size of 32"), std::string::npos);
}

TEST(DecodersTaskTriggers, HeaderAsGhostTaskWritesIt) {
  const std::uint64_t start = filetime_from_utc(1992, 5, 1, 22, 30);
  BlobBuilder blob;
  blob.u8(0x17).zeros(7).u8(1).zeros(7).u64(start).u8(0).zeros(7).u64(0);
  blob.u32(0x42412108);  // the job bucket that follows is not decoded
  const auto header = decode_triggers_header(blob.bytes());
  EXPECT_EQ(header.error, "");
  EXPECT_EQ(header.version, 0x17);
  EXPECT_TRUE(header.start_boundary_localized);
  EXPECT_EQ(header.start_boundary, start);
  EXPECT_FALSE(header.end_boundary_localized);
  EXPECT_EQ(header.end_boundary, 0u);
  EXPECT_NE(decode_triggers_header(std::span(blob.bytes()).first(39)).error.find("40-byte"), std::string::npos);
}

}  // namespace
}  // namespace regpersist
