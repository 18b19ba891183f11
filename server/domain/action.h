// The mutating actions of the complaint lifecycle, one per mutating RPC.
#ifndef REDRESS_SERVER_DOMAIN_ACTION_H_
#define REDRESS_SERVER_DOMAIN_ACTION_H_

#include "absl/strings/string_view.h"

namespace redress::domain {

enum class Action : int {
  kSubmit = 0,
  kAcknowledge,
  kAssess,
  kAssign,
  kStartInvestigation,
  kAddNote,
  kEscalate,
  kRespond,
  kRecordDecision,
  kOpenDispute,
  kResolveDispute,
  kClose,
  kWithdraw,
  kReopen,
  kEraseComplainantData,
  kRequestInformation,
  kReceiveInformation,
  kSendHoldingResponse,
  kExtendDeadline,
  kRecomputeDeadlines,
  kRecordSatisfaction,
};
inline constexpr int kActionCount = 21;

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_ACTION_H_
