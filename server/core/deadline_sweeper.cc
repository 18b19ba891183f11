#include "server/core/deadline_sweeper.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "redress/v1/complaint_service.pb.h"
#include "server/core/event_builder.h"
#include "server/domain/deadline_alerts.h"
#include "server/domain/lifecycle.h"
#include "server/domain/list_filter.h"
#include "server/domain/policy.h"
#include "server/domain/status_macros.h"
#include "server/domain/time_util.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;

// What one complaint's write recorded (reset on each attempt: the committer
// may run a write function more than once).
struct Tally {
  int64_t at_risk = 0, breached = 0, escalations = 0;
};

// The write: re-derives the pending alerts under the row lock and records
// them (and their escalations) as consecutive events of one transaction.
absl::Status RecordAlerts(store::WriteTxn& txn, const std::string& id,
                          const DeadlineEvaluator& evaluator, const domain::Clock& clock,
                          Tally& tally) {
  tally = Tally{};
  REDRESS_ASSIGN_OR_RETURN(auto loaded, txn.LoadForUpdate(id));
  if (!loaded.has_value() || !domain::IsOpen(loaded->complaint.state()) ||
      !loaded->complaint.has_policy()) {
    return absl::OkStatus();
  }
  store::StoredComplaint stored = std::move(*loaded);
  REDRESS_ASSIGN_OR_RETURN(auto events, txn.LoadEvents(id));
  const std::vector<domain::ReplayEvent> replay = domain::ToReplayEvents(events);
  const absl::Time now = clock.Now();
  REDRESS_ASSIGN_OR_RETURN(domain::DeadlineContext dctx,
                           evaluator.ContextFor(stored.complaint, replay, now));
  REDRESS_ASSIGN_OR_RETURN(auto deadlines, domain::ComputeDeadlines(replay, dctx));
  const std::vector<domain::DeadlineAlert> alerts = domain::PendingAlerts(deadlines, replay);
  if (alerts.empty()) return absl::OkStatus();

  const int64_t expected_version = stored.version;
  std::vector<v1::ComplaintEvent> out;
  domain::ActionContext actx;
  actx.actor = kSweeperActor;
  actx.now = now;
  for (const domain::DeadlineAlert& a : alerts) {
    domain::Transition t = domain::SystemEvent(
        stored.complaint,
        a.breached ? v1::ComplaintEvent::TYPE_DEADLINE_BREACHED
                   : v1::ComplaintEvent::TYPE_DEADLINE_AT_RISK,
        domain::AlertPayload(a), now);
    REDRESS_ASSIGN_OR_RETURN(auto ev, NextEvent(stored, std::move(t), kSweeperActor, "", now));
    out.push_back(std::move(ev));
    (a.breached ? tally.breached : tally.at_risk) += 1;
    for (const v1::Escalation& esc : domain::EscalationsFor(*dctx.policy, a)) {
      v1::EscalateComplaintRequest req;
      req.set_reason(absl::StrCat("deadline ", domain::DeadlineKindName(a.kind), " (cycle ",
                                  a.cycle, ") ", a.breached ? "breached" : "at risk", ", due ",
                                  absl::FormatTime(absl::RFC3339_sec, a.due_time,
                                                   absl::UTCTimeZone()),
                                  ": escalated to ", esc.escalate_to(), " (policy ",
                                  dctx.policy->id(), " v", dctx.policy->version(), ")"));
      REDRESS_ASSIGN_OR_RETURN(
          domain::Transition et,
          domain::Apply(domain::Action::kEscalate, req, stored.complaint, actx));
      REDRESS_ASSIGN_OR_RETURN(auto eev,
                               NextEvent(stored, std::move(et), kSweeperActor, "", now));
      out.push_back(std::move(eev));
      tally.escalations += 1;
    }
  }
  REDRESS_RETURN_IF_ERROR(txn.UpdateComplaint(stored, expected_version));
  for (const auto& ev : out) REDRESS_RETURN_IF_ERROR(txn.AppendEvent(ev, id));
  return absl::OkStatus();
}

}  // namespace

DeadlineSweeper::DeadlineSweeper(store::ComplaintStore* store, const domain::Clock* clock,
                                 const domain::PolicyRegistry* registry, Options options)
    : store_(store), clock_(clock), evaluator_(registry), options_(options) {}

