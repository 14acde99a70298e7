// TaskCache blobs of SOFTWARE Microsoft\Windows NT\CurrentVersion\Schedule\TaskCache\Tasks\{GUID}:
// `Actions`, `DynamicInfo` and the fixed header of `Triggers`. Hand-written because no Debian library
// decodes them (Plaso skips Actions/Triggers; RegRipper 3.0 leaves Actions commented out).
//
// Layouts and their public sources (anchors.md §4.5):
//   Actions  = uint16 version (1 Windows 7/8.1, 2 Server 2016, 3 Windows 10+); version 2/3: uint32
//              byte length + UTF-16LE context (principal id, e.g. "Author"); then, to the end of the
//              blob, actions = uint16 magic, uint32 length + UTF-16LE id, and per magic:
//                0x6666 Exec: command, arguments, working directory (length-prefixed UTF-16LE
//                       strings), version 3 only: uint16 flags;
//                0x7777 ComHandler: 16-byte binary CLSID, data string;
//                0x8888 SendEmail: from, to, cc, bcc, reply-to, server, subject, body strings,
//                       uint32 count + attachment strings, uint32 count + (name, value) headers;
//                0x9999 ShowMessage: caption, content strings.
//              Sources: volatilityfoundation/volatility3 plugins/windows/scheduled_tasks.py
//              (ActionSet.decode, TaskAction._decode_*), the Kaitai `actions.ksy` of
//              https://cyber.wtf/2022/06/01/windows-registry-analysis-todays-episode-tasks/,
//              netero1010/GhostTask GhostTask.c (writes version 2 without and version 3 with the
//              trailing flags), RegRipper 4.0 tasks.pl parseActions, and the Windows 8.1 (version 1,
//              no context) and Windows 10 (version 3) hex dumps in
//              https://reinject.vercel.app/en/posts/windows-security/persistence/windows_schedule_task_action_trigger_struct/
//   DynamicInfo = uint32 version (3), FILETIME registered, FILETIME last run, uint32 at 20, uint32 at
//              24, and in the 36-byte (Windows 8+) form FILETIME last completed at 28. Sources:
//              libyal/winreg-kb docs/sources/system-keys/Task-scheduler.md (three real dumps),
//              Plaso task_scheduler.yaml, GhostTask.h DynamicInfo, Volatility3 DynamicInfo.decode.
//   Triggers header = aligned byte version (value + 7 padding bytes), then start and end boundary,
//              each an aligned "is localized" byte + FILETIME (40 bytes). Sources: GhostTask.h
//              Header/TSTIME/AlignedByte, Volatility3 TriggerSet.decode.
#include "catalog/decoders/byte_reader.h"
#include "catalog/decoders/text.h"
#include "regpersist/decoders.h"
#include "regpersist/value.h"

namespace regpersist {
namespace {

using decoders_detail::ByteReader;
using decoders_detail::hex_literal;

// Bounds on hostile counts; real tasks have at most 32 actions, 8 attachments and 32 header fields
// (MS-TSCH task schema).
constexpr std::size_t kMaxActions = 32;
constexpr std::uint32_t kMaxListEntries = 64;

constexpr std::uint16_t kExecMagic = 0x6666;
constexpr std::uint16_t kComHandlerMagic = 0x7777;
constexpr std::uint16_t kSendEmailMagic = 0x8888;
constexpr std::uint16_t kShowMessageMagic = 0x9999;

class ActionsParser {
 public:
  explicit ActionsParser(std::span<const std::uint8_t> data) : reader_(data) {}

  TaskActions run() {
    if (read_header()) read_actions();
    result_.error = std::move(error_);
    return std::move(result_);
  }

 private:
  bool fail(const std::string& what) {
    error_ = "Actions: " + what + " at offset " + std::to_string(reader_.offset());
    return false;
  }

  // uint32 byte length + UTF-16LE text (no terminator; a trailing NUL is dropped).
  bool read_string(std::string& out, const char* field) {
    const auto length = reader_.u32();
    if (!length) return fail(std::string("truncated length of ") + field);
    const auto bytes = reader_.bytes(*length);
    if (!bytes)
      return fail(std::string(field) + " length " + std::to_string(*length) + " exceeds the " +
                  std::to_string(reader_.remaining()) + " bytes left");
    out = utf16le_to_utf8(*bytes, false);
    while (!out.empty() && out.back() == '\0') out.pop_back();
    return true;
  }

  bool read_header() {
    const auto version = reader_.u16();
    if (!version) return fail("no version");
    result_.version = *version;
    if (*version < 1 || *version > 3) return fail("unknown version " + std::to_string(*version));
    return *version == 1 || read_string(result_.context, "context");
  }

  void read_actions() {
    while (!reader_.at_end()) {
      if (result_.actions.size() == kMaxActions) {
        fail("more than " + std::to_string(kMaxActions) + " actions");
        return;
      }
      const auto magic = reader_.u16();
      if (!magic) {
        fail("truncated action type");
        return;
      }
      if (!read_action(*magic)) return;
    }
  }

