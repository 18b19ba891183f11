// The ISO 10002 complaint lifecycle: the transition table (declared in the
// protos, see action_rules.h)
// and the pure function that applies an action to a complaint.
//
// Thread-safety: everything here is immutable or pure.
// Error contract of Apply():
//   FAILED_PRECONDITION  the complaint's state (named in the message) does not
//                        allow the action, or a guard fails (not assessed, no
//                        rejection recorded, window elapsed);
//   INVALID_ARGUMENT     the request is malformed (Apply re-checks nothing that
//                        Validate checks: callers validate first);
//   INTERNAL             the request's type does not match the action.
#ifndef REDRESS_SERVER_DOMAIN_LIFECYCLE_H_
#define REDRESS_SERVER_DOMAIN_LIFECYCLE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/deadline.pb.h"
#include "server/domain/action.h"

namespace redress::domain {

using State = redress::v1::Complaint::State;
using EventType = redress::v1::ComplaintEvent::Type;

// Bit for `state` in ActionSpec::from_states.
constexpr uint32_t StateBit(State s) { return 1u << static_cast<int>(s); }

// One row of the transition table, built from the RPC's `(redress.v1.action)`
// declaration (action_rules.h). The strings point into that declaration and
// live as long as the process.
struct ActionSpec {
  Action action;
  absl::string_view service;    // full name, e.g. "redress.v1.ComplaintService"
  absl::string_view rpc;        // e.g. "AcknowledgeComplaint"
  EventType event_type;         // the event it records (== action)
  uint32_t from_states;         // StateBit()s it is allowed from
  absl::string_view to_states;  // human description of the target, for docs
  State to_state;               // the state it always leads to; UNSPECIFIED: computed or kept
  bool keeps_state;             // the state never changes
  bool touches_clocks;          // the engine derives clock inputs before Apply()
  const google::protobuf::Descriptor* request;  // the RPC's request type
};

// The whole table: every mutating RPC of every Redress service, in
// declaration order. Built from the descriptors on first use.
absl::Span<const ActionSpec> ActionTable();
// The row of `action`; null when no RPC records that event type.
const ActionSpec* FindAction(Action action);
// The row of the mutating RPC `service`/`rpc` (service: full name), or null.
const ActionSpec* FindAction(absl::string_view service, absl::string_view rpc);
// The row of `action`, which must be one (FindAction() first for untrusted
// values; an unknown action yields an empty row that allows no state).
const ActionSpec& Spec(Action action);

// Open states: neither CLOSED nor WITHDRAWN (and not UNSPECIFIED).
bool IsOpen(State s);

// Short state name without the STATE_ prefix, e.g. "RECEIVED".
std::string StateName(State s);

// Windows during which closed complaints can be disputed or reopened.
struct LifecyclePolicy {
  absl::Duration dispute_window = absl::Hours(24 * 183);  // ~6 months (FOS referral)
  absl::Duration reopen_window = absl::Hours(24 * 56);    // 8 weeks
};

struct ActionContext {
  std::string actor;           // authenticated principal, validated
  absl::Time now;              // server time of the event
  LifecyclePolicy policy;
  std::string complainant_salt;  // kSubmit only: salt of the complainant digest
  // kSubmit: the policy selected for the complaint (recorded in the payload
  // and on the complaint; none when no policies are configured).
  // kRecomputeDeadlines: the policy to move to (required).
  std::optional<redress::v1::PolicyRef> policy_ref;
  // When the complaint's policy defines the dispute / reopen window, its end
  // (replayed by the caller, see deadlines.h); otherwise `policy`'s
  // duration after close_time applies.
  std::optional<absl::Time> dispute_window_end;
  std::optional<absl::Time> reopen_window_end;
};

// The outcome of a successful action: the complaint after it and the event
// to append (the store adds sequence, position and hashes).
struct Transition {
  redress::v1::Complaint after;
  EventType event_type = redress::v1::ComplaintEvent::TYPE_UNSPECIFIED;
  State from_state = redress::v1::Complaint::STATE_UNSPECIFIED;
  State to_state = redress::v1::Complaint::STATE_UNSPECIFIED;
  std::string payload;  // JSON text of the fields the event set
};

// Applies `action` with `request` (the RPC's request message, already
// validated) to `before`. For kSubmit, `before` carries only the assigned
// `name` and `reference`; the result carries the complainant, which the
// payload replaces by its salted digest.
absl::StatusOr<Transition> Apply(Action action, const google::protobuf::Message& request,
                                 const redress::v1::Complaint& before, const ActionContext& ctx);

// An event the server records on its own (not an RPC), leaving the state
// as it is: e.g. the deadline sweeper's DEADLINE_AT_RISK. `payload` is JSON.
Transition SystemEvent(const redress::v1::Complaint& before, EventType type, std::string payload,
                       absl::Time now);

// Validates `request` for `action` with the validator registered for the
// request's type (request_validators.h; the registrations are in
// validation.cc). INTERNAL when `request` is not the action's request type
// or has no validator.
absl::Status ValidateFor(Action action, const google::protobuf::Message& request, absl::Time now);

// Hex SHA-256 of the complainant's personal data under `salt` (format in
// compliance-docs/audit-trail.md). Events carry this instead of the data.
std::string ComplainantDigest(const redress::v1::Complainant& c, absl::string_view salt);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_LIFECYCLE_H_