DeadlineSweeper::~DeadlineSweeper() { Stop(); }

absl::StatusOr<DeadlineSweeper::Result> DeadlineSweeper::SweepOnce() {
  Result result;
  if (!evaluator_.enabled()) return result;
  using Cond = domain::FilterCondition;
  domain::ListFilter open;
  open.conditions.push_back(
      {Cond::Field::kState, Cond::Op::kNe, v1::Complaint::STATE_CLOSED, ""});
  open.conditions.push_back(
      {Cond::Field::kState, Cond::Op::kNe, v1::Complaint::STATE_WITHDRAWN, ""});

  struct Pending {
    std::string id;
    Tally tally;
    absl::Status status;
  };
  std::vector<std::shared_ptr<Pending>> writes;
  std::mutex mu;
  std::condition_variable done_cv;
  size_t done = 0;

  int64_t after = 0;
  while (true) {
    REDRESS_ASSIGN_OR_RETURN(store::ComplaintPage page,
                             store_->ListComplaints(open, after, options_.page_size));
    const absl::Time now = clock_->Now();
    for (const store::StoredComplaint& c : page.complaints) {
      ++result.complaints_checked;
      if (!c.complaint.has_policy()) continue;
      // Cheap check on a reader first; the write re-checks under the lock.
      std::vector<v1::ComplaintEvent> events;
      int64_t seq = 0;
      bool read_ok = true;
      while (true) {
        auto ev = store_->ListEvents(c.id, seq, 1000);
        if (!ev.ok()) {
          read_ok = false;
          break;
        }
        for (auto& e : ev->events) events.push_back(std::move(e));
        if (!ev->more || events.empty()) break;
        seq = events.back().sequence();
      }
      if (!read_ok) {
        ++result.errors;
        continue;
      }
      const auto replay = domain::ToReplayEvents(events);
      auto deadlines = evaluator_.Evaluate(c.complaint, replay, now);
      if (!deadlines.ok()) {
        ++result.errors;
        std::cerr << "redressd: deadline sweep: " << c.complaint.name() << ": "
                  << deadlines.status() << "\n";
        continue;
      }
      if (domain::PendingAlerts(*deadlines, replay).empty()) continue;
      auto p = std::make_shared<Pending>();
      p->id = c.id;
      writes.push_back(p);
      store_->Write(
          c.id,
          [p, this](store::WriteTxn& txn) {
            return RecordAlerts(txn, p->id, evaluator_, *clock_, p->tally);
          },
          [p, &mu, &done_cv, &done](absl::Status st) {
            std::lock_guard<std::mutex> lock(mu);
            p->status = std::move(st);
            ++done;
            done_cv.notify_all();
          },
          /*replay_safe=*/true);
    }
    if (!page.more) break;
    after = page.last_seq;
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return done == writes.size(); });
  }
  for (const auto& p : writes) {
    if (!p->status.ok()) {
      ++result.errors;
      std::cerr << "redressd: deadline sweep: complaints/" << p->id << ": " << p->status << "\n";
      continue;
    }
    result.at_risk_recorded += p->tally.at_risk;
    result.breached_recorded += p->tally.breached;
    result.escalations_recorded += p->tally.escalations;
  }
  return result;
}

void DeadlineSweeper::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void DeadlineSweeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeadlineSweeper::Loop() {
  while (true) {
    auto r = SweepOnce();
    if (!r.ok()) {
      std::cerr << "redressd: deadline sweep failed: " << r.status() << "\n";
    } else if (r->at_risk_recorded + r->breached_recorded + r->errors > 0) {
      std::cerr << "redressd: deadline sweep: " << r->complaints_checked << " open complaints, "
                << r->at_risk_recorded << " at risk, " << r->breached_recorded << " breached, "
                << r->escalations_recorded << " escalations, " << r->errors << " errors\n";
    }
    std::unique_lock<std::mutex> lock(mu_);
    const auto wait = std::chrono::milliseconds(
        std::max<int64_t>(10, absl::ToInt64Milliseconds(options_.interval)));
    if (cv_.wait_for(lock, wait, [this] { return stop_; })) {
      return;
    }
  }
}

}  // namespace redress::core
