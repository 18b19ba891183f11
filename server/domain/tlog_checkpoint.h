// C2SP transparency-log checkpoints (c2sp.org/tlog-checkpoint): the body of
// the signed note a log publishes,
//
//   <origin>\n<tree size, decimal>\n<base64 RFC 6962 root hash>\n[<extension>\n]*
//
// Specification: c2sp.org/tlog-checkpoint (C2SP/C2SP tlog-checkpoint.md).
// Pure functions; thread-safe.
#ifndef REDRESS_SERVER_DOMAIN_TLOG_CHECKPOINT_H_
#define REDRESS_SERVER_DOMAIN_TLOG_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace redress::domain {

struct TlogCheckpoint {
  std::string origin;     // e.g. "complaints.example.com/redress"
  uint64_t tree_size = 0;
  std::string root_hash;  // 32 raw bytes
  std::vector<std::string> extensions;  // extra lines, without "\n"
};

// An origin: 1-255 bytes of printable ASCII (space allowed inside, not at
// either end), as the first line of a checkpoint must be one line.
bool IsValidLogOrigin(absl::string_view origin);

// The body. `c` must be valid (origin, 32-byte root, extensions without
// "\n" and non-empty).
std::string FormatTlogCheckpoint(const TlogCheckpoint& c);

// Parses a body (a signed note's text). INVALID_ARGUMENT naming the line
// that is wrong: the origin, a tree size that is not a canonical decimal
// (no sign, no leading zero), a root that is not the padded base64 of 32
// bytes, an empty extension line, or a body not ending in "\n".
absl::StatusOr<TlogCheckpoint> ParseTlogCheckpoint(absl::string_view body);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_TLOG_CHECKPOINT_H_
