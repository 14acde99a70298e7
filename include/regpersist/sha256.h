// Incremental SHA-256 (OpenSSL EVP) with a lowercase hex digest.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace regpersist {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::span<const std::uint8_t> bytes);
  std::string hex_digest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

std::string sha256_hex(std::span<const std::uint8_t> bytes);

}  // namespace regpersist
