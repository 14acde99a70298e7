// Hand-made transaction-log bytes for tests (see log_builder.h).
#include "unit/txlog/log_builder.h"

#include <algorithm>

#include "regpersist/base_block.h"
#include "txlog/bytes.h"
#include "txlog/marvin32.h"

namespace regpersist::testsupport {

namespace {
constexpr std::size_t kHeader = 512;

std::vector<std::uint8_t> log_base_block(const std::vector<std::uint8_t>& hive, std::uint32_t sequence,
                                         std::uint32_t file_type) {
  std::vector<std::uint8_t> block(hive.begin(), hive.begin() + kBaseBlockSize);
  put_le32(block, 4, sequence);
  put_le32(block, 8, sequence);
  put_le32(block, 28, file_type);
  repair_base_block(block, false);
  block.resize(kHeader);
  return block;
}

void put_le64(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint64_t v) {
  put_le32(bytes, at, static_cast<std::uint32_t>(v));
  put_le32(bytes, at + 4, static_cast<std::uint32_t>(v >> 32));
}
}  // namespace

std::uint32_t hive_bins_size(const std::vector<std::uint8_t>& hive) { return le32(hive, 40); }

std::vector<LogPage> all_pages(const std::vector<std::uint8_t>& hive) {
  std::vector<LogPage> pages;
  for (std::uint32_t at = 0; at < hive_bins_size(hive); at += 4096) {
    const auto first = hive.begin() + static_cast<std::ptrdiff_t>(kBaseBlockSize + at);
    pages.push_back({at, std::vector<std::uint8_t>(first, first + 4096)});
  }
  return pages;
}

std::vector<std::uint8_t> log_entry(const LogEntrySpec& spec) {
  std::vector<std::uint8_t> entry(40 + spec.pages.size() * 8, 0);
  std::copy_n("HvLE", 4, entry.begin());
  put_le32(entry, 12, spec.sequence);
  put_le32(entry, 16, spec.hive_bins_size);
  put_le32(entry, 20, static_cast<std::uint32_t>(spec.pages.size()));
  for (std::size_t i = 0; i < spec.pages.size(); ++i) {
    put_le32(entry, 40 + i * 8, spec.pages[i].offset);
    put_le32(entry, 44 + i * 8, static_cast<std::uint32_t>(spec.pages[i].bytes.size()));
  }
  for (const LogPage& page : spec.pages) entry.insert(entry.end(), page.bytes.begin(), page.bytes.end());
  entry.resize((entry.size() + 511) / 512 * 512, 0);
  put_le32(entry, 4, static_cast<std::uint32_t>(entry.size()));
  put_le64(entry, 24, marvin32(std::span(entry).subspan(40), kLogEntryMarvinSeed));
  put_le64(entry, 32, marvin32(std::span(entry).first(32), kLogEntryMarvinSeed));
  return entry;
}

std::vector<std::uint8_t> new_format_log(const std::vector<std::uint8_t>& hive, std::uint32_t sequence,
                                         const std::vector<LogEntrySpec>& entries) {
  std::vector<std::uint8_t> log = log_base_block(hive, sequence, 6);
  for (const LogEntrySpec& spec : entries) {
    const auto entry = log_entry(spec);
    log.insert(log.end(), entry.begin(), entry.end());
  }
  return log;
}

std::vector<std::uint8_t> old_format_log(const std::vector<std::uint8_t>& target,
                                         const std::vector<std::uint32_t>& dirty_pages) {
  std::vector<std::uint8_t> log = log_base_block(target, le32(target, 4), 1);
  const std::uint32_t bins = hive_bins_size(target);
  std::vector<std::uint8_t> bitmap(bins / 4096, 0);
  for (std::uint32_t page : dirty_pages)
    bitmap[page / 8] = static_cast<std::uint8_t>(bitmap[page / 8] | (1u << (page % 8)));
  log.insert(log.end(), {'D', 'I', 'R', 'T'});
  log.insert(log.end(), bitmap.begin(), bitmap.end());
  log.resize((log.size() + 511) / 512 * 512, 0);
  std::vector<std::uint32_t> sorted = dirty_pages;
  std::sort(sorted.begin(), sorted.end());
  for (std::uint32_t page : sorted) {
    const auto first = target.begin() + static_cast<std::ptrdiff_t>(kBaseBlockSize + page * 512);
    log.insert(log.end(), first, first + 512);
  }
  return log;
}

}  // namespace regpersist::testsupport
