// Bounded traversal of a hive's key tree and the SYSTEM hive's control sets.
#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "hive/cell_keys.h"
#include "hive/structure.h"
#include "regpersist/hive.h"

namespace regpersist {

namespace {

struct Pending {
  Key key;
  std::string path;
  int depth;
  std::uint32_t listed_by = 0;  // cell offset of the key whose subkey list holds it
};

// At most this many structure problems are listed per hive; a corrupt hive can have thousands.
constexpr std::size_t kMaxStructureProblems = 20;

class ProblemReporter {
 public:
  explicit ProblemReporter(const Hive& hive) : hive_(hive) {}
  ~ProblemReporter() {
    if (count_ > kMaxStructureProblems)
      hive_.diagnostics().warn(hive_.label(),
                               std::to_string(count_ - kMaxStructureProblems) + " more structure problems not listed");
  }
  void report(const std::string& path, const std::vector<std::string>& problems) {
    for (const auto& problem : problems)
      if (++count_ <= kMaxStructureProblems)
        hive_.diagnostics().warn(hive_.label(), "key \"" + path + "\": " + problem);
  }

 private:
  const Hive& hive_;
  std::size_t count_ = 0;
};

void report_structure_problems(const Hive& hive, const Pending& parent, const std::vector<Key>& children,
                               ProblemReporter& reporter) {
  reporter.report(parent.path, hive_detail::check_subkey_list(children));
  for (const auto& child : children)
    reporter.report(parent.path, hive_detail::check_key_record(hive.bytes(), hive.hive_bins_size(), child.offset(),
                                                               parent.key.offset()));
}

}  // namespace

// Keys are read from their cells (cell_keys.h), not through libregf, whose per-key set-up is slow.
// Subkeys are visited in their stored (sorted) order. A subkey whose record names another parent
// (a damaged or tampered list) waits until the whole tree is walked: if its own parent reaches it,
// it appears there; otherwise under the key that lists it.
void walk_keys(const Hive& hive, const std::function<void(const Key&, const std::string& path)>& visit) {
  ProblemReporter reporter(hive);
  std::vector<Pending> stack;
  std::vector<Pending> misparented;
  std::unordered_set<std::uint32_t> visited;
  stack.push_back({hive_detail::cell_root(hive), "", 0});
  while (!stack.empty() || !misparented.empty()) {
    if (stack.empty()) {
      stack.push_back(std::move(misparented.back()));
      misparented.pop_back();
    }
    Pending current = std::move(stack.back());
    stack.pop_back();
    if (!visited.insert(current.key.offset()).second) {
      // A misparented key already seen under its own parent was reported by the structure checks.
      if (hive_detail::recorded_parent(hive.bytes(), current.key.offset()) == current.listed_by)
        hive.diagnostics().warn(hive.label(),
                                "key \"" + current.path + "\" is reached twice (loop in the cell graph); skipped");
      continue;
    }
    visit(current.key, current.path);
    if (current.depth >= kMaxKeyDepth) {
      hive.diagnostics().warn(hive.label(), "key \"" + current.path + "\" is nested deeper than " +
                                                std::to_string(kMaxKeyDepth) + " levels; its subkeys are skipped");
      continue;
    }
    auto children = current.key.subkeys();
    report_structure_problems(hive, current, children, reporter);
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
      std::string path = current.path.empty() ? it->name() : current.path + "\\" + it->name();
      const bool own_parent = hive_detail::recorded_parent(hive.bytes(), it->offset()) == current.key.offset();
      (own_parent ? stack : misparented)
          .push_back({std::move(*it), std::move(path), current.depth + 1, current.key.offset()});
    }
  }
}

namespace {
std::optional<unsigned> control_set_number(std::string_view name) {
  constexpr std::string_view prefix = "controlset";
  if (name.size() != prefix.size() + 3) return std::nullopt;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(name[i])) != prefix[i]) return std::nullopt;
  unsigned number = 0;
  const auto digits = name.substr(prefix.size());
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return number;
}

std::string control_set_name(std::uint64_t number) {
  std::string digits = std::to_string(number);
  return "ControlSet" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}
}  // namespace

ControlSets control_sets(const Hive& system_hive) {
  ControlSets sets;
  std::vector<std::pair<unsigned, std::string>> numbered;
  for (const auto& key : system_hive.root().subkeys())
    if (const auto number = control_set_number(key.name())) numbered.emplace_back(*number, key.name());
  std::sort(numbered.begin(), numbered.end());
  for (auto& [number, name] : numbered) sets.names.push_back(std::move(name));
  const auto select = system_hive.find("Select");
  if (!select) return sets;
  const auto current = select->value("Current");
  std::uint64_t number = 0;
  if (!current || !current->as_number(number)) return sets;
  const std::string wanted = control_set_name(number);
  for (const auto& name : sets.names)
    if (control_set_number(name) == number) sets.current = name;
  if (!sets.current)
    system_hive.diagnostics().warn(system_hive.label(),
                                   "Select\\Current names " + wanted + ", which is not in the hive");
  return sets;
}

}  // namespace regpersist
