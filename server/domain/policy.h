// Complaint-handling policies: loading (protobuf text format), validation,
// and selecting the policy version and calendar for a complaint.
//
// Policy files are `redress.v1.PolicySet` messages in text format (see
// policies/ in the repository). A set is validated as a whole: every error
// is INVALID_ARGUMENT and names the field, e.g.
//   "policies[2].final_response.amount: must be > 0, got -5"
//   "policies[0].calendar_id: unknown calendar \"gb-xx\"".
//
// Versioning: a policy id has one or more versions; a version applies to
// complaints received from its effective_time. The version chosen at intake
// is recorded (redress.v1.PolicyRef) and the complaint's clocks always run
// under it; editing a policy means adding a version, which moves no existing
// deadline (only an explicit, audited recompute does, see deadlines.h).
//
// Thread-safety: PolicyRegistry is immutable after Create; copies share
// state.
#ifndef REDRESS_SERVER_DOMAIN_POLICY_H_
#define REDRESS_SERVER_DOMAIN_POLICY_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/policy.pb.h"
#include "server/domain/calendar.h"

namespace redress::domain {

// Parses one text-format PolicySet (no validation: see ValidatePolicySet).
// INVALID_ARGUMENT "<source_name>:<line>:<column>: <parser message>".
absl::StatusOr<redress::v1::PolicySet> ParsePolicySetText(absl::string_view text,
                                                          absl::string_view source_name);

// Concatenates several sets (e.g. calendars.textproto + presets.textproto).
redress::v1::PolicySet MergePolicySets(absl::Span<const redress::v1::PolicySet> sets);

// Validates a whole set: calendars (see BusinessCalendar::Create), unique
// ids, (policy id, version) pairs unique, calendar references resolve,
// rules well-formed (amount > 0, a unit, CALENDAR_MONTHS only for windows,
// CLOSE_OF_BUSINESS only for business days, fractions in [0, 1),
// max_extended_amount 0 or > amount, windows neither paused nor extended),
// pause windows' dates and time zones.
absl::Status ValidatePolicySet(const redress::v1::PolicySet& set);

// The rule of `kind` in `policy`, or nullptr when the policy has none.
const redress::v1::DeadlineRule* RuleFor(const redress::v1::Policy& policy,
                                         redress::v1::DeadlineKind kind);

// "FINAL_RESPONSE" for DEADLINE_KIND_FINAL_RESPONSE.
std::string DeadlineKindName(redress::v1::DeadlineKind kind);

// Whether a selector value ("GB") matches a complaint's value ("GB-SCT"):
// equal, or the complaint's value is a `-` subdivision of it. ASCII
// case-insensitive.
bool JurisdictionMatches(absl::string_view selector_value, absl::string_view value);

// What policy selection looks at. Complaints carry jurisdiction, product
// line and class as labels (see AttributesOf).
struct ComplaintAttributes {
  std::string jurisdiction;     // e.g. "GB-SCT"
  std::string product_line;     // e.g. "payment_services"
  std::string category;         // Complaint.category
  redress::v1::Channel channel = redress::v1::CHANNEL_UNSPECIFIED;
  std::string complaint_class;  // e.g. "motor_finance_commission" (pause windows)
};

// Label keys read by AttributesOf.
inline constexpr char kJurisdictionLabel[] = "jurisdiction";
inline constexpr char kProductLineLabel[] = "product_line";
inline constexpr char kComplaintClassLabel[] = "complaint_class";

// Attributes of a complaint: category and channel from their fields,
// the rest from labels "jurisdiction", "product_line", "complaint_class".
ComplaintAttributes AttributesOf(const redress::v1::Complaint& complaint);

// A validated PolicySet with its calendars loaded.
class PolicyRegistry {
 public:
  // Validates `set` (ValidatePolicySet) and loads its calendars.
  static absl::StatusOr<PolicyRegistry> Create(redress::v1::PolicySet set);

  // The policy and calendar a complaint's clocks run under.
  struct Selection {
    const redress::v1::Policy* policy = nullptr;
    const BusinessCalendar* calendar = nullptr;
    redress::v1::PolicyRef ref;  // what to record at intake
  };

  // The policy for a complaint received at `receipt`: for every policy id
  // the highest version whose effective_time <= receipt; of those whose
  // selector matches `attrs`, the highest priority, then the most specific
  // selector, then the smallest id. The calendar is the policy's regional
  // calendar for the longest matching jurisdiction, else its calendar_id.
  // NOT_FOUND when nothing matches.
  absl::StatusOr<Selection> Select(const ComplaintAttributes& attrs, absl::Time receipt) const;

  // The recorded policy version and calendar. NOT_FOUND names what is
  // missing (a version removed from the files is an error, never a silent
  // fallback to another version).
  absl::StatusOr<Selection> Resolve(const redress::v1::PolicyRef& ref) const;

  absl::StatusOr<const redress::v1::Policy*> FindPolicy(absl::string_view id,
                                                        int version) const;
  absl::StatusOr<const BusinessCalendar*> FindCalendar(absl::string_view id) const;

  // Pause windows for a complaint class (empty class: none).
  std::vector<redress::v1::PauseWindow> PauseWindowsFor(absl::string_view complaint_class) const;

  const redress::v1::PolicySet& policy_set() const { return state_->set; }

 private:
  struct State {
    redress::v1::PolicySet set;
    std::map<std::string, BusinessCalendar, std::less<>> calendars;
  };
  explicit PolicyRegistry(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::string CalendarIdFor(const redress::v1::Policy& p, absl::string_view jurisdiction) const;

  std::shared_ptr<const State> state_;
};

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_POLICY_H_
