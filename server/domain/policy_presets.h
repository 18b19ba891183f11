// The built-in policy presets and calendars (policies/*.textproto compiled
// into the binary by policies/embed.sh), and loading policy files.
//
// Presets: fca-disp (FCA DISP 1.5/1.6), fca-psd2 (DISP 1.6.2AR), cfpb,
// asic-rg271, asic-rg271-super, iso-default; the pause window
// fca-motor-finance-commission (DISP App 5). Each rule cites its source.
#ifndef REDRESS_SERVER_DOMAIN_POLICY_PRESETS_H_
#define REDRESS_SERVER_DOMAIN_POLICY_PRESETS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "redress/v1/policy.pb.h"
#include "server/domain/policy.h"

namespace redress::domain {

// The text of policies/calendars.textproto and policies/presets.textproto as
// compiled in.
absl::string_view BuiltinCalendarsText();
absl::string_view BuiltinPresetsText();

// Both parsed, merged and validated.
absl::StatusOr<redress::v1::PolicySet> BuiltinPolicySet();
absl::StatusOr<PolicyRegistry> BuiltinPolicies();

// Reads, parses and merges text-format PolicySet files (NOT_FOUND for a
// missing file, INVALID_ARGUMENT "<path>:<line>:<col>: ..." for a syntax
// error) and validates the merged set.
absl::StatusOr<redress::v1::PolicySet> LoadPolicyFiles(const std::vector<std::string>& paths);

namespace internal {
extern const char kBuiltinCalendarsText[];
extern const char kBuiltinPresetsText[];
}  // namespace internal

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_POLICY_PRESETS_H_
