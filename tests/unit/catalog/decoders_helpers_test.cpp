// Small value decoders: GUID text, SYSTEMTIME, StartupApproved, LSA package lists, comma lists.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "regpersist/decoders.h"
#include "regpersist/filetime.h"
#include "unit/catalog/decoders_fixtures.h"

namespace regpersist {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testsupport::BlobBuilder;
using testsupport::from_hex;

TEST(DecodersGuid, MixedEndianLayout) {
  EXPECT_EQ(guid_to_string(from_hex("a8 7a 76 ca 57 91 04 46 b6 4b 40 74 71 23 d5 f2")),
            "{CA767AA8-9157-4604-B64B-40747123D5F2}");
  EXPECT_EQ(guid_to_string(std::vector<std::uint8_t>(16, 0)), "{00000000-0000-0000-0000-000000000000}");
  EXPECT_EQ(guid_to_string(from_hex("a8 7a 76 ca 57 91 04 46 b6 4b 40 74 71 23 d5 f2 ff")),
            "{CA767AA8-9157-4604-B64B-40747123D5F2}");  // extra bytes ignored
  EXPECT_FALSE(guid_to_string(std::vector<std::uint8_t>(15, 0)).has_value());
}

TEST(DecodersSystemTime, ValidDatesToFiletime) {
  BlobBuilder blob;
  blob.u16(2021).u16(3).u16(2).u16(16).u16(14).u16(5).u16(9).u16(250);  // Tuesday 2021-03-16
  const auto ticks = systemtime_to_filetime(blob.bytes());
  ASSERT_TRUE(ticks.has_value());
  EXPECT_EQ(filetime_to_iso(*ticks), "2021-03-16T14:05:09.250000Z");

  BlobBuilder leap;
  leap.u16(2024).u16(2).u16(4).u16(29).zeros(8);
  EXPECT_EQ(filetime_to_iso(*systemtime_to_filetime(leap.bytes()), false), "2024-02-29T00:00:00Z");
}

TEST(DecodersSystemTime, InvalidOrShort) {
  EXPECT_FALSE(systemtime_to_filetime(std::vector<std::uint8_t>(16, 0)).has_value());
  EXPECT_FALSE(systemtime_to_filetime(std::vector<std::uint8_t>(15, 0)).has_value());
  for (auto fields : {std::vector<std::uint16_t>{2023, 2, 0, 29, 0, 0, 0, 0},
                      {2023, 13, 0, 1, 0, 0, 0, 0},
                      {2023, 1, 0, 1, 24, 0, 0, 0},
                      {2023, 1, 0, 1, 0, 60, 0, 0},
                      {2023, 1, 0, 1, 0, 0, 0, 1000},
                      {1600, 1, 0, 1, 0, 0, 0, 0}}) {
    BlobBuilder blob;
    for (std::uint16_t field : fields) blob.u16(field);
    EXPECT_FALSE(systemtime_to_filetime(blob.bytes()).has_value()) << fields[0] << "-" << fields[1];
  }
}

TEST(DecodersStartupApproved, EnabledAndDisabledCodes) {
  const auto enabled = decode_startup_approved(from_hex("02 00 00 00 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(enabled.error, "");
  EXPECT_EQ(enabled.state, StartupState::enabled);
  EXPECT_EQ(startup_state_name(enabled.state), "enabled");
  EXPECT_EQ(enabled.disabled_at, 0u);
  EXPECT_EQ(decode_startup_approved(from_hex("06 00 00 00 00 00 00 00 00 00 00 00")).state, StartupState::enabled);

  const std::uint64_t when = filetime_from_utc(2023, 5, 4, 3, 2, 1);
  BlobBuilder disabled;
  disabled.u32(3).u64(when);
  const auto off = decode_startup_approved(disabled.bytes());
  EXPECT_EQ(off.state, StartupState::disabled);
  EXPECT_EQ(startup_state_name(off.state), "disabled");
  EXPECT_EQ(off.flags, 3u);
  EXPECT_EQ(off.disabled_at, when);
  BlobBuilder seven;
  seven.u32(7).u64(when);
  EXPECT_EQ(decode_startup_approved(seven.bytes()).state, StartupState::disabled);
}

TEST(DecodersStartupApproved, UnknownShortAndEmpty) {
  const auto zero = decode_startup_approved(std::vector<std::uint8_t>(12, 0));
  EXPECT_EQ(zero.state, StartupState::unknown);
  EXPECT_EQ(startup_state_name(zero.state), "unknown");
  const auto shortened = decode_startup_approved(from_hex("03 00 00 00 01"));
  EXPECT_EQ(shortened.state, StartupState::disabled);
  EXPECT_EQ(shortened.disabled_at, 0u);
  EXPECT_NE(shortened.error.find("expected 12"), std::string::npos);
  EXPECT_NE(decode_startup_approved({}).error.find("fewer than its 4-byte flags"), std::string::npos);
}

// The only StartupApproved value of the shared NTUSER hives: all zero (anchors.md §4.6).
TEST(DecodersStartupApproved, RealDockerDesktopEntry) {
  const testsupport::CorpusHive corpus("regipy/NTUSER_with_winscp.DAT.xz");
  const Hive& hive = corpus.hive;
  const auto key = hive.find("Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run");
  ASSERT_TRUE(key.has_value());
  const auto value = key->value("Docker Desktop");
  ASSERT_TRUE(value.has_value());
  const auto decoded = decode_startup_approved(value->data);
  EXPECT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.flags, 0u);
  EXPECT_EQ(decoded.state, StartupState::unknown);
}

TEST(DecodersLists, LsaPackagesAndCommaLists) {
  EXPECT_THAT(normalize_lsa_packages({"\"\""}), IsEmpty());  // Security Packages default
  EXPECT_THAT(normalize_lsa_packages({"scecli", " rassfm ", "", "\"kerberos\""}),
              ElementsAre("scecli", "rassfm", "kerberos"));
  EXPECT_THAT(normalize_lsa_packages({"msv1_0, pwfilt"}), ElementsAre("msv1_0", "pwfilt"));
  EXPECT_THAT(split_comma_list("C:\\Windows\\system32\\userinit.exe,"),
              ElementsAre("C:\\Windows\\system32\\userinit.exe"));
  EXPECT_THAT(split_comma_list("RDPNP,LanmanWorkstation , webclient"),
              ElementsAre("RDPNP", "LanmanWorkstation", "webclient"));
  EXPECT_THAT(split_comma_list(" , ,"), IsEmpty());
}

}  // namespace
}  // namespace regpersist
