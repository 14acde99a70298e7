// The timeline writers: Timesketch JSONL and CSV, TSK bodyfile 3, RegRipper TLN, Plaso l2tcsv and
// the terminal table, all written from the same Event list.
//
// JSONL and CSV share one field list (event_fields) so the two carry the same columns with the
// same types. Bodyfile and TLN fields write '|' and '%' as %7C and %25, not Plaso's "\|": mactime
// splits every line on '|' (so "\|" would shift the fields) and decodes %XX in every field, and
// Plaso's bodyfile parser re-joins the middle fields, so it reads these lines too. Backslashes stay
// single so registry paths read naturally in mactime. Control characters are escaped everywhere.
#include <algorithm>
#include <variant>

#include "regpersist/event.h"
#include "regpersist/filetime.h"
#include "regpersist/timeline.h"
#include "regpersist/timezone.h"
#include "regpersist/value.h"
#include "timeline/text.h"

namespace regpersist {

namespace {

// Fields borrow the event's strings (std::string_view), lists and maps (pointers); computed text is owned
// (std::string).
using Details = std::map<std::string, std::string>;
using FieldValue =
    std::variant<std::string, std::string_view, std::int64_t, bool, const std::vector<std::string>*, const Details*>;
template <class T>
constexpr bool kIsText = std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>;
struct Field {
  std::string_view name;
  FieldValue value;
};

// Every JSONL/CSV field, in column order; each always present with the same type.
std::vector<Field> event_fields(const Event& event) {
  return {
      {"datetime", filetime_to_iso(event.filetime)},
      {"timestamp", filetime_to_unix_micros(event.filetime)},
      {"timestamp_desc", std::string_view(event.timestamp_desc)},
      {"message", std::string_view(event.message)},
      {"data_type", std::string_view(event.data_type)},
      {"parser", std::string_view(event.parser)},
      {"key_path", std::string_view(event.key_path)},
      {"value_name", std::string_view(event.value_name)},
      {"data", std::string_view(event.data)},
      {"values", std::string_view(event.values)},
      {"evidence", std::string_view(event.evidence)},
      {"hive_type", std::string_view(event.hive_type)},
      {"hive_path", std::string_view(event.hive_path)},
      {"hive_sha256", std::string_view(event.hive_sha256)},
      {"host", std::string_view(event.host)},
      {"user", std::string_view(event.user)},
      {"sid", std::string_view(event.sid)},
      {"rule_id", std::string_view(event.rule_id)},
      {"technique", std::string_view(event.technique)},
      {"technique_name", std::string_view(event.technique_name)},
      {"category", std::string_view(event.category)},
      {"suspicious", event.suspicious},
      {"reasons", &event.reasons},
      {"provenance", std::string_view(event.provenance)},
      {"after_hours", event.after_hours},
      {"after_hours_reason", std::string_view(event.after_hours_reason)},
      {"details", &event.details},
  };
}

// JSON text written directly (one reused buffer a line): the hot path of `keys` on large hives.
// Strings are made valid UTF-8 first; quotes, backslashes and control characters are escaped.
void append_json_string(std::string& out, std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool ascii = std::all_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const std::string repaired = ascii ? std::string() : sanitize_utf8(raw);
  const std::string_view text = ascii ? raw : std::string_view(repaired);
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte != '"' && byte != '\\' && byte >= 0x20) continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    if (byte >= 0x20) {
      out.push_back('\\');
      out.push_back(text[i]);
    } else {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  out.append(text.substr(run));
  out.push_back('"');
}

void append_json(std::string& out, const FieldValue& value) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (kIsText<T>) {
          append_json_string(out, v);
        } else if constexpr (std::is_same_v<T, const std::vector<std::string>*>) {
          out.push_back('[');
          for (std::size_t i = 0; i < v->size(); ++i) {
            if (i > 0) out.push_back(',');
            append_json_string(out, (*v)[i]);
          }
          out.push_back(']');
        } else if constexpr (std::is_same_v<T, const Details*>) {
          out.push_back('{');
          bool first = true;
          for (const auto& [key, text] : *v) {
            if (!first) out.push_back(',');
            first = false;
            append_json_string(out, key);
            out.push_back(':');
            append_json_string(out, text);
          }
          out.push_back('}');
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else {
          out += std::to_string(v);
        }
      },
      value);
}

