// CheckpointSealer: seals signed Merkle checkpoints over the audit ledger
// (compliance-docs/audit-trail.md §6) every N events or T seconds, and on
// demand before an export.
//
// It keeps an in-memory MerkleAccumulator in step with the committed ledger
// (rebuilt from the stored event hashes at Start(), then extended with new
// entries), so sealing costs O(new entries + log n). Several replicas may
// seal; the store keeps the first checkpoint per tree size.
//
// Thread-safety: all public methods are thread-safe. Errors: those of the
// store (UNAVAILABLE, ...), DATA_LOSS if the stored ledger has a gap.
#ifndef REDRESS_SERVER_CORE_CHECKPOINT_SEALER_H_
#define REDRESS_SERVER_CORE_CHECKPOINT_SEALER_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/checkpoint_signer.h"
#include "server/domain/clock.h"
#include "server/domain/merkle.h"
#include "server/domain/sync.h"
#include "server/store/complaint_store.h"

namespace redress::core {

class CheckpointSealer {
 public:
  struct Options {
    int64_t every_events = 1000;             // seal when this many are unsealed
    absl::Duration every = absl::Seconds(60);  // or when the oldest is this old
    absl::Duration poll = absl::Seconds(1);    // how often the ledger head is read
  };

  // Not owned; all must outlive the sealer.
  CheckpointSealer(store::ComplaintStore* store, const domain::CheckpointSigner* signer,
                   const domain::Clock* clock, Options options);
  ~CheckpointSealer();  // Stop()

  // Builds the accumulator from the stored ledger and starts the background
  // thread. Call once.
  absl::Status Start();
  // Stops the background thread (a seal in progress completes). Idempotent.
  void Stop();

  // Makes sure a checkpoint covers every entry committed before the call and
  // returns the latest stored checkpoint (nullopt while the ledger is empty).
  absl::StatusOr<std::optional<domain::Checkpoint>> SealNow();

  // Seals only if the thresholds say so (the background thread's step).
  absl::Status MaybeSeal();

  const domain::CheckpointSigner& signer() const { return *signer_; }

 private:
  // Both require mu_ held.
  absl::Status CatchUpLocked(int64_t size);
  absl::StatusOr<std::optional<domain::Checkpoint>> SealLocked(bool force);

  store::ComplaintStore* const store_;
  const domain::CheckpointSigner* const signer_;
  const domain::Clock* const clock_;
  const Options options_;

  std::mutex mu_;  // held for a whole seal
  domain::MerkleAccumulator acc_;  // guarded by mu_
  absl::Time first_unsealed_seen_ = absl::InfiniteFuture();  // guarded by mu_

  domain::Notification stop_;
  std::thread thread_;
};

}  // namespace redress::core

#endif  // REDRESS_SERVER_CORE_CHECKPOINT_SEALER_H_
