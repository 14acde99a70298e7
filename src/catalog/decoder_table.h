// The catalog's decoder names and the engine-side functions behind them. Each function reads what a
// matched key or value holds (with the hive context a rule needs: CLSID resolution, TaskCache joins,
// sibling values) and calls the pure decoders of regpersist/decoders.h; the engine then applies the
// rule's Windows default and report mode.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/engine.h"
#include "regpersist/finding.h"

namespace regpersist {

// How an element's text compares with the rule's default globs.
enum class ElementKind { text, path, command };

// One target of an entry (a command line, one DLL of a list, one package name …) and its reasons.
struct Element {
  std::string text;  // canonical form compared with the defaults
  ElementKind kind = ElementKind::text;
  std::vector<std::string> reasons;
};

struct Decoded {
  std::string data;  // what the analyst reads
  std::vector<Element> elements;
  std::map<std::string, std::string> details;
  std::vector<std::string> reasons;  // entry-level reasons, never suppressed by a default
  std::vector<FindingTime> times;
  bool autostart = true;  // services: starts by itself (report: autostart)
  bool skip = false;      // nothing to report here (e.g. a task folder)
};

struct DecodeInput {
  const Rule& rule;
  const ScanContext& context;
  const Key& key;
  const std::string& key_path;
  const Value* value;  // nullptr for key-level rules
};

using DecoderFunction = void (*)(const DecodeInput&, Decoded&);

// nullptr for an unknown name.
DecoderFunction find_decoder(std::string_view name);

// Shared by the decoder files: the elements of a command line / of a single path.
Element command_element(std::string_view text, const Environment& environment, Decoded& decoded);
Element path_element(std::string_view text, const Environment& environment);
// A path as the defaults compare it: normalised, a bare file name resolved in System32 (catalog §3.0).
std::string canonical_path(std::string_view text, const Environment& environment);
// REG_MULTI_SZ elements, or the one string of any other string type.
std::vector<std::string> value_strings(const Value& value);
// "a, b, c" (details that list several items).
std::string join_list(const std::vector<std::string>& parts);
// Space-, comma- or semicolon-separated DLL list (AppInit_DLLs, VerifierDlls).
std::vector<std::string> split_dll_list(std::string_view text);
// Table of the decoders that need hive context (decoders_context.cpp).
const std::map<std::string, DecoderFunction, std::less<>>& context_decoders();

}  // namespace regpersist
