// Base block parsing: clean, dirty, bad checksum, truncated and non-hive inputs.
#include "regpersist/base_block.h"

#include <gtest/gtest.h>

#include "hive_builder.h"
#include "regpersist/error.h"

namespace regpersist {

using testsupport::HiveBuilder;

TEST(BaseBlock, CleanHive) {
  const auto bytes = HiveBuilder("CsiTool-CreateHive").sequences(7, 7).build();
  const BaseBlock block = parse_base_block(bytes, "clean");
  EXPECT_EQ(block.primary_sequence, 7u);
  EXPECT_EQ(block.secondary_sequence, 7u);
  EXPECT_EQ(block.version(), "1.5");
  EXPECT_EQ(block.file_type, 0u);
  EXPECT_EQ(block.hive_bins_size, bytes.size() - kBaseBlockSize);
  EXPECT_TRUE(block.checksum_valid());
  EXPECT_FALSE(block.dirty());
}

TEST(BaseBlock, DifferentSequenceNumbersMeanDirty) {
  const BaseBlock block = parse_base_block(HiveBuilder().sequences(5, 4).build(), "dirty");
  EXPECT_TRUE(block.checksum_valid());
  EXPECT_TRUE(block.dirty());
}

TEST(BaseBlock, BadChecksumMeansDirtyAndRepairFixesIt) {
  auto bytes = HiveBuilder().corrupt_checksum().build();
  const BaseBlock block = parse_base_block(bytes, "bad");
  EXPECT_FALSE(block.checksum_valid());
  EXPECT_TRUE(block.dirty());
  repair_base_block(bytes, false);
  EXPECT_TRUE(parse_base_block(bytes, "repaired").checksum_valid());
}

TEST(BaseBlock, RepairCanEqualiseSequences) {
  auto bytes = HiveBuilder().sequences(9, 3).build();
  repair_base_block(bytes, true);
  const BaseBlock block = parse_base_block(bytes, "equalised");
  EXPECT_EQ(block.secondary_sequence, 9u);
  EXPECT_FALSE(block.dirty());
}

TEST(BaseBlock, ChecksumSpecialValues) {
  std::vector<std::uint8_t> zeros(kBaseBlockSize, 0);
  EXPECT_EQ(base_block_checksum(zeros), 1u);  // XOR 0 is stored as 1
  std::vector<std::uint8_t> ones(kBaseBlockSize, 0);
  ones[0] = ones[1] = ones[2] = ones[3] = 0xFF;
  EXPECT_EQ(base_block_checksum(ones), 0xFFFFFFFEu);  // XOR 0xFFFFFFFF is stored as 0xFFFFFFFE
}

TEST(BaseBlock, TruncatedAndForeignInputsAreRejectedWithTheFileName) {
  auto bytes = HiveBuilder().build();
  bytes.resize(100);
  try {
    parse_base_block(bytes, "short.hive");
    FAIL() << "a 100-byte file was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), "short.hive");
    EXPECT_NE(e.message().find("truncated"), std::string::npos);
  }
  EXPECT_THROW(parse_base_block(std::vector<std::uint8_t>{}, "empty"), Error);
  EXPECT_THROW(parse_base_block(std::vector<std::uint8_t>(8192, 'x'), "text"), Error);
}

}  // namespace regpersist
