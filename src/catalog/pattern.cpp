// Brace expansion and glob matching for catalog key patterns (see pattern.h). Hand-written because the
// catalog's notation (optional `{X}`, literal `{GUID}`, `[*]`) is its own.
#include "catalog/pattern.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace regpersist {

namespace {

// Index of the `}` closing the `{` at `open`, or npos.
std::size_t closing_brace(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// Top-level comma-separated parts of a brace group's inside.
std::vector<std::string_view> top_level_parts(std::string_view inside) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < inside.size(); ++i) {
    if (inside[i] == '{') ++depth;
    if (inside[i] == '}') --depth;
    if (inside[i] == ',' && depth == 0) {
      parts.push_back(inside.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(inside.substr(start));
  return parts;
}

bool is_literal_group(std::string_view inside) {
  static const std::regex kGuid{"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"};
  return inside == "*" || std::regex_match(inside.begin(), inside.end(), kGuid);
}

void expand_into(std::string_view pattern, std::string prefix, std::vector<std::string>& out) {
  std::size_t open = pattern.find('{');
  while (open != std::string_view::npos) {
    const auto close = closing_brace(pattern, open);
    if (close == std::string_view::npos) break;
    const auto inside = pattern.substr(open + 1, close - open - 1);
    if (is_literal_group(inside)) {
      open = pattern.find('{', close);
      continue;
    }
    const auto parts = top_level_parts(inside);
    std::vector<std::string_view> alternatives(parts.begin(), parts.end());
    if (parts.size() == 1) alternatives.insert(alternatives.begin(), std::string_view{});  // {X}: optional
    const std::string head = prefix + std::string(pattern.substr(0, open));
    for (const auto alternative : alternatives) {
      if (out.size() >= kMaxPatternExpansions) return;
      expand_into(std::string(alternative) + std::string(pattern.substr(close + 1)), head, out);
    }
    return;
  }
  if (out.size() < kMaxPatternExpansions) out.push_back(prefix + std::string(pattern));
}

}  // namespace

std::vector<std::string> expand_braces(std::string_view pattern) {
  std::vector<std::string> out;
  expand_into(pattern, "", out);
  return out;
}

std::optional<std::string> pattern_problem(std::string_view pattern) {
  int depth = 0;
  for (const char c : pattern) {
    if (c == '{') ++depth;
    if (c == '}' && --depth < 0) return "unbalanced '}' in key pattern";
  }
  if (depth != 0) return "unbalanced '{' in key pattern";
  const auto expanded = expand_braces(pattern);
  if (expanded.size() >= kMaxPatternExpansions) return "key pattern expands to too many paths";
  for (const auto& path : expanded) {
    if (path.empty() || path.front() == '\\' || path.back() == '\\' || path.find("\\\\") != std::string::npos) {
      return "key pattern has an empty path segment in '" + path + "'";
    }
  }
  return std::nullopt;
}

bool glob_match(std::string_view glob, std::string_view text) {
  std::size_t g = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (g < glob.size() && glob[g] == '*') {
      star = g++;
      resume = t;
    } else if (g < glob.size() && to_lower_ascii(glob[g]) == to_lower_ascii(text[t])) {
      ++g;
      ++t;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

std::vector<PathSegment> split_pattern(std::string_view expanded) {
  std::vector<PathSegment> segments;
  std::size_t start = 0;
  while (start <= expanded.size()) {
    const auto end = std::min(expanded.find('\\', start), expanded.size());
    const auto text = expanded.substr(start, end - start);
    if (text == "[*]")
      segments.push_back({"*", false});
    else
      segments.push_back({std::string(text), text.find('*') != std::string_view::npos});
    start = end + 1;
  }
  return segments;
}

}  // namespace regpersist
