// RAII owners for libregf and libbfio handles, and conversion of libregf error chains into one
// line of text. Only src/hive/ includes this file (and libregf).
#pragma once

#include <libbfio.h>
#include <libregf.h>

#include <memory>
#include <string>

namespace regpersist::hive_detail {

// Takes ownership of a libregf_error_t and returns its message chain as one line.
std::string take_error_text(libregf_error_t*& error);
std::string take_bfio_error_text(libbfio_error_t*& error);

struct KeyDeleter {
  void operator()(libregf_key_t* key) const;
};
struct ValueDeleter {
  void operator()(libregf_value_t* value) const;
};
using KeyPtr = std::unique_ptr<libregf_key_t, KeyDeleter>;
using ValuePtr = std::unique_ptr<libregf_value_t, ValueDeleter>;

}  // namespace regpersist::hive_detail
