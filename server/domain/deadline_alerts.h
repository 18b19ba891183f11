// Which deadline alerts (DEADLINE_AT_RISK / DEADLINE_BREACHED events) a
// complaint still needs, given its derived deadlines and the alerts its
// history already records. Each (kind, cycle) is alerted at most once per
// alert type: the sweeper re-derives this under the complaint's row lock
// before writing, so several sweepers (replicas) never record one twice.
// Pure functions, thread-safe.
#ifndef REDRESS_SERVER_DOMAIN_DEADLINE_ALERTS_H_
#define REDRESS_SERVER_DOMAIN_DEADLINE_ALERTS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "redress/v1/deadline.pb.h"
#include "redress/v1/policy.pb.h"
#include "server/domain/deadlines.h"

namespace redress::domain {

struct DeadlineAlert {
  redress::v1::DeadlineKind kind = redress::v1::DEADLINE_KIND_UNSPECIFIED;
  int cycle = 0;
  bool breached = false;  // DEADLINE_BREACHED, else DEADLINE_AT_RISK
  absl::Time due_time;
};

// Alerts not yet recorded in `events`: a deadline in state AT_RISK with
// neither alert recorded for its (kind, cycle), or in state BREACHED
// without a BREACHED alert. In the order of `deadlines`.
std::vector<DeadlineAlert> PendingAlerts(absl::Span<const redress::v1::Deadline> deadlines,
                                         absl::Span<const ReplayEvent> events);

// The event payload: {"kind":"FINAL_RESPONSE","cycle":1,"due_time":"..."}.
std::string AlertPayload(const DeadlineAlert& alert);

// The policy's escalations triggered by `alert` (kind matches or is
// unspecified; trigger AT_RISK or BREACHED as the alert).
std::vector<redress::v1::Escalation> EscalationsFor(const redress::v1::Policy& policy,
                                                    const DeadlineAlert& alert);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_DEADLINE_ALERTS_H_
