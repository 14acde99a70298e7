// The decoders' reference lists, kept as data in one place (persistence-catalog.md §3.0–§3.2 and §4):
// executable extensions, user-writable locations, LOLBins and their conditions, script and document
// extensions, Windows system binaries, Windows' own rundll32 exports, remote-access ports and tools.
// The code in heuristics.cpp / command_line.cpp / firewall.cpp only walks these tables. All entries
// are lower case; paths use `\` and are matched after the drive letter ("c:" removed).
#pragma once

#include <cstdint>
#include <string_view>

namespace regpersist::decoders_detail {

// §3.0 step 3: an unquoted image ends at the first space-separated prefix with one of these.
inline constexpr std::string_view kExecutableExtensions[] = {".exe", ".com", ".bat", ".cmd", ".pif", ".scr",
                                                             ".dll", ".cpl", ".ocx", ".sys", ".vbs", ".js",
                                                             ".wsf", ".ps1", ".hta", ".msc"};

// §3.1 user_writable_path: locations a standard user can write, as prefixes below the drive root.
inline constexpr std::string_view kUserWritablePrefixes[] = {
    "\\users\\",
    "\\$recycle.bin\\",
    "\\recycler\\",
    "\\system volume information\\",
    "\\windows\\temp\\",
    "\\windows\\tasks\\",
    "\\windows\\tracing\\",
    "\\windows\\debug\\",
    "\\windows\\registration\\crmlog",
    "\\windows\\system32\\tasks\\",
    "\\windows\\syswow64\\tasks\\",
    "\\windows\\system32\\spool\\drivers\\color\\",
    "\\windows\\system32\\microsoft\\crypto\\rsa\\machinekeys\\",
    "\\windows\\syswow64\\microsoft\\crypto\\rsa\\machinekeys\\",
    "\\programdata\\",
    "\\perflogs\\",
    "\\intel\\",
};

// Exceptions to the fragments above: Microsoft's own code under ProgramData, and the per-user
// binaries Windows installs in every profile (the default NTUSER Run values of §5.1). Matched from the
// root of the drive; `*` stands for one path component (the profile name).
inline constexpr std::string_view kUserWritableExceptions[] = {
    "\\programdata\\microsoft\\windows defender\\platform\\",
    "\\programdata\\microsoft\\windows\\start menu\\",
    "\\users\\*\\appdata\\local\\microsoft\\onedrive\\onedrive.exe",
    "\\users\\*\\appdata\\local\\microsoft\\teams\\update.exe",
    "\\users\\*\\appdata\\local\\microsoft\\windowsapps\\",
};

// First path components (after the drive) that are not custom root folders.
inline constexpr std::string_view kStandardRootFolders[] = {"windows", "program files", "program files (x86)",
                                                            "programdata", "users"};

// Unexpanded variables that always point into the user's profile.
inline constexpr std::string_view kUserProfileVariables[] = {"%temp%",         "%tmp%",         "%appdata%",
                                                             "%localappdata%", "%userprofile%", "%public%"};

// §3.2 LOLBins. `condition` says when the launched binary is flagged; `markers` are the arguments
// ('|'-separated) that make a conditional entry suspicious, matched as argument prefixes ignoring case.
enum class LolbinCondition {
  always,                // always as an autostart image (unless it only opens a "%1" placeholder)
  rundll32,              // DLL outside System32, unknown export, script URL, ordinal (kWindowsRundllExports)
  regsvr32,              // /i: URL, scrobj.dll, /u with /n, DLL outside System32/SysWOW64/Program Files
  msiexec,               // URL, /y or /z, package in a user-writable path
  with_wrapped_command,  // starts another program (cmd /c X, explorer X, conhost X)
  with_marker,           // an argument starts with one of `markers`
  with_url,              // the arguments hold a URL
  control_panel_item,    // a .cpl outside System32
};

struct LolbinRule {
  std::string_view name;  // file name without extension
  LolbinCondition condition;
  std::string_view markers;
};

inline constexpr LolbinRule kLolbins[] = {
    {"rundll32", LolbinCondition::rundll32, ""},
    {"regsvr32", LolbinCondition::regsvr32, ""},
    {"mshta", LolbinCondition::always, ""},
    {"wscript", LolbinCondition::always, ""},
    {"cscript", LolbinCondition::always, ""},
    {"powershell", LolbinCondition::always, ""},
    {"pwsh", LolbinCondition::always, ""},
    {"powershell_ise", LolbinCondition::always, ""},
    {"cmd", LolbinCondition::with_wrapped_command, ""},
    {"certutil", LolbinCondition::always, ""},
    {"bitsadmin", LolbinCondition::always, ""},
    {"msiexec", LolbinCondition::msiexec, ""},
    {"installutil", LolbinCondition::always, ""},
    {"regasm", LolbinCondition::always, ""},
    {"regsvcs", LolbinCondition::always, ""},
    {"msbuild", LolbinCondition::always, ""},
    {"csc", LolbinCondition::always, ""},
    {"vbc", LolbinCondition::always, ""},
    {"jsc", LolbinCondition::always, ""},
    {"ilasm", LolbinCondition::always, ""},
    {"aspnet_compiler", LolbinCondition::always, ""},
    {"odbcconf", LolbinCondition::always, ""},
    {"forfiles", LolbinCondition::always, ""},
    {"pcalua", LolbinCondition::always, ""},
    {"scriptrunner", LolbinCondition::always, ""},
    {"syncappvpublishingserver", LolbinCondition::always, ""},
    {"explorer", LolbinCondition::with_wrapped_command, ""},
    {"conhost", LolbinCondition::with_wrapped_command, ""},
    {"hh", LolbinCondition::always, ""},
    {"control", LolbinCondition::control_panel_item, ""},
    {"mavinject", LolbinCondition::always, ""},
    {"infdefaultinstall", LolbinCondition::always, ""},
    {"cmstp", LolbinCondition::always, ""},
    {"presentationhost", LolbinCondition::always, ""},
    {"msdt", LolbinCondition::always, ""},
    {"wmic", LolbinCondition::with_marker, "process|/node:"},
    {"schtasks", LolbinCondition::with_marker, "/create|-create"},
    {"sc", LolbinCondition::with_marker, "create|config|failure"},
    {"reg", LolbinCondition::with_marker, "add|import|load|restore"},
    {"regedit", LolbinCondition::with_marker, "/s"},
    {"at", LolbinCondition::always, ""},
    {"wsl", LolbinCondition::always, ""},
    {"bash", LolbinCondition::always, ""},
    {"curl", LolbinCondition::always, ""},
    {"tar", LolbinCondition::always, ""},
    {"expand", LolbinCondition::always, ""},
    {"extrac32", LolbinCondition::always, ""},
    {"esentutl", LolbinCondition::always, ""},
    {"xwizard", LolbinCondition::always, ""},
    {"verclsid", LolbinCondition::always, ""},
    {"dnscmd", LolbinCondition::always, ""},
    {"msxsl", LolbinCondition::always, ""},
    {"wuauclt", LolbinCondition::with_marker, "/updatedeploymentprovider"},
    {"ie4uinit", LolbinCondition::with_marker, "-basesettings"},
    {"diskshadow", LolbinCondition::always, ""},
    {"ftp", LolbinCondition::with_marker, "-s:"},
    {"finger", LolbinCondition::always, ""},
    {"desktopimgdownldr", LolbinCondition::always, ""},
    {"appinstaller", LolbinCondition::with_url, ""},
};

// rundll32 DLL,export pairs Windows itself registers (file associations, Active Setup, control panel,
// the built-in scheduled tasks of Windows 10/11).
struct RundllExport {
  std::string_view dll;  // file name
  std::string_view exported;
};
inline constexpr RundllExport kWindowsRundllExports[] = {
    {"shell32.dll", "control_rundll"},
    {"shell32.dll", "control_rundllasuser"},
    {"shell32.dll", "options_rundll"},
    {"shell32.dll", "shcreatelocalserverrundll"},
    {"printui.dll", "printuientry"},
    {"iesetup.dll", "iehardenuser"},
    {"iesetup.dll", "iehardenadmin"},
    {"mscories.dll", "install"},
    {"dfshim.dll", "shopenverbapplication"},
    {"dfshim.dll", "shopenverbextension"},
    {"shimgvw.dll", "imageview_fullscreen"},
    {"windows.storage.applicationdata.dll", "cleanuptemporarystate"},
    {"acproxy.dll", "performautochkoperations"},
    {"startupscan.dll", "susruntask"},
    {"appxdeploymentclient.dll", "appxprestagecleanupruntask"},
    {"bfe.dll", "bfeonservicestarttypechange"},
    {"dfdts.dll", "dfdgetdefaultpolicyandsmart"},
    {"pla.dll", "plahost"},
    {"windows.sharedpc.accountmanager.dll", "startmaintenance"},
    {"sysmain.dll", "pfsvwsswapassessmenttask"},
};

// §3.1 script_file.
inline constexpr std::string_view kScriptExtensions[] = {".vbs", ".vbe", ".js",   ".jse", ".wsf", ".wsh",
                                                         ".hta", ".ps1", ".psm1", ".bat", ".cmd", ".sct",
                                                         ".xsl", ".inf", ".scf",  ".url", ".lnk"};

// §3.1 double_extension: a document extension followed by an executable one.
inline constexpr std::string_view kDocumentExtensions[] = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "jpg", "jpeg",
                                                           "png", "gif", "txt",  "rtf", "zip",  "rar", "htm", "html"};
