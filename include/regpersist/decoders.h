// Pure decoders of the persistence catalog: functions on strings and bytes taken from registry values,
// with no hive access (the rule engine in src/catalog/ reads the hive and calls these).
//
//   * command lines: environment expansion, path normalisation, image/argument split the way
//     CreateProcess resolves it, wrappers (cmd /c, rundll32 dll,export, powershell -enc, mshta,
//     regsvr32 /i:, script hosts) and the machine-readable suspicion reasons of the catalog (§3);
//   * services: Start/Type/ErrorControl names, the FailureActions blob;
//   * scheduled tasks (TaskCache): the Actions, DynamicInfo and Triggers-header blobs;
//   * firewall rule strings and the remote-access ports/tools of T1133;
//   * small helpers: GUID text, SYSTEMTIME, StartupApproved, LSA package lists.
//
// Every blob decoder checks each length and offset against the bytes left, caps its loops, and returns
// what it decoded so far plus an error text when the input is truncated or hostile; none throws on
// bad data. Every string returned is valid UTF-8.
//
// Byte layouts and their public sources are cited in the .cpp files under src/catalog/decoders/ and
// in ../shared/research/anchors.md §4.5 (TaskCache) and §4.6 (services, firewall, StartupApproved).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace regpersist {

// ---------------------------------------------------------------------------------------------------
// Environment variables and paths
// ---------------------------------------------------------------------------------------------------

// Environment variables for expansion: names are case-insensitive, values are stored raw and may
// reference other variables (`TEMP` = `%USERPROFILE%\AppData\Local\Temp`); expansion resolves them
// recursively (bounded depth). The caller fills it from the machine (SYSTEM `Session Manager\Environment`)
// and user (`Environment` in NTUSER) values, on top of windows_defaults().
class Environment {
 public:
  // The variables every Windows installation defines, rooted at `system_drive` ("C:"): SystemDrive,
  // SystemRoot, windir, ProgramFiles, ProgramFiles(x86), ProgramW6432, CommonProgramFiles,
  // CommonProgramFiles(x86), ProgramData, ALLUSERSPROFILE, PUBLIC, ComSpec.
  static Environment windows_defaults(std::string_view system_drive = "C:");

  // Adds the per-user variables derived from a profile folder ("C:\Users\bob"): USERPROFILE,
  // HOMEDRIVE, HOMEPATH, APPDATA, LOCALAPPDATA, TEMP, TMP.
  void set_user_profile(std::string_view profile_path);

  void set(std::string_view name, std::string_view value);      // replaces a variable of the same name
  std::optional<std::string> get(std::string_view name) const;  // raw (unexpanded) value
  bool empty() const { return values_.empty(); }

 private:
  std::map<std::string, std::string> values_;  // key: upper-cased name
};

// Replaces every `%NAME%` whose name the environment knows; unknown variables stay as written.
std::string expand_environment(std::string_view text, const Environment& env);

// A file path in the canonical form the heuristics compare: variables expanded, surrounding spaces
// and quotes removed, `\??\` and `\\?\` prefixes removed (`\\?\UNC\h\s` → `\\h\s`), `\SystemRoot\`
// → %SystemRoot%, `system32\…` and `\Windows\…` completed with the system root/drive, `file:///C:/x`
// → `C:\x`, `/` → `\`, repeated `\` collapsed (except a leading `\\`). Case is preserved.
std::string normalize_path(std::string_view path, const Environment& env);

// ---------------------------------------------------------------------------------------------------
// Command lines
// ---------------------------------------------------------------------------------------------------

struct CommandLine {
  std::string raw;                // as stored (valid UTF-8)
  std::string expanded;           // environment variables expanded, surrounding spaces trimmed
  std::string image_path;         // normalised path of the program started (normalize_path)
  std::string image_name;         // lower-case file name of image_path without extension ("rundll32")
  std::string arguments;          // the text after the image, trimmed
  std::vector<std::string> argv;  // arguments split by the CommandLineToArgvW rules

