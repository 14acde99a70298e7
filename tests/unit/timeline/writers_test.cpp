// The writers on ordinary and hostile events: each format keeps its structure (field counts, RFC 4180
// quoting, bodyfile escaping), machine formats stay valid UTF-8, the table lets no escape sequence
// through, spreadsheet formulas are neutralised, and every record passes Timesketch's import checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "regpersist/event.h"
#include "regpersist/timeline.h"
#include "regpersist/timezone.h"
#include "unit/timeline/timeline_test_support.h"

namespace regpersist {
namespace {

using testsupport::filetime;
using namespace timeline_test;

std::vector<Event> sample_events() {
  Event run;
  run.filetime = filetime(2021, 3, 29, 20, 14, 5) + 1234567;  // .123456 s and a tick below a microsecond
  run.timestamp_desc = "Content Modification Time";
  run.message = "[HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run] Updater: C:\\u.exe";
  run.data_type = "windows:registry:persistence";
  run.parser = "regpersist/scan";
  run.key_path = "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
  run.value_name = "Updater";
  run.data = "C:\\u.exe";
  run.host = "WKS-07";
  run.technique = "T1547.001";
  run.suspicious = true;
  run.reasons = {"user_writable_path", "lolbin:rundll32"};
  Event hostile = run;
  hostile.filetime = filetime(2021, 3, 28, 1, 0, 0);
  hostile.message = kHostileText;
  hostile.value_name = kHostileText;
  hostile.data = kHostileText;
  hostile.user = kHostileText;
  hostile.details = {{"name", kHostileText}};
  hostile.reasons = {};
  hostile.suspicious = false;
  Event login = run;
  login.filetime = filetime(1999, 12, 31, 23, 59, 59);
  login.timestamp_desc = "Account Created";
  login.value_name.clear();
  login.data.clear();
  return {run, hostile, login};
}

std::string written(EventFormat format, const TimeZone* zone = nullptr) {
  auto events = sample_events();
  std::ostringstream out;
  write_events(out, events, {format, zone});
  return out.str();
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields(1);
  for (const char c : line) {
    if (c == separator)
      fields.emplace_back();
    else
      fields.back().push_back(c);
  }
  return fields;
}

// RFC 4180 reader: rows of cells, quoted cells may hold separators, quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        row.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        row.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.push_back(row);
      row.assign(1, "");
      ++i;
    } else {
      row.back() += c;
    }
  }
  return rows;
}

bool valid_utf8(const std::string& text) { return sanitize_utf8(text) == text; }

TEST(JsonlWriter, PassesTimesketchImportChecks) { expect_timesketch_jsonl(written(EventFormat::jsonl)); }

TEST(JsonlWriter, SortedUtcWithMicrosecondsAndValidUtf8) {
  const auto lines = lines_of(written(EventFormat::jsonl));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].starts_with("{\"message\":"));
  const auto first = nlohmann::json::parse(lines[0]);
  const auto last = nlohmann::json::parse(lines[2]);
  EXPECT_EQ(first["datetime"], "1999-12-31T23:59:59.000000Z");
  EXPECT_EQ(last["datetime"], "2021-03-29T20:14:05.123456Z");
  EXPECT_EQ(last["timestamp"], 1617048845123456);
  EXPECT_EQ(last["reasons"], nlohmann::json::array({"user_writable_path", "lolbin:rundll32"}));
  EXPECT_EQ(last["suspicious"], true);
  const auto hostile = nlohmann::json::parse(lines[1]);
  EXPECT_TRUE(hostile["message"].get<std::string>().find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
  for (const auto& line : lines) EXPECT_TRUE(valid_utf8(line));
}

TEST(CsvWriter, Rfc4180WithFormulasNeutralised) {
  const auto text = written(EventFormat::csv);
  EXPECT_TRUE(valid_utf8(text));
  const auto rows = parse_csv(text);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][0], "datetime");
  EXPECT_EQ(rows[0][3], "message");
  for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size());
  const auto column = [&](std::string_view name) {
    return static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), name) - rows[0].begin());
  };
  const std::string message = rows[2][column("message")];
  EXPECT_TRUE(message.starts_with("'=cmd|")) << message;
  EXPECT_NE(message.find("\"x\"\n"), std::string::npos);  // quotes and the line break survive quoting
  EXPECT_EQ(rows[3][column("reasons")], "user_writable_path; lolbin:rundll32");
  EXPECT_EQ(rows[3][column("timestamp")], "1617048845123456");
  EXPECT_EQ(rows[3][column("suspicious")], "true");
  EXPECT_EQ(rows[2][column("details")].substr(0, 7), "name==c");  // key=value; the value's '=' kept
}

