// DeadlineEvaluator: a complaint's deadlines from its events under the
// policy version recorded for it (domain/deadlines.h), with the policy
// registry the server was started with. The one place where the service
// turns "events + registry + now" into Complaint.deadlines.
//
// Thread-safety: immutable after construction; all methods are thread-safe.
// The registry is not owned and must outlive the evaluator.
#ifndef REDRESS_SERVER_CORE_DEADLINE_EVALUATOR_H_
#define REDRESS_SERVER_CORE_DEADLINE_EVALUATOR_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/deadline.pb.h"
#include "server/domain/deadlines.h"
#include "server/domain/policy.h"

namespace redress::core {

class DeadlineEvaluator {
 public:
  // `registry` may be null: then no policy applies to any complaint.
  explicit DeadlineEvaluator(const domain::PolicyRegistry* registry) : registry_(registry) {}

  bool enabled() const { return registry_ != nullptr; }
  const domain::PolicyRegistry* registry() const { return registry_; }

  // The policy for a new complaint received at `receipt` (recorded at
  // intake). nullopt when no registry is configured. FAILED_PRECONDITION
  // when no policy matches the complaint.
  absl::StatusOr<std::optional<redress::v1::PolicyRef>> SelectForIntake(
      const redress::v1::Complaint& complaint, absl::Time receipt) const;

  // The policy that applies now (RecomputeDeadlines): same selection at
  // `now`. Errors as SelectForIntake.
  absl::StatusOr<std::optional<redress::v1::PolicyRef>> SelectNow(
      const redress::v1::Complaint& complaint, absl::Time now) const;

  // Everything the replay needs for `complaint` with `events`, at `now`.
  // NOT_FOUND when the complaint has no recorded policy (or no registry);
  // NOT_FOUND naming the version when the registry no longer holds it.
  absl::StatusOr<domain::DeadlineContext> ContextFor(
      const redress::v1::Complaint& complaint, absl::Span<const domain::ReplayEvent> events,
      absl::Time now) const;

  // The deadlines at `now`; empty (OK) when the complaint has no recorded
  // policy. Errors of ContextFor (other than "no policy") and of
  // domain::ComputeDeadlines.
  absl::StatusOr<std::vector<redress::v1::Deadline>> Evaluate(
      const redress::v1::Complaint& complaint, absl::Span<const domain::ReplayEvent> events,
      absl::Time now) const;

  // Fills complaint->deadlines (cleared first). On an error the deadlines
  // stay empty and the error is logged to stderr once per call: a complaint
  // is always readable, even when e.g. the calendar lacks holiday data.
  void Fill(redress::v1::Complaint* complaint,
            absl::Span<const redress::v1::ComplaintEvent> events, absl::Time now) const;

 private:
  const domain::PolicyRegistry* registry_;
};

}  // namespace redress::core

#endif  // REDRESS_SERVER_CORE_DEADLINE_EVALUATOR_H_
