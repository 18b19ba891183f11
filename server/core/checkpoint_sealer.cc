#include "server/core/checkpoint_sealer.h"

#include <future>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/domain/status_macros.h"

namespace redress::core {

CheckpointSealer::CheckpointSealer(store::ComplaintStore* store,
                                   const domain::CheckpointSigner* signer,
                                   const domain::Clock* clock, Options options)
    : store_(store), signer_(signer), clock_(clock), options_(options) {}

CheckpointSealer::~CheckpointSealer() { Stop(); }

absl::Status CheckpointSealer::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    REDRESS_ASSIGN_OR_RETURN(int64_t size, store_->LedgerSize());
    REDRESS_RETURN_IF_ERROR(CatchUpLocked(size));
  }
  thread_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(options_.poll)) {
      // Failures (e.g. the database is briefly unreachable) are retried on
      // the next tick; sealing is never on a caller's path here.
      (void)MaybeSeal();
    }
  });
  return absl::OkStatus();
}

void CheckpointSealer::Stop() {
  stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

absl::Status CheckpointSealer::CatchUpLocked(int64_t size) {
  if (static_cast<uint64_t>(size) <= acc_.size()) return absl::OkStatus();
  absl::Status bad;
  REDRESS_RETURN_IF_ERROR(store_->ScanLedgerHashes(
      static_cast<int64_t>(acc_.size()), size, [&](int64_t, const std::string& hex) {
        const std::string leaf = domain::MerkleLeafHashFromEventHashHex(hex);
        if (leaf.empty() && bad.ok()) bad = absl::DataLossError("a stored event hash is malformed");
        acc_.Append(leaf);
      }));
  return bad;
}

absl::StatusOr<std::optional<domain::Checkpoint>> CheckpointSealer::SealLocked(bool force) {
  REDRESS_ASSIGN_OR_RETURN(int64_t size, store_->LedgerSize());
  REDRESS_RETURN_IF_ERROR(CatchUpLocked(size));
  REDRESS_ASSIGN_OR_RETURN(std::optional<domain::Checkpoint> latest, store_->LatestCheckpoint());
  const int64_t sealed = latest ? static_cast<int64_t>(latest->tree_size) : 0;
  if (size <= sealed) {
    first_unsealed_seen_ = absl::InfiniteFuture();
    return latest;
  }
  const absl::Time now = clock_->Now();
  if (first_unsealed_seen_ == absl::InfiniteFuture()) first_unsealed_seen_ = now;
  if (!force && size - sealed < options_.every_events &&
      now - first_unsealed_seen_ < options_.every) {
    return latest;
  }
  // acc_ may be ahead of `size` only if another thread raced us; it is not,
  // under mu_: acc_.size() == size here.
  const domain::Checkpoint cp = signer_->Sign(
      static_cast<uint64_t>(size), absl::BytesToHexString(acc_.Root()), absl::ToUnixMicros(now));
  std::promise<absl::Status> stored;
  store_->Write(
      "", [&cp](store::WriteTxn& txn) { return txn.InsertCheckpoint(cp); },
      [&stored](absl::Status st) { stored.set_value(std::move(st)); },
      /*replay_safe=*/true);
  REDRESS_RETURN_IF_ERROR(stored.get_future().get());
  first_unsealed_seen_ = absl::InfiniteFuture();
  // Another replica may have stored its own checkpoint of this size first:
  // return what is stored.
  REDRESS_ASSIGN_OR_RETURN(auto list, store_->ListCheckpoints(size - 1, size, 1));
  if (list.empty()) return absl::InternalError("a sealed checkpoint was not stored");
  return std::optional<domain::Checkpoint>(list.front());
}

absl::StatusOr<std::optional<domain::Checkpoint>> CheckpointSealer::SealNow() {
  std::lock_guard<std::mutex> lock(mu_);
  return SealLocked(/*force=*/true);
}

absl::Status CheckpointSealer::MaybeSeal() {
  std::lock_guard<std::mutex> lock(mu_);
  return SealLocked(/*force=*/false).status();
}

}  // namespace redress::core
