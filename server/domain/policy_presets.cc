#include "server/domain/policy_presets.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/domain/status_macros.h"

namespace redress::domain {
namespace {

// The generated literals start with the newline after `R"delim(`.
absl::string_view StripLeadingNewline(const char* text) {
  absl::string_view s(text);
  if (!s.empty() && s.front() == '\n') s.remove_prefix(1);
  return s;
}

}  // namespace

absl::string_view BuiltinCalendarsText() {
  return StripLeadingNewline(internal::kBuiltinCalendarsText);
}

absl::string_view BuiltinPresetsText() {
  return StripLeadingNewline(internal::kBuiltinPresetsText);
}

absl::StatusOr<redress::v1::PolicySet> BuiltinPolicySet() {
  REDRESS_ASSIGN_OR_RETURN(auto calendars,
                           ParsePolicySetText(BuiltinCalendarsText(), "calendars.textproto"));
  REDRESS_ASSIGN_OR_RETURN(auto presets,
                           ParsePolicySetText(BuiltinPresetsText(), "presets.textproto"));
  const redress::v1::PolicySet parts[] = {std::move(calendars), std::move(presets)};
  redress::v1::PolicySet set = MergePolicySets(parts);
  REDRESS_RETURN_IF_ERROR(ValidatePolicySet(set));
  return set;
}

absl::StatusOr<PolicyRegistry> BuiltinPolicies() {
  REDRESS_ASSIGN_OR_RETURN(auto set, BuiltinPolicySet());
  return PolicyRegistry::Create(std::move(set));
}

absl::StatusOr<redress::v1::PolicySet> LoadPolicyFiles(const std::vector<std::string>& paths) {
  std::vector<redress::v1::PolicySet> sets;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("policy file ", path, ": cannot open"));
    std::ostringstream text;
    text << in.rdbuf();
    REDRESS_ASSIGN_OR_RETURN(auto set, ParsePolicySetText(text.str(), path));
    sets.push_back(std::move(set));
  }
  redress::v1::PolicySet merged = MergePolicySets(sets);
  REDRESS_RETURN_IF_ERROR(ValidatePolicySet(merged));
  return merged;
}

}  // namespace redress::domain
