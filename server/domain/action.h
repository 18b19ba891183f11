// A mutating action of the complaint lifecycle: one per mutating RPC,
// identified by the event type it records. Which actions exist, and their
// RPC, states and roles, is declared once in the protos (the
// `(redress.v1.action)` option, see action_rules.h and lifecycle.h's
// ActionTable()); this type only names them.
//
// An action converts implicitly to its event type, so `switch (action)` works
// with `case Action::kSubmit:` as with `case redress::v1::ComplaintEvent::
// TYPE_SUBMITTED:`. The named constants below are conveniences for the
// actions that existed when the table moved to the protos; a new action needs
// none (write `Action(redress::v1::ComplaintEvent::TYPE_...)`).
#ifndef REDRESS_SERVER_DOMAIN_ACTION_H_
#define REDRESS_SERVER_DOMAIN_ACTION_H_

#include <compare>

#include "redress/v1/complaint.pb.h"

namespace redress::domain {

class Action {
 public:
  using EventType = redress::v1::ComplaintEvent::Type;

  constexpr Action() = default;
  constexpr explicit Action(EventType type) : type_(type) {}

  constexpr operator EventType() const { return type_; }  // NOLINT: implicit by design
  constexpr EventType event_type() const { return type_; }

  friend constexpr bool operator==(Action, Action) = default;
  friend constexpr auto operator<=>(Action, Action) = default;

  static const Action kSubmit;
  static const Action kAcknowledge;
  static const Action kAssess;
  static const Action kAssign;
  static const Action kStartInvestigation;
  static const Action kAddNote;
  static const Action kEscalate;
  static const Action kRespond;
  static const Action kRecordDecision;
  static const Action kOpenDispute;
  static const Action kResolveDispute;
  static const Action kClose;
  static const Action kWithdraw;
  static const Action kReopen;
  static const Action kEraseComplainantData;
  static const Action kRequestInformation;
  static const Action kReceiveInformation;
  static const Action kSendHoldingResponse;
  static const Action kExtendDeadline;
  static const Action kRecomputeDeadlines;
  static const Action kRecordSatisfaction;

 private:
  EventType type_ = redress::v1::ComplaintEvent::TYPE_UNSPECIFIED;
};

namespace action_internal {
using E = redress::v1::ComplaintEvent;
}  // namespace action_internal

inline constexpr Action Action::kSubmit{action_internal::E::TYPE_SUBMITTED};
inline constexpr Action Action::kAcknowledge{action_internal::E::TYPE_ACKNOWLEDGED};
inline constexpr Action Action::kAssess{action_internal::E::TYPE_ASSESSED};
inline constexpr Action Action::kAssign{action_internal::E::TYPE_ASSIGNED};
inline constexpr Action Action::kStartInvestigation{action_internal::E::TYPE_INVESTIGATION_STARTED};
inline constexpr Action Action::kAddNote{action_internal::E::TYPE_NOTE_ADDED};
inline constexpr Action Action::kEscalate{action_internal::E::TYPE_ESCALATED};
inline constexpr Action Action::kRespond{action_internal::E::TYPE_RESPONDED};
inline constexpr Action Action::kRecordDecision{
    action_internal::E::TYPE_COMPLAINANT_DECISION_RECORDED};
inline constexpr Action Action::kOpenDispute{action_internal::E::TYPE_DISPUTE_OPENED};
inline constexpr Action Action::kResolveDispute{action_internal::E::TYPE_DISPUTE_RESOLVED};
inline constexpr Action Action::kClose{action_internal::E::TYPE_CLOSED};
inline constexpr Action Action::kWithdraw{action_internal::E::TYPE_WITHDRAWN};
inline constexpr Action Action::kReopen{action_internal::E::TYPE_REOPENED};
inline constexpr Action Action::kEraseComplainantData{action_internal::E::TYPE_PERSONAL_DATA_ERASED};
inline constexpr Action Action::kRequestInformation{action_internal::E::TYPE_INFORMATION_REQUESTED};
inline constexpr Action Action::kReceiveInformation{action_internal::E::TYPE_INFORMATION_RECEIVED};
inline constexpr Action Action::kSendHoldingResponse{action_internal::E::TYPE_HOLDING_RESPONSE_SENT};
inline constexpr Action Action::kExtendDeadline{action_internal::E::TYPE_DEADLINE_EXTENDED};
inline constexpr Action Action::kRecomputeDeadlines{action_internal::E::TYPE_DEADLINES_RECOMPUTED};
inline constexpr Action Action::kRecordSatisfaction{action_internal::E::TYPE_SATISFACTION_RECORDED};

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_ACTION_H_
