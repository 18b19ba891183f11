// A complaint's deadlines, derived by replaying its events under the policy
// version recorded at intake. Nothing here is stored: the same events, policy,
// calendar, pause windows and `now` always give the same deadlines, with an
// explanation of how each was computed. Pure functions, thread-safe.
//
// Replay rules (events in sequence order; matched by type name, see
// EventTypeName in event_hash.h):
//   SUBMITTED              receipt = its event_time; starts ACKNOWLEDGEMENT,
//                          SUMMARY_RESOLUTION, HOLDING_RESPONSE and
//                          FINAL_RESPONSE (those the policy has), cycle 1.
//   ACKNOWLEDGED           satisfies ACKNOWLEDGEMENT.
//   HOLDING_RESPONSE_SENT  satisfies HOLDING_RESPONSE.                  (new)
//   RESPONDED              payload response.summary_resolution:
//                          true and within the summary window -> the window
//                            is MET; FINAL_RESPONSE keeps running until the
//                            complainant accepts (then NOT_REQUIRED) or
//                            rejects (keeps running: DISP 1.5 "resolved"
//                            means accepted);
//                          otherwise (a final response, or a summary one
//                            after the window) -> satisfies FINAL_RESPONSE
//                            and HOLDING_RESPONSE; an unused summary window
//                            becomes NOT_REQUIRED (EXPIRED if past).
//                          Any response satisfies an open ACKNOWLEDGEMENT and
//                          (re)starts DISPUTE_WINDOW.
//   COMPLAINANT_DECISION_RECORDED  decision.outcome OUTCOME_ACCEPTED closes
//                          (as CLOSED); OUTCOME_REJECTED changes no clock.
//   CLOSED                 stops every open clock (NOT_REQUIRED, or BREACHED
//                          if already past due) and starts REOPEN_WINDOW.
//   WITHDRAWN              stops every open clock and window.
//   DISPUTE_OPENED         uses an open DISPUTE_WINDOW (MET).
//   DISPUTE_RESOLVED       outcome OUTCOME_REMITTED: as REOPENED; otherwise
//                          as CLOSED.
//   REOPENED               uses an open REOPEN_WINDOW (MET) and starts a new
//                          FINAL_RESPONSE clock (cycle + 1) at its time, same
//                          rule, no extensions carried over.
//   INFORMATION_REQUESTED  the clock pauses (rules with
//                          pauses_while_awaiting_complainant only)...  (new)
//   INFORMATION_RECEIVED   ...until this event.                          (new)
//   DEADLINE_EXTENDED      payload {"extension": DeadlineExtension}: sets the
//                          latest clock of that kind to the new amount
//                          (capped at max_extended_amount; ignored when the
//                          clock has ended or was already past due). (new)
//   DEADLINES_RECOMPUTED   payload {"policy": PolicyRef, "reason": ...}: the
//                          policy version to use from now on (the caller
//                          resolves it, see RecordedPolicyRef); noted.  (new)
//   anything else          ignored (e.g. the sweeper's DEADLINE_AT_RISK /
//                          DEADLINE_BREACHED: states are derived, never read
//                          back).
// Regulator pause windows (PauseWindow) stop the clocks of the kinds they
// list for the whole of their dates. Pause arithmetic: see calendar.h.
//
// States at `now`: MET (satisfied at or before due), BREACHED (satisfied
// after due, or unsatisfied and now > due, or stopped after due), PAUSED
// (a pause is in effect now; due_time assumes it ends now), AT_RISK (at
// least the at-risk fraction of the running time has elapsed), ON_TRACK;
// NOT_REQUIRED (withdrawn/closed before due, or summary resolution
// accepted); EXPIRED (a window — summary resolution, dispute, reopen —
// passed unused). Windows are never AT_RISK or BREACHED.
#ifndef REDRESS_SERVER_DOMAIN_DEADLINES_H_
#define REDRESS_SERVER_DOMAIN_DEADLINES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/struct.pb.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/policy.pb.h"
#include "server/domain/calendar.h"

