#include "server/core/event_feed.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "server/domain/ids.h"
#include "server/domain/status_macros.h"
#include "server/domain/time_util.h"
#include "server/domain/validation.h"

namespace redress::core {

namespace v1 = redress::v1;

EventFeed::EventFeed(store::ComplaintStore* store, const domain::Clock* clock, Options options)
    : store_(store), clock_(clock), options_(options) {}

absl::Status EventFeed::Watch(const v1::WatchComplaintEventsRequest& req, Sink sink,
                              const std::function<bool()>& stopped) {
  if (req.start_ledger_index() < 0) {
    return absl::InvalidArgumentError("start_ledger_index: must not be negative");
  }
  if (req.complaints_size() > 1000) return absl::InvalidArgumentError("complaints: at most 1000");
  store::LedgerFilter filter;
  for (int i = 0; i < req.complaints_size(); ++i) {
    REDRESS_ASSIGN_OR_RETURN(std::string id, domain::ParseComplaintName(
                                                 req.complaints(i), absl::StrCat("complaints[", i, "]")));
    filter.complaint_ids.push_back(std::move(id));
  }
  REDRESS_RETURN_IF_ERROR(domain::ValidateCategoryFilter(req.category()));
  filter.category = req.category();
  std::set<int> types, states;
  for (int t : req.event_types()) {
    if (!v1::ComplaintEvent::Type_IsValid(t) || t == 0) {
      return absl::InvalidArgumentError("event_types: unknown value");
    }
    types.insert(t);
  }
  for (int s : req.states()) {
    if (!v1::Complaint::State_IsValid(s) || s == 0) {
      return absl::InvalidArgumentError("states: unknown value");
    }
    states.insert(s);
  }
  if (req.heartbeat_seconds() < 0 || req.heartbeat_seconds() > 300) {
    return absl::InvalidArgumentError("heartbeat_seconds: must be 0 (default 15) or 1-300");
  }
  const absl::Duration heartbeat =
      absl::Seconds(req.heartbeat_seconds() == 0 ? 15 : req.heartbeat_seconds());

  int64_t cursor = req.start_ledger_index();
  absl::Time last_sent = clock_->Now();
  v1::WatchComplaintEventsResponse item;
  while (!stopped()) {
    const uint64_t commits_seen = store_->commit_stats().batches;
    REDRESS_ASSIGN_OR_RETURN(int64_t head, store_->LedgerSize());
    if (head - cursor > options_.max_lag) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the consumer is ", head - cursor, " events behind the head (more than ",
          options_.max_lag, "): reconnect with start_ledger_index=", cursor));
    }
    if (head > cursor) {
      const int64_t until = std::min(head, cursor + options_.chunk);
      bool gone = false;
      REDRESS_RETURN_IF_ERROR(store_->ScanLedger(
          cursor, until, filter, [&](int64_t index, const v1::ComplaintEvent& e) {
            if ((!types.empty() && !types.count(e.type())) ||
                (!states.empty() && !states.count(e.to_state()))) {
              return true;
            }
            item.Clear();
            item.mutable_entry()->set_ledger_index(index);
            *item.mutable_entry()->mutable_event() = e;
            if (!sink(item)) {
              gone = true;
              return false;
            }
            last_sent = clock_->Now();
            return true;
          }));
      if (gone) return absl::CancelledError("the consumer went away");
      cursor = until;  // every index below was delivered or filtered out
    }
    // A heartbeat when nothing was sent for a while -- also while filtered-out
    // traffic moves the cursor, so the consumer's resume point moves too.
    if (clock_->Now() - last_sent >= heartbeat) {
      item.Clear();
      item.mutable_heartbeat()->set_next_ledger_index(cursor);
      *item.mutable_heartbeat()->mutable_heartbeat_time() = domain::ToTimestamp(clock_->Now());
      if (!sink(item)) return absl::CancelledError("the consumer went away");
      last_sent = clock_->Now();
    }
    if (head > cursor) continue;  // more to read now
    // Wake on this process's next commit, or poll for other replicas'.
    store_->WaitForCommitAfter(commits_seen, options_.poll);
  }
  return absl::CancelledError("the stream was cancelled");
}

}  // namespace redress::core
