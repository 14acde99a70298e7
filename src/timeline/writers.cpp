// JSONL and CSV writers for the key timeline, and CSV quoting.
#include <nlohmann/json.hpp>

#include "regpersist/filetime.h"
#include "regpersist/timeline.h"

namespace regpersist {

namespace {

constexpr const char* kKeyTimestampDesc = "Content Modification Time";
constexpr const char* kKeyDataType = "windows:registry:key_value";
constexpr const char* kParser = "regpersist/keys";

std::string key_message(const KeyRecord& record) {
  return "[" + record.key_path + "] subkeys: " + std::to_string(record.subkeys) +
         ", values: " + std::to_string(record.values);
}

void write_jsonl(std::ostream& out, const KeyRecord& record) {
  const nlohmann::ordered_json line = {
      {"message", key_message(record)},
      {"datetime", filetime_to_iso(record.last_written)},
      {"timestamp", filetime_to_unix_micros(record.last_written)},
      {"timestamp_desc", kKeyTimestampDesc},
      {"data_type", kKeyDataType},
      {"parser", kParser},
      {"key_path", record.key_path},
      {"hive_type", hive_type_name(record.hive->type)},
      {"hive_path", record.hive->path},
      {"hive_sha256", record.hive->sha256},
      {"subkeys", record.subkeys},
      {"values", record.values},
  };
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void write_csv_header(std::ostream& out) {
  out << "datetime,timestamp,timestamp_desc,message,data_type,parser,key_path,hive_type,hive_path,hive_sha256,"
         "subkeys,values\r\n";
}

void write_csv(std::ostream& out, const KeyRecord& record) {
  out << filetime_to_iso(record.last_written) << ',' << filetime_to_unix_micros(record.last_written) << ','
      << csv_field(kKeyTimestampDesc) << ',' << csv_field(key_message(record)) << ',' << kKeyDataType << ','
      << kParser << ',' << csv_field(record.key_path) << ',' << hive_type_name(record.hive->type) << ','
      << csv_field(record.hive->path) << ',' << record.hive->sha256 << ',' << record.subkeys << ','
      << record.values << "\r\n";
}

}  // namespace

std::string csv_field(std::string_view text) {
  std::string cell = sanitize_utf8(text);
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@')) cell.insert(0, "'");
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (const char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

void write_key_records(std::ostream& out, const std::vector<KeyRecord>& records, KeyFormat format) {
  if (format == KeyFormat::csv) write_csv_header(out);
  for (const auto& record : records) {
    if (format == KeyFormat::csv)
      write_csv(out, record);
    else
      write_jsonl(out, record);
  }
}

}  // namespace regpersist