namespace redress::domain {

// Event type names the replay reads (ComplaintEvent.Type without "TYPE_").
inline constexpr char kEventSubmitted[] = "SUBMITTED";
inline constexpr char kEventAcknowledged[] = "ACKNOWLEDGED";
inline constexpr char kEventResponded[] = "RESPONDED";
inline constexpr char kEventDecisionRecorded[] = "COMPLAINANT_DECISION_RECORDED";
inline constexpr char kEventDisputeOpened[] = "DISPUTE_OPENED";
inline constexpr char kEventDisputeResolved[] = "DISPUTE_RESOLVED";
inline constexpr char kEventClosed[] = "CLOSED";
inline constexpr char kEventWithdrawn[] = "WITHDRAWN";
inline constexpr char kEventReopened[] = "REOPENED";
// New event types (to be added to ComplaintEvent.Type as TYPE_<name>).
inline constexpr char kEventInformationRequested[] = "INFORMATION_REQUESTED";
inline constexpr char kEventInformationReceived[] = "INFORMATION_RECEIVED";
inline constexpr char kEventHoldingResponseSent[] = "HOLDING_RESPONSE_SENT";
inline constexpr char kEventDeadlineExtended[] = "DEADLINE_EXTENDED";
inline constexpr char kEventDeadlinesRecomputed[] = "DEADLINES_RECOMPUTED";
// Emitted by the breach sweeper; ignored by the replay.
inline constexpr char kEventDeadlineAtRisk[] = "DEADLINE_AT_RISK";
inline constexpr char kEventDeadlineBreached[] = "DEADLINE_BREACHED";

// The parts of a ComplaintEvent the replay uses.
struct ReplayEvent {
  int64_t sequence = 0;
  std::string type;     // EventTypeName(event.type()), e.g. "RESPONDED"
  absl::Time time;      // event_time
  std::string payload;  // the event's JSON payload
  // The payload parsed, filled by the replay on first use so that several
  // passes over one event list parse each payload once (JSON parsing was
  // the largest cost of GetComplaint). Not thread-safe: one list, one thread.
  mutable std::shared_ptr<const google::protobuf::Struct> parsed_payload;
};
ReplayEvent ToReplayEvent(const redress::v1::ComplaintEvent& event);
std::vector<ReplayEvent> ToReplayEvents(absl::Span<const redress::v1::ComplaintEvent> events);

// What the clocks run under. `policy` and `calendar` are the version and
// calendar recorded for the complaint (PolicyRegistry::Resolve of
// RecordedPolicyRef), never "the current policy".
struct DeadlineContext {
  const redress::v1::Policy* policy = nullptr;
  const BusinessCalendar* calendar = nullptr;
  std::vector<redress::v1::PauseWindow> pause_windows;  // this complaint's class only
  absl::Time now;
};

// Every deadline of the complaint at ctx.now, ordered by kind then cycle.
// FAILED_PRECONDITION: the first event is not SUBMITTED; the events record a
// different policy version or calendar than ctx gives; the calendar's
// holiday data does not cover the dates. INVALID_ARGUMENT: a payload the
// replay needs is not JSON, or ctx is incomplete.
absl::StatusOr<std::vector<redress::v1::Deadline>> ComputeDeadlines(
    absl::Span<const ReplayEvent> events, const DeadlineContext& ctx);
absl::StatusOr<std::vector<redress::v1::Deadline>> ComputeDeadlines(
    absl::Span<const redress::v1::ComplaintEvent> events, const DeadlineContext& ctx);

// Checks a DeadlineExtension before ExtendDeadline records it at ctx.now.
// INVALID_ARGUMENT "extension.<field>: ..." (kind not extendable by nature,
// no reason, amount not above the current one or above the policy's
// max_extended_amount); FAILED_PRECONDITION when the policy has no such
// rule, the rule allows no extension, or the deadline is not running
// (already met, breached, not required).
absl::Status CheckExtension(absl::Span<const ReplayEvent> events, const DeadlineContext& ctx,
                            const redress::v1::DeadlineExtension& extension);

// The policy version the complaint's clocks run under: the "policy" object
// (a PolicyRef in JSON) of the latest DEADLINES_RECOMPUTED event, else of
// the SUBMITTED event. NOT_FOUND when no event records one.
absl::StatusOr<redress::v1::PolicyRef> RecordedPolicyRef(absl::Span<const ReplayEvent> events);

// "2d 3h 15m" style, for explanations ("-" prefix when negative).
std::string FormatDurationShort(absl::Duration d);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_DEADLINES_H_
