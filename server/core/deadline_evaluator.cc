#include "server/core/deadline_evaluator.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "server/domain/status_macros.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;

absl::StatusOr<std::optional<v1::PolicyRef>> Select(const domain::PolicyRegistry* registry,
                                                    const v1::Complaint& complaint,
                                                    absl::Time at) {
  if (registry == nullptr) return std::optional<v1::PolicyRef>();
  auto sel = registry->Select(domain::AttributesOf(complaint), at);
  if (!sel.ok()) {
    if (absl::IsNotFound(sel.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "no complaint-handling policy matches the complaint (", sel.status().message(),
          "); the policy files need a default policy"));
    }
    return sel.status();
  }
  return std::optional<v1::PolicyRef>(sel->ref);
}

}  // namespace

absl::StatusOr<std::optional<v1::PolicyRef>> DeadlineEvaluator::SelectForIntake(
    const v1::Complaint& complaint, absl::Time receipt) const {
  return Select(registry_, complaint, receipt);
}

absl::StatusOr<std::optional<v1::PolicyRef>> DeadlineEvaluator::SelectNow(
    const v1::Complaint& complaint, absl::Time now) const {
  return Select(registry_, complaint, now);
}

absl::StatusOr<domain::DeadlineContext> DeadlineEvaluator::ContextFor(
    const v1::Complaint& complaint, absl::Span<const domain::ReplayEvent> events,
    absl::Time now) const {
  if (registry_ == nullptr) return absl::NotFoundError("no policies are configured");
  REDRESS_ASSIGN_OR_RETURN(v1::PolicyRef ref, domain::RecordedPolicyRef(events));
  REDRESS_ASSIGN_OR_RETURN(domain::PolicyRegistry::Selection sel, registry_->Resolve(ref));
  domain::DeadlineContext ctx;
  ctx.policy = sel.policy;
  ctx.calendar = sel.calendar;
  ctx.pause_windows = registry_->PauseWindowsFor(domain::AttributesOf(complaint).complaint_class);
  ctx.now = now;
  return ctx;
}

absl::StatusOr<std::vector<v1::Deadline>> DeadlineEvaluator::Evaluate(
    const v1::Complaint& complaint, absl::Span<const domain::ReplayEvent> events,
    absl::Time now) const {
  if (registry_ == nullptr || !complaint.has_policy()) return std::vector<v1::Deadline>();
  REDRESS_ASSIGN_OR_RETURN(domain::DeadlineContext ctx, ContextFor(complaint, events, now));
  return domain::ComputeDeadlines(events, ctx);
}

void DeadlineEvaluator::Fill(v1::Complaint* complaint,
                             absl::Span<const v1::ComplaintEvent> events, absl::Time now) const {
  complaint->clear_deadlines();
  const std::vector<domain::ReplayEvent> replay = domain::ToReplayEvents(events);
  auto deadlines = Evaluate(*complaint, replay, now);
  if (!deadlines.ok()) {
    std::cerr << "redressd: deadlines of " << complaint->name()
              << " cannot be derived: " << deadlines.status() << "\n";
    return;
  }
  for (auto& d : *deadlines) *complaint->add_deadlines() = std::move(d);
}

}  // namespace redress::core
