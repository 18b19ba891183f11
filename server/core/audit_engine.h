// AuditEngine: the auditor-facing logic behind redress.v1.AuditService --
// exports of the ledger (compliance-docs/audit-trail.md §7), checkpoints and
// proofs, erasure of personal data and the retention sweep (§9). Independent
// of gRPC.
//
// Thread-safety: all methods are thread-safe.
// Errors: INVALID_ARGUMENT (bad filter or sizes), PERMISSION_DENIED
// (personal data export without RequestContext::export_personal_data), NOT_FOUND (unknown checkpoint),
// CANCELLED (the export's consumer went away), and the store's errors.
#ifndef REDRESS_SERVER_CORE_AUDIT_ENGINE_H_
#define REDRESS_SERVER_CORE_AUDIT_ENGINE_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "redress/v1/audit_service.pb.h"
#include "server/core/checkpoint_sealer.h"
#include "server/core/complaint_engine.h"

namespace redress::core {

class AuditEngine {
 public:
  struct Options {
    absl::Duration retention = absl::Hours(24 * 1095);  // FCA DISP 1.9.1R: 3 years
    std::string export_digest_key;  // raw key of the HMAC that redacts exports
  };
  // Stops the export (CANCELLED) when it returns false.
  using Sink = absl::FunctionRef<bool(const redress::v1::ExportAuditTrailResponse&)>;

  // Not owned; all must outlive the engine.
  AuditEngine(store::ComplaintStore* store, ComplaintEngine* complaints,
              CheckpointSealer* sealer, const domain::Clock* clock, Options options);

  // Seals a checkpoint over everything committed, then streams header,
  // entries, complainant records and checkpoints to `sink`.
  absl::Status Export(const RequestContext& ctx, const redress::v1::ExportAuditTrailRequest& req,
                      Sink sink);

  redress::v1::SigningKey GetSigningKey() const;
  absl::StatusOr<redress::v1::ListCheckpointsResponse> ListCheckpoints(
      const redress::v1::ListCheckpointsRequest& req);
  absl::StatusOr<redress::v1::ConsistencyProof> GetConsistencyProof(
      const redress::v1::GetConsistencyProofRequest& req);

  // EraseComplainantData: a complaint mutation (see ComplaintEngine::Mutate).
  void Erase(const RequestContext& ctx, const redress::v1::EraseComplainantDataRequest& req,
             ComplaintEngine::Done done);

  // Erases (or with dry_run lists) every complaint due under the retention
  // period, as the calling principal. Blocks until done.
  absl::StatusOr<redress::v1::SweepRetentionResponse> SweepRetention(
      const RequestContext& ctx, const redress::v1::SweepRetentionRequest& req);

  // "hmac-sha256:<hex>" keyed digest of `value` ("" for "").
  std::string RedactedDigest(const std::string& value) const;

 private:
  store::ComplaintStore* const store_;
  ComplaintEngine* const complaints_;
  CheckpointSealer* const sealer_;
  const domain::Clock* const clock_;
  const Options options_;
};

}  // namespace redress::core

#endif  // REDRESS_SERVER_CORE_AUDIT_ENGINE_H_
