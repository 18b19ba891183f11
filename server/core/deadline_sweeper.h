// DeadlineSweeper: breach detection. Periodically derives the deadlines of
// every open complaint and records, once per deadline (kind, cycle),
// DEADLINE_AT_RISK when it reaches its at-risk time and DEADLINE_BREACHED
// when it passes unsatisfied (or is satisfied late), each as a hash-chained
// event by the principal `system:deadline-sweeper`; then escalates as the
// complaint's policy says (an ESCALATED event, reason naming the deadline
// and the escalation target).
//
// Exactly once, across replicas: the decision is re-derived inside the write
// transaction after the complaint's row lock (PostgreSQL: SELECT ... FOR
// UPDATE; SQLite: the single writer), from the events stored at that moment,
// so a second sweeper (another replica, or the next round) finds the alert
// recorded and writes nothing.
//
// Thread-safety: SweepOnce may be called from any thread, and concurrently;
// Start/Stop from one owner thread. The store, clock and registry are not
// owned and must outlive the sweeper.
#ifndef REDRESS_SERVER_CORE_DEADLINE_SWEEPER_H_
#define REDRESS_SERVER_CORE_DEADLINE_SWEEPER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/deadline_evaluator.h"
#include "server/domain/clock.h"
#include "server/store/complaint_store.h"

namespace redress::core {

inline constexpr char kSweeperActor[] = "system:deadline-sweeper";

class DeadlineSweeper {
 public:
  struct Options {
    absl::Duration interval = absl::Minutes(1);  // between rounds (Start)
    int page_size = 200;                         // complaints read per query
  };
  struct Result {
    int64_t complaints_checked = 0;
    int64_t at_risk_recorded = 0;
    int64_t breached_recorded = 0;
    int64_t escalations_recorded = 0;
    int64_t errors = 0;  // complaints whose write failed (retried next round)
  };

  DeadlineSweeper(store::ComplaintStore* store, const domain::Clock* clock,
                  const domain::PolicyRegistry* registry, Options options);
  ~DeadlineSweeper();  // Stop()s

  // One round over all open complaints with a policy. Waits for its writes
  // (group-committed together). Errors reading the store are returned;
  // failed writes are counted in Result::errors and logged.
  absl::StatusOr<Result> SweepOnce();

  // Runs SweepOnce every `interval` on a background thread until Stop().
  void Start();
  void Stop();

 private:
  void Loop();

  store::ComplaintStore* const store_;
  const domain::Clock* const clock_;
  const DeadlineEvaluator evaluator_;
  const Options options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace redress::core

#endif  // REDRESS_SERVER_CORE_DEADLINE_SWEEPER_H_
