// EventFeed: the resumable stream of committed events in ledger order
// (redress.v1.EventService.WatchComplaintEvents).
//
// Delivery is at least once and gap-free: the cursor is the ledger index
// (gap-free commit order, compliance-docs/audit-trail.md §5), so events
// committed by any replica are seen, in order, and a consumer that resumes
// from its last ledger_index + 1 misses nothing. New commits of this process
// wake the feed at once; other replicas' commits within `poll`.
//
// Thread-safety: Watch() may run concurrently for many streams.
#ifndef REDRESS_SERVER_CORE_EVENT_FEED_H_
#define REDRESS_SERVER_CORE_EVENT_FEED_H_

#include <functional>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "redress/v1/event_service.pb.h"
#include "server/domain/clock.h"
#include "server/store/complaint_store.h"

namespace redress::core {

class EventFeed {
 public:
  struct Options {
    absl::Duration poll = absl::Milliseconds(250);  // other replicas' commits
    int64_t max_lag = 1000000;  // consumers further behind the head are told to resume
    int chunk = 500;            // events read per query
  };
  // Sink returns false when the consumer is gone.
  using Sink = absl::FunctionRef<bool(const redress::v1::WatchComplaintEventsResponse&)>;

  // Not owned; must outlive the feed.
  EventFeed(store::ComplaintStore* store, const domain::Clock* clock, Options options);

  // Streams until `stopped()` returns true (client cancelled or server
  // shutting down; then returns CANCELLED) or an error: INVALID_ARGUMENT for
  // a bad request, RESOURCE_EXHAUSTED (with the index to resume from) when the
  // consumer lags more than max_lag, or the store's errors.
  absl::Status Watch(const redress::v1::WatchComplaintEventsRequest& request, Sink sink,
                     const std::function<bool()>& stopped);

 private:
  store::ComplaintStore* const store_;
  const domain::Clock* const clock_;
  const Options options_;
};

}  // namespace redress::core

#endif  // REDRESS_SERVER_CORE_EVENT_FEED_H_