  bool quoted = false;  // the image was written in double quotes
  // Not quoted and the image path holds a space: CreateProcess tries each space-separated prefix
  // first (`C:\Program.exe`, `C:\Program Files\Foo.exe`, …), listed in `candidate_images`.
  bool unquoted_path_with_spaces = false;
  std::vector<std::string> candidate_images;

  // What a launcher runs (empty when the image is no launcher):
  //   rundll32 → the DLL + export; regsvr32 → the DLL, payload_argument = the /i: text;
  //   mshta → the .hta path, URL or `vbscript:`/`javascript:` text; wscript/cscript → the script;
  //   powershell -File → the script; msiexec /i|/package|/y|/z → the package or DLL.
  std::string payload_path;
  std::string payload_export;
  std::string payload_argument;
  // powershell -Command text (or the bare script text after the switches).
  std::string powershell_command;
  // powershell -EncodedCommand payload decoded from base64 UTF-16LE (for the analyst); empty when
  // absent or not valid base64.
  std::string decoded_powershell;
  bool encoded_command = false;  // an -e/-ec/-enc… switch with a base64 argument was present

  // The command a wrapper starts (`cmd /c X`, `cmd /k X`, `start X`, `forfiles … /c "X"`, `conhost
  // --headless X`, `explorer.exe X`), parsed the same way (nesting bounded).
  std::vector<CommandLine> wrapped;
};

// Splits and decodes a command line (REG_SZ/REG_EXPAND_SZ data, Run value, service ImagePath, task
// action …). A quoted image ends at the closing quote. An unquoted one that starts with a bare name
// (`rundll32 x.dll,E`, `cmd /c …`) is that first word (found on the search path); one that starts
// with a path ends at the first space-separated prefix with an executable extension (.exe .com .bat
// .cmd .pif .scr .dll .cpl .ocx .sys .vbs .js .wsf .ps1 .hta .msc), never past a quoted or switch
// (`-x`, `/x`) token — the first file CreateProcess would find.
CommandLine parse_command_line(std::string_view raw, const Environment& env);

// A value that holds one path and no arguments (ServiceDll, InprocServer32, a DLL list element, the
// ImagePath of a kernel/file-system driver, which the kernel loads without CreateProcess): the whole
// text is the image, spaces included; never `unquoted_path_with_spaces`.
CommandLine parse_path_value(std::string_view raw, const Environment& env);

// Machine-readable suspicion reasons for a command line, sorted and unique; the table of codes is in
// src/catalog/decoders/heuristics.cpp. Windows defaults yield none. Codes:
//   user_writable_path, lolbin:<name>, encoded_powershell, unc_path, url_in_command,
//   unquoted_path_with_spaces, nul_in_name, double_extension, script_file, relative_path,
//   system_binary_mismatch.
std::vector<std::string> command_line_reasons(const CommandLine& command);

// Reasons for a key or value name: `nul_in_name` (embedded NUL, C0 control, zero-width or bidi
// override characters, whitespace-only, longer than 255 characters). The empty default-value name
// yields none.
std::vector<std::string> name_reasons(std::string_view name);

// True when the normalised, drive-rooted path lies where a standard user can write (the catalog's
// list, matched below the drive root after resolving `.`/`..`); bare names and UNC paths are false.
bool is_user_writable_path(std::string_view normalized_path);

// ---------------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------------

// "Boot", "System", "Automatic", "Manual", "Disabled"; others "Unknown (7)".
std::string service_start_name(std::uint32_t start);
// Start name with delayed auto-start folded in: "Automatic (Delayed Start)" when start = 2 and
// delayed_auto_start != 0 (ignored for other start values).
std::string service_start_mode(std::uint32_t start, std::uint32_t delayed_auto_start);
// "KernelDriver", "FileSystemDriver", "Adapter", "RecognizerDriver", "Win32OwnProcess",
// "Win32ShareProcess", "UserService", "UserServiceInstance", "Interactive", joined by "|" in bit
// order; unknown bits as "0x…"; 0 → "None".
std::string service_type_name(std::uint32_t type);
bool service_type_is_driver(std::uint32_t type);  // kernel or file-system driver bits
// "Ignore", "Normal", "Severe", "Critical"; others "Unknown (n)".
std::string service_error_control_name(std::uint32_t error_control);