inline constexpr std::string_view kDisguisedExtensions[] = {"exe", "scr", "com", "pif", "bat", "cmd", "vbs", "vbe",
                                                            "js",  "jse", "wsf", "hta", "lnk", "dll", "cpl"};

// §3.1 system_binary_mismatch: Windows binaries that only live in the Windows folder.
inline constexpr std::string_view kSystemBinaries[] = {
    "svchost.exe",   "lsass.exe",    "csrss.exe",    "explorer.exe", "winlogon.exe", "taskhost.exe",
    "taskhostw.exe", "dllhost.exe",  "conhost.exe",  "rundll32.exe", "spoolsv.exe",  "wininit.exe",
    "smss.exe",      "services.exe", "userinit.exe", "sihost.exe",   "ctfmon.exe",   "lsm.exe"};
inline constexpr std::string_view kSystemBinaryFolders[] = {"\\windows\\system32", "\\windows\\syswow64", "\\windows"};

// §3.1 encoded_powershell: download/execute markers (matched case-insensitively, on word boundaries).
inline constexpr std::string_view kPowershellMarkers[] = {
    "frombase64string",  "iex",          "invoke-expression", "downloadstring",
    "downloadfile",      "downloaddata", "invoke-webrequest", "iwr",
    "invoke-restmethod", "irm",          "net.webclient",     "start-bitstransfer"};