std::string details_text(const Details& details) {
  std::vector<std::string> pairs;
  for (const auto& [key, text] : details) pairs.push_back(key + "=" + text);
  return join(pairs, "; ");
}

std::string to_text(const FieldValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (kIsText<T>)
          return std::string(v);
        else if constexpr (std::is_same_v<T, const std::vector<std::string>*>)
          return join(*v, "; ");
        else if constexpr (std::is_same_v<T, const Details*>)
          return details_text(*v);
        else if constexpr (std::is_same_v<T, bool>)
          return v ? "true" : "false";
        else
          return std::to_string(v);
      },
      value);
}

void write_jsonl(std::ostream& out, const std::vector<Event>& events) {
  std::string line;
  for (const auto& event : events) {
    line = "{\"message\":";  // Timesketch's own example puts message first
    append_json_string(line, event.message);
    for (const auto& field : event_fields(event)) {
      if (field.name == "message") continue;
      line += ",\"";
      line += field.name;
      line += "\":";
      append_json(line, field.value);
    }
    line += "}\n";
    out << line;
  }
}

// One CSV cell appended to `out`: valid UTF-8, a leading formula character neutralised with "'", quoted (inner
// quotes doubled) when it holds a comma, quote or line break. Copies runs, not bytes: it runs for every cell
// that is not plain, e.g. each key's message.
void append_csv_field(std::string& out, std::string_view raw) {
  const std::string repaired = sanitize_utf8(raw);
  const std::string_view text = repaired;
  const bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@');
  const auto needs_quotes = [](char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; };
  const bool quoted = std::any_of(text.begin(), text.end(), needs_quotes);  // (find_first_of: a memchr per byte)
  if (quoted) out += '"';
  if (formula) out += '\'';
  if (!quoted) {
    out += text;
    return;
  }
  for (std::size_t run = 0;;) {
    const std::size_t quote = text.find('"', run);
    out += text.substr(run, quote == std::string_view::npos ? std::string_view::npos : quote + 1 - run);
    if (quote == std::string_view::npos) break;
    out += '"';
    run = quote + 1;
  }
  out += '"';
}

// True when csv_field would return `text` unchanged (ASCII, nothing to quote, no leading formula character).
bool plain_csv(std::string_view text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && c != ',' && c != '"' && c != '\r' && c != '\n';
  });
}

// One CSV cell appended to the line: the hot path of `keys --format csv` (plain text is copied once).
void append_csv_cell(std::string& line, const FieldValue& value) {
  const auto* view = std::get_if<std::string_view>(&value);
  const std::string owned = view ? std::string() : to_text(value);
  const std::string_view text = view ? *view : std::string_view(owned);
  if (plain_csv(text))
    line += text;
  else
    append_csv_field(line, text);
}

void write_csv(std::ostream& out, const std::vector<Event>& events) {
  std::vector<std::string> header;
  const Event blank;  // outlives the fields, whose text borrows from it
  for (const auto& field : event_fields(blank)) header.emplace_back(field.name);
  out << join(header, ",") << "\r\n";
  std::string line;
  for (const auto& event : events) {
    line.clear();
    for (const auto& field : event_fields(event)) {
      append_csv_cell(line, field.value);
      line += ',';
    }
    line.back() = '\r';
    line += '\n';
    out << line;
  }
}

