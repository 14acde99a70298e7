// Key path patterns of the catalog: brace expansion (`{A,B}` alternatives, `{X}` optional text, nested;
// a `{GUID}` or `{*}` is literal text), globs (`*` = any text, case-insensitive) and the split of a path
// pattern into segments (`[*]` = the literal key named `*`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "regpersist/value.h"  // iequals, to_lower_ascii

namespace regpersist {

inline constexpr std::size_t kMaxPatternExpansions = 4096;

// Every text the pattern stands for, in order (capped at kMaxPatternExpansions).
std::vector<std::string> expand_braces(std::string_view pattern);
// Why a key pattern is unusable (unbalanced braces, empty segment, too many expansions), if it is.
std::optional<std::string> pattern_problem(std::string_view pattern);

// Case-insensitive (ASCII) glob: `*` matches any text, including backslashes.
bool glob_match(std::string_view glob, std::string_view text);

// One level of an expanded key pattern.
struct PathSegment {
  std::string text;  // literal name, or glob when `glob`
  bool glob = false;
};
// Splits an expanded pattern on `\` (no brace groups left).
std::vector<PathSegment> split_pattern(std::string_view expanded);

}  // namespace regpersist