TEST(CsvField, QuotesAndNeutralises) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("=1+2"), "'=1+2");
  EXPECT_EQ(csv_field("+1"), "'+1");
  EXPECT_EQ(csv_field("-1"), "'-1");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\xff"), "\xef\xbf\xbd");
  EXPECT_EQ(csv_field("=a,\"b\""), "\"'=a,\"\"b\"\"\"");  // neutralised inside the quotes
  EXPECT_EQ(csv_field("\"\n"), "\"\"\"\n\"");
}

TEST(BodyfileWriter, ElevenFieldsEscapedNamesAndSlots) {
  const auto lines = lines_of(written(EventFormat::bodyfile));
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) ASSERT_EQ(split(line, '|').size(), 11u) << line;
  const auto created = split(lines[0], '|');
  EXPECT_EQ(created[1], "[REG] HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run (Account Created)");
  EXPECT_EQ(created[8], "0");           // mtime
  EXPECT_EQ(created[10], "946684799");  // crtime
  const auto hostile = split(lines[1], '|');
  EXPECT_NE(hostile[1].find("%7C"), std::string::npos);
  EXPECT_NE(hostile[1].find("%2541"), std::string::npos);  // a literal "%41" is not decoded by mactime
  EXPECT_NE(hostile[1].find("\\x0a\\x1b[31m"), std::string::npos) << hostile[1];
  EXPECT_EQ(hostile[8], "1616893200");
  const auto run = split(lines[2], '|');
  EXPECT_EQ(run[1], "[REG] HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater -> C:\\u.exe");
  EXPECT_EQ(run[8], "1617048845");
}

TEST(TlnWriter, FiveFieldsHostAndUser) {
  const auto lines = lines_of(written(EventFormat::tln));
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) ASSERT_EQ(split(line, '|').size(), 5u) << line;
  EXPECT_EQ(lines[2],
            "1617048845|REG|WKS-07||Content Modification Time - [HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\"
            "CurrentVersion\\Run] Updater: C:\\u.exe");
  EXPECT_TRUE(split(lines[1], '|')[3].starts_with("=cmd%7C"));
}

TEST(L2tCsvWriter, SeventeenFieldsInTheDisplayZone) {
  const TimeZone berlin = TimeZone::from_iana("Europe/Berlin");
  const auto lines = lines_of(written(EventFormat::l2tcsv, &berlin));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "date,time,timezone,MACB,source,sourcetype,type,user,host,short,desc,version,filename,inode,notes,format,"
            "extra");
  for (const auto& line : lines) ASSERT_EQ(split(line, ',').size(), 17u) << line;
  const auto run = split(lines[3], ',');
  EXPECT_EQ(run[0], "03/29/2021");
  EXPECT_EQ(run[1], "22:14:05");  // CEST
  EXPECT_EQ(run[2], "Europe/Berlin");
  EXPECT_EQ(run[3], "M...");
  EXPECT_EQ(run[7], "-");
  EXPECT_EQ(run[8], "WKS-07");
  EXPECT_EQ(run[11], "2");
  EXPECT_EQ(run[14], "suspicious");
  EXPECT_EQ(run[15], "regpersist/scan");
  EXPECT_TRUE(split(lines[2], ',')[7].starts_with("'=cmd|"));
}

TEST(TableWriter, EscapesTerminalControlFromEvidence) {
  const auto text = written(EventFormat::table);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find("\xe2\x80\xae"), std::string::npos);
  EXPECT_NE(text.find("\\x1b[31mred"), std::string::npos);
  EXPECT_NE(text.find("\\u{202e}end"), std::string::npos);
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 5u);  // header, 3 events, legend
  EXPECT_TRUE(lines[0].starts_with("TIME (UTC)"));
  EXPECT_TRUE(lines[3].starts_with("2021-03-29 20:14:05Z"));
  EXPECT_NE(lines[3].find("S..    HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater -> C:\\u.exe  "
                          "[user_writable_path, lolbin:rundll32]"),
            std::string::npos)
      << lines[3];
}

TEST(TableWriter, LocalTimeWithTz) {
  const TimeZone zone = TimeZone::from_windows(pacific());
  const auto lines = lines_of(written(EventFormat::table, &zone));
  EXPECT_TRUE(lines[0].starts_with("TIME (Pacific Standard Time)"));
  EXPECT_TRUE(lines[3].starts_with("2021-03-29 13:14:05 -07:00")) << lines[3];
}

}  // namespace
}  // namespace regpersist
