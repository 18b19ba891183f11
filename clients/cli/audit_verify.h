// Offline verification of an audit-trail export (JSON Lines,
// "redress-audit-trail/1"), compliance-docs/audit-trail.md §7-§8, and of one
// export extending another (`redressctl audit verify-consistency`).
//
// The file is read twice, line by line; memory holds per-complaint chain
// state (last sequence and hash), the checkpoints' sizes and roots, a
// MerkleAccumulator, and the problems found -- never the events.
//
// Every problem is "line N (LABEL): WHAT", LABEL being the event's name
// (complaints/ID/events/SEQ) or the record ("header", "checkpoint 12",
// "end of file", ...). The exact checks, their order and their messages are
// listed in compliance-docs/auditor-guide.md; clients/python/redress_verify.py
// implements the same list independently and must print the same lines.
#ifndef REDRESS_CLIENTS_CLI_AUDIT_VERIFY_H_
#define REDRESS_CLIENTS_CLI_AUDIT_VERIFY_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace redress::cli {

struct VerifiedCheckpoint {
  int64_t line = 0;
  uint64_t tree_size = 0;
  std::string root_raw;  // 32 bytes
};

struct ExportVerification {
  // In line order ("line N (LABEL): WHAT").
  std::vector<std::string> problems;
  int64_t events = 0;      // event records read
  int64_t complaints = 0;  // distinct complaints among well-formed events
  // Well-formed checkpoint records, in file order.
  std::vector<VerifiedCheckpoint> checkpoints;
  // (first, second) of every consistency record whose proof verified.
  std::vector<std::pair<uint64_t, uint64_t>> consistency_links;
  bool complete = true;  // from the header (true when it is unusable)
  // For complete exports: MTH of the first n events for each n asked for
  // (and not above the number of events).
  std::map<uint64_t, std::string> prefix_roots;

  bool ok() const { return problems.empty(); }
  // "verified: 3 events, 1 complaint, 2 checkpoints: OK" or
  // "FAILED: 2 problems (3 events, 1 complaint, 2 checkpoints)".
  std::string Summary() const;
};

// Verifies the export at `path` against the raw 32-byte Ed25519 key.
// `prefix_sizes`: tree sizes whose roots to report in prefix_roots.
// An error status only when the file cannot be read.
absl::StatusOr<ExportVerification> VerifyExportFile(const std::string& path,
                                                    absl::string_view raw_public_key,
                                                    const std::vector<uint64_t>& prefix_sizes = {});

// `--public-key` argument: the key text ("ed25519:<base64>") or the path of
// a file holding it. Returns the raw 32 bytes; INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> LoadPublicKeyArgument(const std::string& arg);

// `redressctl audit verify FILE`: prints the problems and the summary to
// `out`; returns 0 if the export verifies, 1 if not, 2 if it cannot be read.
int RunAuditVerify(const std::string& path, absl::string_view raw_public_key, std::ostream& out,
                   std::ostream& err);

// `redressctl audit verify-consistency OLD NEW`: verifies both exports and
// that NEW's last checkpoint extends OLD's last checkpoint. Output lines are
// prefixed with the file path; link problems with "link: ". Same exit codes.
int RunAuditVerifyConsistency(const std::string& old_path, const std::string& new_path,
                              absl::string_view raw_public_key, std::ostream& out,
                              std::ostream& err);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_AUDIT_VERIFY_H_