struct ServiceFailureAction {
  std::uint32_t type = 0;  // SC_ACTION_TYPE
  std::uint32_t delay_ms = 0;
  std::string type_name;  // "None", "Restart", "Reboot", "RunCommand", "OwnRestart", "Unknown (n)"
};

// SERVICE_FAILURE_ACTIONS as stored in the `FailureActions` REG_BINARY value.
struct ServiceFailureActions {
  std::uint32_t reset_period_seconds = 0;  // 0xFFFFFFFF = infinite
  bool reset_period_infinite = false;
  bool has_reboot_message = false;            // placeholder dword: a RebootMessage value exists
  bool has_command = false;                   // placeholder dword: a FailureCommand value exists
  std::uint32_t declared_actions = 0;         // cActions as stored
  std::vector<ServiceFailureAction> actions;  // those that fit in the blob (capped)
  bool runs_command = false;                  // some action is RunCommand (the FailureCommand is a persistence hook)
  std::string error;                          // empty when the blob decoded completely
};
ServiceFailureActions decode_failure_actions(std::span<const std::uint8_t> data);

// ---------------------------------------------------------------------------------------------------
// Scheduled tasks (SOFTWARE Microsoft\Windows NT\CurrentVersion\Schedule\TaskCache\Tasks\{GUID})
// ---------------------------------------------------------------------------------------------------

enum class TaskActionType { exec, com_handler, send_email, show_message };
std::string task_action_type_name(TaskActionType type);  // "Exec", "ComHandler", "SendEmail", "ShowMessage"

struct TaskAction {
  TaskActionType type = TaskActionType::exec;
  std::string id;  // the action's optional id attribute
  // Exec
  std::string command;
  std::string arguments;
  std::string working_directory;
  // ComHandler
  std::string clsid;  // "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"
  std::string data;
  // SendEmail
  std::string server, subject, to, cc, bcc, reply_to, from, body;
  std::vector<std::string> attachments;
  std::vector<std::pair<std::string, std::string>> headers;
  // ShowMessage
  std::string title;  // message body in `body`
};

struct TaskActions {
  std::uint16_t version = 0;
  std::string context;              // principal id the actions run as ("Author", "LocalSystem" …); v2/v3 only
  std::vector<TaskAction> actions;  // in blob order; when `error` is set the last one may be partial
  std::string error;                // empty when the blob decoded completely
};
TaskActions decode_task_actions(std::span<const std::uint8_t> data);

struct TaskDynamicInfo {
  std::uint32_t version = 0;     // dword at offset 0 (3 in every known blob)
  std::uint64_t registered = 0;  // FILETIME creation/registration
  std::uint64_t last_run = 0;    // FILETIME last launch, 0 = never
  // Dwords at offsets 20 and 24, kept raw because the sources disagree: GhostTask and Volatility3
  // call them task state and last error code, while the real WINREG-KB dumps hold an HRESULT at 20.
  std::uint32_t task_state = 0;
  std::uint32_t last_error_code = 0;
  std::optional<std::uint64_t> last_completed;  // 36-byte variant only: FILETIME last completion
  std::string error;                            // unknown size or truncated
};
TaskDynamicInfo decode_dynamic_info(std::span<const std::uint8_t> data);

