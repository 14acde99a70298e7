// Firewall rule strings, remote-access ports and remote-access tools (T1133 / T1219), on hand-written
// rules, the built-in rules quoted by the catalog, and every rule of the shared SYSTEM hives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "regpersist/decoders.h"
#include "unit/catalog/decoders_fixtures.h"

namespace regpersist {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::string_view kBuiltInRdpRule =
    "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|App=%SystemRoot%\\system32\\svchost.exe|"
    "Svc=termservice|Name=@FirewallAPI.dll,-28775|Desc=@FirewallAPI.dll,-28756|EmbedCtxt=@FirewallAPI.dll,-28752|";

TEST(DecodersFirewall, ParsesEveryField) {
  const FirewallRule rule = parse_firewall_rule(kBuiltInRdpRule);
  EXPECT_EQ(rule.error, "");
  EXPECT_EQ(rule.version, "v2.30");
  EXPECT_EQ(rule.action, "Allow");
  EXPECT_TRUE(rule.active);
  EXPECT_EQ(rule.direction, "In");
  EXPECT_EQ(rule.protocol, 6u);
  EXPECT_THAT(rule.local_ports, ElementsAre("3389"));
  EXPECT_EQ(rule.app, "%SystemRoot%\\system32\\svchost.exe");
  EXPECT_EQ(rule.service, "termservice");
  EXPECT_EQ(rule.name, "@FirewallAPI.dll,-28775");
  EXPECT_EQ(rule.description, "@FirewallAPI.dll,-28756");
  EXPECT_EQ(rule.group, "@FirewallAPI.dll,-28752");
  ASSERT_EQ(rule.fields.size(), 10u);
  EXPECT_EQ(rule.fields[0], (std::pair<std::string, std::string>{"Action", "Allow"}));
}

TEST(DecodersFirewall, RepeatedFieldsOddCaseAndUnknownFields) {
  const FirewallRule rule = parse_firewall_rule(
      "V2.0|Dir=in|Action=Allow|active=TRUE|Profile=Private|Profile=Public|LPORT=5900-5903|RA4=10.0.0.0/8|"
      "RA42=LocalSubnet|TTK2_28=x|NoValue|LPort2_10=22|");
  EXPECT_EQ(rule.error, "");
  EXPECT_TRUE(rule.active);
  EXPECT_THAT(rule.profiles, ElementsAre("Private", "Public"));
  EXPECT_THAT(rule.local_ports, ElementsAre("5900-5903", "22"));
  EXPECT_THAT(rule.remote_addresses, ElementsAre("10.0.0.0/8", "LocalSubnet"));
  EXPECT_FALSE(rule.protocol.has_value());
  EXPECT_EQ(rule.fields[8], (std::pair<std::string, std::string>{"TTK2_28", "x"}));
  EXPECT_EQ(rule.fields[9], (std::pair<std::string, std::string>{"NoValue", ""}));
  EXPECT_THAT(remote_access_ports_opened(rule), ElementsAre("ssh", "vnc"));
}

TEST(DecodersFirewall, RemoteAccessPorts) {
  EXPECT_THAT(remote_access_ports_opened(parse_firewall_rule(kBuiltInRdpRule)), ElementsAre("rdp"));
  EXPECT_TRUE(opens_remote_access_port(parse_firewall_rule(kBuiltInRdpRule)));
  EXPECT_THAT(remote_access_ports_opened(
                  parse_firewall_rule("v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=5985|LPort=5986|")),
              ElementsAre("winrm"));
  EXPECT_THAT(remote_access_ports_opened(parse_firewall_rule("v2.30|Action=Allow|Active=TRUE|Dir=In|LPort=5938|")),
              ElementsAre("teamviewer"));
  EXPECT_THAT(remote_access_ports_opened(parse_firewall_rule("v2.30|Action=Allow|Active=TRUE|Dir=In|LPort=7070|")),
              ElementsAre("anydesk"));
  EXPECT_THAT(remote_access_ports_opened(parse_firewall_rule("v2.30|Action=Allow|Active=TRUE|Dir=In|LPort=1-65535|")),
              ElementsAre("ssh", "rdp", "vnc", "winrm", "teamviewer", "anydesk", "screenconnect", "rustdesk", "radmin",
                          "netsupport", "telnet"));
  EXPECT_THAT(remote_access_ports_opened(parse_firewall_rule("v2.30|Action=Allow|Active=TRUE|Dir=In|")),
              ElementsAre("any_port"));
}

TEST(DecodersFirewall, RulesThatOpenNothing) {
  const std::string_view rules[] = {
      "v2.30|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=3389|",      // disabled
      "v2.30|Action=Block|Active=TRUE|Dir=In|Protocol=6|LPort=3389|",       // block
      "v2.30|Action=Allow|Active=TRUE|Dir=Out|Protocol=6|LPort=3389|",      // outbound
      "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=1|LPort=3389|",       // ICMP
      "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=RPC|",        // keyword
      "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=443|",        // other port
      "v2.30|Action=Allow|Active=TRUE|Dir=In|App=C:\\x\\a.exe|",            // program rule, any port
      "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3400-3300|",  // reversed range
  };
  for (std::string_view text : rules)
    EXPECT_THAT(remote_access_ports_opened(parse_firewall_rule(text)), IsEmpty()) << text;
}

TEST(DecodersFirewall, NotARuleAndHostileInputs) {
  EXPECT_NE(parse_firewall_rule("Action=Allow|").error.find("not a firewall rule"), std::string::npos);
  EXPECT_NE(parse_firewall_rule("").error.find("not a firewall rule"), std::string::npos);
  EXPECT_FALSE(opens_remote_access_port(parse_firewall_rule("")));
  EXPECT_EQ(parse_firewall_rule("v2.30").error, "");
  std::string many = "v2.30|";
  for (int i = 0; i < 1000; ++i) many += "LPort=3389|";
  const FirewallRule rule = parse_firewall_rule(many);
  EXPECT_EQ(rule.fields.size(), 256u);
  EXPECT_NE(rule.error.find("more than 256 fields"), std::string::npos);
  EXPECT_EQ(parse_firewall_rule("v2.30|Name=\xff|").name, "\xEF\xBF\xBD");
}

// Every rule in the shared SYSTEM hives parses; the regipy host has RDP allowed through the firewall.
TEST(DecodersFirewall, EveryRuleOfTheSharedSystemHives) {
  std::size_t parsed = 0;
  std::vector<std::string> opened_on_regipy;
  for (const char* name : testsupport::kSharedSystemHives) {
    const testsupport::CorpusHive corpus(name);
    const Hive& hive = corpus.hive;
    const auto rules = hive.find("ControlSet001\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules");
    ASSERT_TRUE(rules.has_value()) << name;
    for (const Value& value : rules->values()) {
      const FirewallRule rule = parse_firewall_rule(value.as_string());
      EXPECT_EQ(rule.error, "") << name << " " << value.name;
      EXPECT_FALSE(rule.fields.empty()) << value.name;
      if (std::string_view(name) == "regipy/SYSTEM.xz" && opens_remote_access_port(rule))
        opened_on_regipy.push_back(value.name);
      ++parsed;
    }
  }
  EXPECT_GT(parsed, 1000u);
  EXPECT_THAT(opened_on_regipy, ::testing::Contains("RemoteDesktop-In-TCP"));
}

TEST(DecodersRemoteAccessTools, ByServiceNameOrImage) {
  EXPECT_EQ(remote_access_tool("TeamViewer", ""), "TeamViewer");
  EXPECT_EQ(remote_access_tool("TeamViewer14", ""), "TeamViewer");
  EXPECT_EQ(remote_access_tool("AnyDeskMSI", ""), "AnyDesk");
  EXPECT_EQ(remote_access_tool("ScreenConnect Client (1a2b3c4d5e6f7a8b)", ""), "ScreenConnect");
  EXPECT_EQ(remote_access_tool("LMIRescue_123", ""), "LogMeIn");
  EXPECT_EQ(remote_access_tool("uvnc_service", ""), "UltraVNC");
  EXPECT_EQ(remote_access_tool("Level", ""), "Level");
  EXPECT_EQ(remote_access_tool("svc", "C:\\Program Files\\RustDesk\\rustdesk.exe"), "RustDesk");
  EXPECT_EQ(remote_access_tool("", "C:\\Users\\bob\\Downloads\\ngrok.exe"), "ngrok");
  EXPECT_EQ(remote_access_tool("AteraAgent", ""), "Atera");
  EXPECT_EQ(remote_access_tool("NinjaRMMAgent", ""), "NinjaRMM");
  EXPECT_FALSE(remote_access_tool("LevelUpdater", "").has_value());
  EXPECT_FALSE(remote_access_tool("TermService", "C:\\Windows\\System32\\svchost.exe").has_value());
  EXPECT_FALSE(remote_access_tool("", "").has_value());
}

TEST(DecodersRemoteAccessTools, NoWindowsServiceOfTheSharedHivesIsARemoteTool) {
  const testsupport::CorpusHive corpus("dissect.regf/SYSTEM.gz");
  const Hive& hive = corpus.hive;
  const auto services = hive.find("ControlSet001\\Services");
  ASSERT_TRUE(services.has_value());
  const Environment env = Environment::windows_defaults();
  for (const Key& service : services->subkeys()) {
    const auto image = service.value("ImagePath");
    const std::string path = image ? parse_command_line(image->as_string(), env).image_path : "";
    EXPECT_FALSE(remote_access_tool(service.name(), path).has_value()) << service.name() << " " << path;
  }
}

}  // namespace
}  // namespace regpersist