// §3.1 url_in_command.
inline constexpr std::string_view kUrlSchemes[] = {"http://", "https://", "ftp://", "file://"};

// §4.2 remote-access ports an inbound allow rule may open.
struct RemoteAccessPortRange {
  std::uint32_t first;
  std::uint32_t last;
  std::string_view service;
};
inline constexpr RemoteAccessPortRange kRemoteAccessPorts[] = {
    {22, 22, "ssh"},         {3389, 3389, "rdp"},           {5900, 5903, "vnc"},
    {5985, 5986, "winrm"},   {5938, 5938, "teamviewer"},    {6568, 6568, "anydesk"},
    {7070, 7070, "anydesk"}, {8040, 8041, "screenconnect"}, {21115, 21119, "rustdesk"},
    {4899, 4899, "radmin"},  {5405, 5405, "netsupport"},    {5421, 5421, "netsupport"},
    {23, 23, "telnet"},
};

// §4.4 remote-access tools: service-name prefixes and image file names (lower case).
struct RemoteAccessTool {
  std::string_view product;
  std::string_view service_prefixes[4];
  std::string_view image_names[4];
};
inline constexpr RemoteAccessTool kRemoteAccessTools[] = {
    {"TeamViewer", {"teamviewer"}, {"teamviewer_service.exe", "teamviewer.exe"}},
    {"AnyDesk", {"anydesk"}, {"anydesk.exe"}},
    {"ScreenConnect",
     {"screenconnect client", "connectwise control"},
     {"screenconnect.clientservice.exe", "screenconnect.windowsclient.exe"}},
    {"Splashtop", {"splashtopremoteservice", "ssuservice"}, {"srservice.exe", "srmanager.exe"}},
    {"RustDesk", {"rustdesk"}, {"rustdesk.exe"}},
    {"LogMeIn",
     {"logmein", "lmiguardiansvc", "lmimaint", "lmirescue"},
     {"logmein.exe", "lmiguardiansvc.exe", "lmi_rescue.exe"}},
    {"GoTo Resolve", {"gotoresolve"}, {"gotoresolveservice.exe"}},
    {"RealVNC", {"vncserver", "winvnc4"}, {"vncserver.exe", "winvnc4.exe"}},
    {"TightVNC", {"tvnserver"}, {"tvnserver.exe"}},
    {"UltraVNC", {"uvnc_service"}, {"winvnc.exe"}},
    {"TigerVNC", {"tigervnc"}, {"winvnc4.exe"}},
    {"Chrome Remote Desktop", {"chromoting"}, {"remoting_host.exe"}},
    {"Atera", {"ateraagent"}, {"ateraagent.exe"}},
    {"NinjaRMM", {"ninjarmmagent"}, {"ninjarmmagent.exe"}},
    {"Kaseya", {"kaseya agent", "kaseyaagent"}, {"agentmon.exe"}},
    {"N-able", {"windows agent service"}, {"agent.exe"}},
    {"Tactical RMM", {"tacticalrmm"}, {"tacticalrmm.exe"}},
    {"Level", {"level"}, {"level.exe"}},
    {"NetSupport Manager", {"client32"}, {"client32.exe"}},
    {"Ammyy Admin", {"ammyyadmin"}, {"aa_v3.exe", "ammyy_admin.exe"}},
    {"Radmin", {"rserver3", "r_server"}, {"rserver3.exe", "r_server.exe"}},
    {"MeshCentral", {"mesh agent"}, {"meshagent.exe"}},
    {"Remote Utilities", {"rmanservice"}, {"rutserv.exe"}},
    {"Zoho Assist", {"zohoassist", "zoho assist"}, {"zaservice.exe"}},
    {"ngrok", {"ngrok"}, {"ngrok.exe"}},
    {"Supremo", {"supremoservice"}, {"supremo.exe", "supremoservice.exe"}},
    {"DWService", {"dwagent"}, {"dwagsvc.exe", "dwagent.exe"}},
    {"BeyondTrust Remote Support", {"bomgar", "beyondtrust"}, {"bomgar-scc.exe"}},
};

}  // namespace regpersist::decoders_detail
