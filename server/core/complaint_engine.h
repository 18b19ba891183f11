// ComplaintEngine: the complaint service's logic, independent of gRPC.
//
// A mutating request is validated, then applied inside one group-commit
// transaction: idempotency lookup (AIP-155), row lock, etag check (AIP-154),
// the domain transition, the hash-chained event, the complaint row and the
// idempotency record — all or nothing. The caller is answered only after the
// commit is durable.
//
// Thread-safety: all methods are thread-safe. `done` callbacks run on the
// store's reply thread (or inline for requests rejected before queueing)
// and must not block.
//
// Errors (absl codes; the API maps them 1:1 to gRPC codes):
//   UNAUTHENTICATED      no acting principal;
//   INVALID_ARGUMENT     malformed request: "<field>: <reason>";
//   NOT_FOUND            unknown complaint;
//   FAILED_PRECONDITION  the state does not allow the action (names it);
//   ABORTED              stale etag;
//   ALREADY_EXISTS       request_id reused for a different request;
//   DEADLINE_EXCEEDED    the caller's deadline passed before the write ran;
//   CANCELLED            the caller went away before the write ran;
//   PERMISSION_DENIED    outside the caller's scope (another handler's
//                        complaint; another intake's submission);
//   UNAVAILABLE / RESOURCE_EXHAUSTED / INTERNAL / DATA_LOSS  from the store.
#ifndef REDRESS_SERVER_CORE_COMPLAINT_ENGINE_H_
#define REDRESS_SERVER_CORE_COMPLAINT_ENGINE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "redress/v1/complaint_service.pb.h"
#include "server/core/deadline_evaluator.h"
#include "server/domain/access_policy.h"
#include "server/domain/action.h"
#include "server/domain/clock.h"
#include "server/domain/lifecycle.h"
#include "server/store/complaint_store.h"

namespace redress::core {

// Who is calling and what they may see. Filled by the transport from
// credentials, never from the request body.
struct RequestContext {
  std::string actor;
  // Further limit inside an allowed RPC (handlers: assigned or queued
  // complaints only; intake: its own submissions only).
  domain::AccessScope scope = domain::AccessScope::kAny;
  // Without it, complainant personal data is removed from responses.
  bool read_personal_data = true;
  // Exports with personal data in clear.
  bool export_personal_data = false;
  // When the caller stops waiting (wall clock); a write not started by then
  // is not committed (DEADLINE_EXCEEDED, nothing written).
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  // Whether the caller has gone away (cancelled, connection lost): a write
  // not started by then is not committed (CANCELLED, nothing written), so a
  // retry sent elsewhere never races a stale copy of itself. May be empty.
  // Must be safe to call from the store's committer thread.
  std::function<bool()> cancelled;
};

class ComplaintEngine {
 public:
  struct Options {
    // Default dispute / reopen windows, for complaints whose policy has none.
    domain::LifecyclePolicy policy;
    // Complaint-handling policies (not owned; must outlive the engine). With
    // none, complaints record no policy and have no deadlines.
    const domain::PolicyRegistry* policies = nullptr;
  };
  using Done = absl::AnyInvocable<void(absl::StatusOr<redress::v1::Complaint>)>;

  // `store` and `clock` are not owned and must outlive the engine.
  ComplaintEngine(store::ComplaintStore* store, const domain::Clock* clock, Options options);

  // Applies `action` with `request` (the RPC's request message type). `done`
  // is called exactly once with the complaint as it is after the write (or as
  // first answered, for a retried request_id).
  void Mutate(const RequestContext& ctx, domain::Action action,
              std::unique_ptr<google::protobuf::Message> request, Done done);

  absl::StatusOr<redress::v1::Complaint> Get(const redress::v1::GetComplaintRequest& request,
                                             const RequestContext& ctx = {});
  absl::StatusOr<redress::v1::ListComplaintsResponse> List(
      const redress::v1::ListComplaintsRequest& request, const RequestContext& ctx = {});
  absl::StatusOr<redress::v1::ListComplaintEventsResponse> ListEvents(
      const redress::v1::ListComplaintEventsRequest& request, const RequestContext& ctx = {});

  // Statistics over the complaints matching the request's filters, derived
  // at the clock's now (domain/statistics.h). Reads every matching
  // complaint and its history: O(complaints + events).
  absl::StatusOr<redress::v1::ComplaintStatistics> Statistics(
      const redress::v1::GetComplaintStatisticsRequest& request, const RequestContext& ctx = {});

 private:
  absl::StatusOr<std::vector<redress::v1::ComplaintEvent>> AllEvents(const std::string& id);

  store::ComplaintStore* const store_;
  const domain::Clock* const clock_;
  const Options options_;
  const DeadlineEvaluator evaluator_;
};

}  // namespace redress::core

#endif  // REDRESS_SERVER_CORE_COMPLAINT_ENGINE_H_