// Short hive-root names for the human-facing formats.
std::string short_key_path(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kRoots[] = {{"HKEY_LOCAL_MACHINE", "HKLM"},
                                                                         {"HKEY_CURRENT_USER", "HKCU"},
                                                                         {"HKEY_USERS", "HKU"},
                                                                         {"HKEY_CLASSES_ROOT", "HKCR"}};
  for (const auto& [long_name, short_name] : kRoots)
    if (path.starts_with(long_name)) return std::string(short_name) + std::string(path.substr(long_name.size()));
  return std::string(path);
}

// "[REG] HKLM\…\Run\Updater -> C:\…\u.exe (Task Last Run Time)": what the entry is, in one name;
// the description is left out where a column already shows it.
std::string entry_name(const Event& event, bool with_description) {
  std::string name = "[" + event.source_short + "] " + short_key_path(event.key_path);
  if (!event.value_name.empty()) name += "\\" + event.value_name;
  if (!event.data.empty()) name += " -> " + event.data;
  if (with_description && event.timestamp_desc != kContentModificationTime) name += " (" + event.timestamp_desc + ")";
  return name;
}

std::int64_t unix_seconds(std::uint64_t filetime) {
  const std::int64_t micros = filetime_to_unix_micros(filetime);
  return micros >= 0 ? micros / 1'000'000 : -((-micros + 999'999) / 1'000'000);
}

// Bodyfile slot of a description, as Plaso's bodyfile parser reads them back.
enum class BodySlot { atime, mtime, ctime, crtime };
BodySlot body_slot(std::string_view description) {
  if (description == "Last Access Time") return BodySlot::atime;
  if (description == "Metadata Modification Time") return BodySlot::ctime;
  if (description == "Creation Time" || description == kAccountCreated) return BodySlot::crtime;
  return BodySlot::mtime;
}

void write_bodyfile(std::ostream& out, const std::vector<Event>& events) {
  for (const auto& event : events) {
    const auto seconds = std::to_string(std::max<std::int64_t>(unix_seconds(event.filetime), 0));
    const BodySlot slot = body_slot(event.timestamp_desc);
    const auto time_in = [&](BodySlot wanted) { return slot == wanted ? seconds : std::string("0"); };
    out << "0|" << escape_pipe_field(entry_name(event, true)) << "|0|0|0|0|0|" << time_in(BodySlot::atime) << '|'
        << time_in(BodySlot::mtime) << '|' << time_in(BodySlot::ctime) << '|' << time_in(BodySlot::crtime) << '\n';
  }
}

void write_tln(std::ostream& out, const std::vector<Event>& events) {
  for (const auto& event : events) {
    out << unix_seconds(event.filetime) << '|' << escape_pipe_field(event.source_short) << '|'
        << escape_pipe_field(event.host) << '|' << escape_pipe_field(event.user) << '|'
        << escape_pipe_field(event.timestamp_desc + " - " + event.message) << '\n';
  }
}

// l2tcsv has no quoting: Plaso replaces the delimiter by a space; control characters go too, and a
// leading formula character is neutralised as in csv_field.
std::string l2t_field(std::string_view raw) {
  std::string text = sanitize_utf8(raw);
  for (char& c : text)
    if (c == ',' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  if (text.empty()) return "-";
  if (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@') text.insert(0, "'");
  return text;
}

std::string macb(std::string_view description) {
  if (description == kContentModificationTime) return "M...";
  if (description == "Last Access Time") return ".A..";
  if (description == "Metadata Modification Time") return "..C.";
  if (description == "Creation Time") return "...B";
  return "....";
}

std::string l2t_notes(const Event& event) {
  std::vector<std::string> tags;
  if (event.suspicious) tags.emplace_back("suspicious");
  if (event.after_hours) tags.emplace_back("after_hours");
  if (event.provenance != "allocated") tags.push_back(event.provenance);
  return join(tags, " ");
}

std::string l2t_extra(const Event& event) {
  std::map<std::string, std::string> extra = event.details;
  for (const auto& field : event_fields(event)) {
    static const std::string_view kExtra[] = {"key_path", "evidence",   "hive_type",         "hive_sha256",
                                              "sid",      "rule_id",    "technique",         "technique_name",
                                              "reasons",  "provenance", "after_hours_reason"};
    for (const auto wanted : kExtra)
      if (field.name == wanted) extra[std::string(field.name)] = to_text(field.value);
  }
  std::vector<std::string> pairs;
  for (const auto& [key, text] : extra)
    if (!text.empty()) pairs.push_back(key + ": " + text);
  return join(pairs, "; ");
}

void write_l2tcsv(std::ostream& out, const std::vector<Event>& events, const TimeZone& zone) {
  out << "date,time,timezone,MACB,source,sourcetype,type,user,host,short,desc,version,filename,inode,notes,format,"
         "extra\n";
  for (const auto& event : events) {
    const std::string local = local_datetime(event.filetime, zone.at(event.filetime).offset_minutes);
    const std::string date = local.substr(5, 2) + "/" + local.substr(8, 2) + "/" + local.substr(0, 4);
    const std::vector<std::string> cells = {
        date,
        local.substr(11, 8),
        l2t_field(zone.name()),
        macb(event.timestamp_desc),
        l2t_field(event.source_short),
        l2t_field(event.source_long),
        l2t_field(event.timestamp_desc),
        l2t_field(event.user),
        l2t_field(event.host),
        l2t_field(truncate_utf8(event.message, 80)),
        l2t_field(event.message),
        "2",
        l2t_field(event.hive_path),
        "-",
        l2t_field(l2t_notes(event)),
        l2t_field(event.parser),
        l2t_field(l2t_extra(event)),
    };
    out << join(cells, ",") << '\n';
  }
}

std::string table_flags(const Event& event) {
  std::string flags;
  flags += event.suspicious ? 'S' : '.';
  flags += event.after_hours ? 'H' : '.';
  flags += event.provenance == "deleted" ? 'D' : event.provenance == "log" ? 'L' : '.';
  return flags;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

void write_table(std::ostream& out, const std::vector<Event>& events, const TimeZone& zone) {
  const bool utc = zone.name() == "UTC";
  out << pad(utc ? "TIME (UTC)" : "TIME (" + escape_for_terminal(zone.name()) + ")", 26) << "  "
      << pad("DESCRIPTION", 26) << "  " << pad("TECHNIQUE", 11) << "  FLAGS  ENTRY\n";
  for (const auto& event : events) {
    const int offset = zone.at(event.filetime).offset_minutes;
    std::string when = local_datetime(event.filetime, offset);
    when[10] = ' ';
    when += utc ? "Z" : " " + utc_offset_text(offset).substr(3);
    out << pad(when, 26) << "  " << pad(escape_for_terminal(event.timestamp_desc), 26) << "  "
        << pad(escape_for_terminal(event.technique), 11) << "  " << table_flags(event) << "    "
        << escape_for_terminal(truncate_utf8(entry_name(event, false).substr(event.source_short.size() + 3), 400));
    if (event.suspicious) out << "  [" << escape_for_terminal(join(event.reasons, ", ")) << "]";
    out << '\n';
  }
  if (!events.empty()) out << "FLAGS: S suspicious, H after hours, D deleted key, L from a transaction log\n";
}

}  // namespace

std::string csv_field(std::string_view text) {
  std::string cell;
  append_csv_field(cell, text);
  return cell;
}

void write_events(std::ostream& out, std::vector<Event>& events, const OutputOptions& options) {
  sort_events(events);
  const TimeZone utc = TimeZone::utc();
  const TimeZone& zone = options.display_zone ? *options.display_zone : utc;
  switch (options.format) {
    case EventFormat::jsonl:
      return write_jsonl(out, events);
    case EventFormat::csv:
      return write_csv(out, events);
    case EventFormat::bodyfile:
      return write_bodyfile(out, events);
    case EventFormat::tln:
      return write_tln(out, events);
    case EventFormat::l2tcsv:
      return write_l2tcsv(out, events, zone);
    case EventFormat::table:
      return write_table(out, events, zone);
  }
}

}  // namespace regpersist
