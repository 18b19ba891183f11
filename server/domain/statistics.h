// Complaint-handling statistics (ISO 10004 monitoring, FCA DISP 1.10
// figures) over a set of complaints, from their stored state, their events
// and their derived deadlines. Pure: the same inputs and `now` always give
// the same figures. Thread-safe.
//
// Definitions (also on the ComplaintStatistics fields):
//   receipt          Complaint.create_time;
//   first contact    the first ACKNOWLEDGED, HOLDING_RESPONSE_SENT or
//                    RESPONDED event;
//   response         the first RESPONDED event;
//   closure          the first event whose to_state is CLOSED ("closed"
//                    counts complaints that were ever closed);
//   3 business days  close of business of the 3rd business day after
//                    receipt in the complaint's calendar (without one: 72 h);
//   4 / 8 weeks      28 / 56 days after receipt;
//   firm-side deadlines  ACKNOWLEDGEMENT, HOLDING_RESPONSE, FINAL_RESPONSE
//                    (summary resolution and the complainant's windows are
//                    windows, not obligations);
//   weeks            Monday 00:00 UTC, by week of receipt.
#ifndef REDRESS_SERVER_DOMAIN_STATISTICS_H_
#define REDRESS_SERVER_DOMAIN_STATISTICS_H_

#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "redress/v1/deadline.pb.h"
#include "server/domain/calendar.h"

namespace redress::domain {

// One complaint's inputs. Pointers are not owned and must outlive the call.
struct ComplaintFacts {
  const redress::v1::Complaint* complaint = nullptr;
  std::vector<redress::v1::ComplaintEvent> events;  // in sequence order
  std::vector<redress::v1::Deadline> deadlines;     // derived at `now`
  const BusinessCalendar* calendar = nullptr;       // the policy's, if any
};

redress::v1::ComplaintStatistics ComputeStatistics(absl::Span<const ComplaintFacts> complaints,
                                                   absl::Time now);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_STATISTICS_H_