  bool read_action(std::uint16_t magic) {
    TaskAction action;
    bool complete = false;
    switch (magic) {
      case kExecMagic:
        action.type = TaskActionType::exec;
        complete = read_string(action.id, "action id") && read_exec(action);
        break;
      case kComHandlerMagic:
        action.type = TaskActionType::com_handler;
        complete = read_string(action.id, "action id") && read_com_handler(action);
        break;
      case kSendEmailMagic:
        action.type = TaskActionType::send_email;
        complete = read_string(action.id, "action id") && read_email(action);
        break;
      case kShowMessageMagic:
        action.type = TaskActionType::show_message;
        complete = read_string(action.id, "action id") && read_string(action.title, "message caption") &&
                   read_string(action.body, "message content");
        break;
      default:
        return fail("unknown action type " + hex_literal(magic, 4));
    }
    result_.actions.push_back(std::move(action));  // a partial action still shows what was read
    return complete;
  }

  bool read_exec(TaskAction& action) {
    if (!read_string(action.command, "command") || !read_string(action.arguments, "arguments") ||
        !read_string(action.working_directory, "working directory"))
      return false;
    if (result_.version == 3 && !reader_.u16()) return fail("truncated exec flags");
    return true;
  }

  bool read_com_handler(TaskAction& action) {
    const auto clsid = reader_.bytes(16);
    if (!clsid) return fail("truncated CLSID");
    action.clsid = *guid_to_string(*clsid);
    return read_string(action.data, "COM handler data");
  }

  bool read_count(std::uint32_t& count, const char* field) {
    const auto value = reader_.u32();
    if (!value) return fail(std::string("truncated ") + field + " count");
    // Every entry takes at least its 4-byte length: a larger count cannot fit in what is left.
    if (*value > kMaxListEntries || *value > reader_.remaining() / 4)
      return fail(std::string(field) + " count " + std::to_string(*value) + " too large");
    count = *value;
    return true;
  }

  bool read_email(TaskAction& action) {
    for (auto [field, name] : {std::pair{&action.from, "from"},
                               {&action.to, "to"},
                               {&action.cc, "cc"},
                               {&action.bcc, "bcc"},
                               {&action.reply_to, "reply-to"},
                               {&action.server, "server"},
                               {&action.subject, "subject"},
                               {&action.body, "body"}}) {
      if (!read_string(*field, name)) return false;
    }
    std::uint32_t attachments = 0;
    if (!read_count(attachments, "attachment")) return false;
    for (std::uint32_t i = 0; i < attachments; ++i) {
      if (!read_string(action.attachments.emplace_back(), "attachment")) return false;
    }
    std::uint32_t headers = 0;
    if (!read_count(headers, "header")) return false;
    for (std::uint32_t i = 0; i < headers; ++i) {
      auto& header = action.headers.emplace_back();
      if (!read_string(header.first, "header name") || !read_string(header.second, "header value")) return false;
    }
    return true;
  }

  ByteReader reader_;
  TaskActions result_;
  std::string error_;
};

constexpr std::size_t kDynamicInfoSize = 28;
constexpr std::size_t kDynamicInfoExtendedSize = 36;
constexpr std::size_t kTriggersHeaderSize = 40;

}  // namespace

std::string task_action_type_name(TaskActionType type) {
  switch (type) {
    case TaskActionType::exec:
      return "Exec";
    case TaskActionType::com_handler:
      return "ComHandler";
    case TaskActionType::send_email:
      return "SendEmail";
    case TaskActionType::show_message:
      return "ShowMessage";
  }
  return "Unknown";
}

TaskActions decode_task_actions(std::span<const std::uint8_t> data) { return ActionsParser(data).run(); }

TaskDynamicInfo decode_dynamic_info(std::span<const std::uint8_t> data) {
  TaskDynamicInfo out;
  if (data.size() < kDynamicInfoSize) {
    out.error = "DynamicInfo has " + std::to_string(data.size()) + " bytes, fewer than 28";
    return out;
  }
  ByteReader reader(data);
  out.version = *reader.u32();
  out.registered = *reader.u64();
  out.last_run = *reader.u64();
  out.task_state = *reader.u32();
  out.last_error_code = *reader.u32();
  if (data.size() >= kDynamicInfoExtendedSize) out.last_completed = *reader.u64();
  if (data.size() != kDynamicInfoSize && data.size() != kDynamicInfoExtendedSize) {
    out.error = "DynamicInfo has an unexpected size of " + std::to_string(data.size()) + " bytes (28 or 36 known)";
  }
  return out;
}

TaskTriggersHeader decode_triggers_header(std::span<const std::uint8_t> data) {
  TaskTriggersHeader out;
  if (data.size() < kTriggersHeaderSize) {
    out.error = "Triggers has " + std::to_string(data.size()) + " bytes, fewer than its 40-byte header";
    return out;
  }
  ByteReader reader(data);
  out.version = *reader.u8();
  reader.skip(7);
  out.start_boundary_localized = *reader.u8() != 0;
  reader.skip(7);
  out.start_boundary = *reader.u64();
  out.end_boundary_localized = *reader.u8() != 0;
  reader.skip(7);
  out.end_boundary = *reader.u64();
  return out;
}

}  // namespace regpersist
