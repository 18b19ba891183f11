// Writing an AuditService.ExportAuditTrail stream to a file
// (compliance-docs/audit-trail.md §7): JSON Lines "redress-audit-trail/1"
// (verifiable) or CSV (spreadsheets only). Each writer handles one stream
// item at a time, so memory is constant. Also the request builders of the
// audit commands. Pure apart from the ostream.
#ifndef REDRESS_CLIENTS_CLI_AUDIT_EXPORT_H_
#define REDRESS_CLIENTS_CLI_AUDIT_EXPORT_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/cli/flags.h"
#include "redress/v1/audit_service.pb.h"

namespace redress::cli {

enum class ExportFormat { kJsonl, kCsv };

// The JSON object written as the header's "filter": the request's filter
// fields in protobuf JSON with proto field names ({} when unfiltered).
std::string ExportFilterJson(const redress::v1::ExportAuditTrailRequest& request);

// RFC 3339 UTC with microseconds when not whole seconds.
std::string Rfc3339Micros(int64_t unix_micros);

class ExportWriter {
 public:
  virtual ~ExportWriter() = default;
  // One stream item, in stream order. FAILED_PRECONDITION when the stream
  // does not start with a header or repeats it.
  virtual absl::Status Add(const redress::v1::ExportAuditTrailResponse& item) = 0;
  // After the last item (JSON Lines: writes the footer).
  virtual absl::Status Finish() = 0;

  int64_t events() const { return events_; }
  int64_t complaints() const { return complaints_; }
  int64_t checkpoints() const { return checkpoints_; }

 protected:
  int64_t events_ = 0;
  int64_t complaints_ = 0;
  int64_t checkpoints_ = 0;
};

// JSON Lines exactly as §7: header, events, complainants, checkpoints with
// their consistency proofs, footer with the counts.
class JsonlExportWriter final : public ExportWriter {
 public:
  // GetConsistencyProof(first, second).
  using ProofFetcher =
      std::function<absl::StatusOr<redress::v1::ConsistencyProof>(int64_t, int64_t)>;

  JsonlExportWriter(std::ostream& out, std::string filter_json, bool include_personal_data)
      : out_(out), filter_json_(std::move(filter_json)),
        include_personal_data_(include_personal_data) {}
  // Adds, after the last checkpoint, a consistency record from the
  // checkpoint of size `first` (inserting that checkpoint, oldest first, if
  // the stream did not carry it). Checkpoints are then held until Finish().
  void AddConsistencyFrom(int64_t first, ProofFetcher fetch) {
    consistency_from_ = first;
    fetch_ = std::move(fetch);
  }
  absl::Status Add(const redress::v1::ExportAuditTrailResponse& item) override;
  absl::Status Finish() override;

 private:
  void Line(const std::string& json);
  void WriteCheckpoint(const redress::v1::SignedCheckpoint& c);
  void WriteConsistency(const redress::v1::ConsistencyProof& c);
  int64_t consistency_from_ = 0;  // 0: none
  ProofFetcher fetch_;
  std::vector<redress::v1::SignedCheckpoint> held_;
  std::ostream& out_;
  const std::string filter_json_;
  const bool include_personal_data_;
  bool header_seen_ = false;
  bool complete_ = true;
  int64_t lines_ = 0;
};

// CSV: a header row, then one row per event (RFC 4180, CRLF line ends).
class CsvExportWriter final : public ExportWriter {
 public:
  explicit CsvExportWriter(std::ostream& out) : out_(out) {}
  absl::Status Add(const redress::v1::ExportAuditTrailResponse& item) override;
  absl::Status Finish() override;

 private:
  std::ostream& out_;
  bool header_seen_ = false;
};

// RFC 4180 field: quoted (with "" for ") when it holds , " CR or LF.
std::string CsvField(const std::string& s);

// Request builders (usage errors name the flag).
absl::StatusOr<redress::v1::ExportAuditTrailRequest> BuildExportRequest(const Invocation& inv);
absl::StatusOr<ExportFormat> ExportFormatFlag(const Invocation& inv);
absl::StatusOr<redress::v1::EraseComplainantDataRequest> BuildEraseRequest(const Invocation& inv);
absl::StatusOr<redress::v1::SweepRetentionRequest> BuildSweepRequest(const Invocation& inv);
absl::StatusOr<redress::v1::ListCheckpointsRequest> BuildListCheckpointsRequest(
    const Invocation& inv);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_AUDIT_EXPORT_H_
