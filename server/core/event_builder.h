// Turning a domain transition into the next hash-chained event of a stored
// complaint. Shared by the complaint engine (one event per request) and the
// deadline sweeper (several events in one write).
//
// Thread-safety: pure functions over their arguments.
#ifndef REDRESS_SERVER_CORE_EVENT_BUILDER_H_
#define REDRESS_SERVER_CORE_EVENT_BUILDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "redress/v1/complaint.pb.h"
#include "server/domain/lifecycle.h"
#include "server/store/records.h"

namespace redress::core {

// Builds the event that records `t` as the next one of `stored` (sequence
// stored.version + 1, linked to stored.last_event_hash) and advances
// `stored`: complaint = t.after, version + 1, last_event_hash, etag.
// INTERNAL when the stored last hash is malformed (nothing is changed).
absl::StatusOr<redress::v1::ComplaintEvent> NextEvent(store::StoredComplaint& stored,
                                                      domain::Transition t,
                                                      const std::string& actor,
                                                      const std::string& request_id,
                                                      absl::Time now);

}  // namespace redress::core

#endif  // REDRESS_SERVER_CORE_EVENT_BUILDER_H_