// The fixed header of the `Triggers` blob (40 bytes): version byte and the earliest start / latest end
// boundary of all triggers, each a FILETIME with an "is localized" flag (when set, the time is local
// wall-clock time, not UTC — reported raw, the caller decides).
struct TaskTriggersHeader {
  std::uint8_t version = 0;
  std::uint64_t start_boundary = 0;
  bool start_boundary_localized = false;
  std::uint64_t end_boundary = 0;
  bool end_boundary_localized = false;
  std::string error;
};
TaskTriggersHeader decode_triggers_header(std::span<const std::uint8_t> data);

// ---------------------------------------------------------------------------------------------------
// Firewall rules and remote access (T1133 / T1219)
// ---------------------------------------------------------------------------------------------------

struct FirewallRule {
  std::string version;  // "v2.30"
  std::string action;   // "Allow", "Block", "ByPass"
  bool active = false;
  std::string direction;                  // "In", "Out"
  std::optional<std::uint32_t> protocol;  // absent = any
  std::vector<std::string> profiles;      // empty = all
  std::vector<std::string> local_ports;   // LPort and LPort2_* values ("3389", "5900-5903", "RPC")
  std::vector<std::string> remote_ports;
  std::vector<std::string> remote_addresses;  // RA4/RA6/RA42/RA62
  std::string app, service, name, description, group;
  std::vector<std::pair<std::string, std::string>> fields;  // every field in order, verbatim
  std::string error;                                        // not a rule string
};
FirewallRule parse_firewall_rule(std::string_view text);

// Names of the remote-access services whose ports an enabled inbound allow rule opens ("rdp", "ssh",
// "vnc", "winrm", "teamviewer", "anydesk", "screenconnect", "rustdesk", "radmin", "netsupport"); empty
// when the rule is not active/inbound/allow, has a protocol other than TCP/UDP/any, or opens none.
// A rule with no LPort, no App and no Svc (every port, every program) is reported as "any_port".
std::vector<std::string> remote_access_ports_opened(const FirewallRule& rule);
bool opens_remote_access_port(const FirewallRule& rule);

// The remote-access product a service name or image belongs to ("TeamViewer", "AnyDesk",
// "ScreenConnect", …), matched case-insensitively by the catalog's service-name prefixes and image
// file names. `image_path` is a path without arguments (CommandLine::image_path); either may be empty.
std::optional<std::string> remote_access_tool(std::string_view service_name, std::string_view image_path);

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

// 16 bytes of a binary GUID (LE uint32, LE uint16, LE uint16, 8 bytes) → "{XXXXXXXX-XXXX-…}" upper
// case; nothing when fewer than 16 bytes.
std::optional<std::string> guid_to_string(std::span<const std::uint8_t> bytes);

// A 16-byte SYSTEMTIME (year, month, day-of-week, day, hour, minute, second, ms; uint16 LE) → FILETIME;
// nothing when short, all zero, or not a valid date.
std::optional<std::uint64_t> systemtime_to_filetime(std::span<const std::uint8_t> bytes);

enum class StartupState { enabled, disabled, unknown };
struct StartupApproved {
  std::uint32_t flags = 0;                     // first dword
  StartupState state = StartupState::unknown;  // 2/6 enabled, 3/7 (odd) disabled, other unknown
  std::uint64_t disabled_at = 0;               // FILETIME at offset 4 (0 = never disabled)
  std::string error;
};
StartupApproved decode_startup_approved(std::span<const std::uint8_t> data);
std::string startup_state_name(StartupState state);  // "enabled", "disabled", "unknown"

// LSA package lists (Authentication/Notification/Security Packages, OSConfig\Security Packages):
// REG_MULTI_SZ elements (or a comma-separated REG_SZ) trimmed of spaces and quotes, empty elements
// (`""` is the Security Packages default) dropped, original order and case kept.
std::vector<std::string> normalize_lsa_packages(const std::vector<std::string>& elements);

// Splits a comma-separated list value (Userinit, Shell, StartupPrograms, ProviderOrder …) into
// trimmed, non-empty elements.
std::vector<std::string> split_comma_list(std::string_view text);

}  // namespace regpersist
