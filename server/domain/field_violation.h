// A request-field violation attached to an absl::Status, so that the API
// layer can report it in machine-readable form (google.rpc.BadRequest in the
// grpc-status-details-bin trailer, see server/api/status_mapping.h) without
// the domain knowing about gRPC or google.rpc types.
//
// InvalidField("complaint.complainant.email", "not an e-mail address") is
//   INVALID_ARGUMENT "complaint.complainant.email: not an e-mail address"
// with a payload under kFieldViolationPayloadUrl holding the field path and
// the description. Pure functions, thread-safe.
#ifndef REDRESS_SERVER_DOMAIN_FIELD_VIOLATION_H_
#define REDRESS_SERVER_DOMAIN_FIELD_VIOLATION_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace redress::domain {

// The payload key. The value is "<field>\0<description>" (field paths never
// hold NUL: InvalidField replaces one by '?').
inline constexpr absl::string_view kFieldViolationPayloadUrl =
    "type.redress.dev/redress.domain.FieldViolation";

struct FieldViolation {
  std::string field;        // AIP-193 path, e.g. "complaint.attachments[2].sha256"
  std::string description;  // why, e.g. "must be 64 lower-case hex characters"
};

// INVALID_ARGUMENT "<field>: <description>" carrying the violation. `field`
// must not be empty (an empty one is reported as "request").
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// The violation attached by InvalidField, or nullopt (OK status, other
// codes, no or malformed payload).
std::optional<FieldViolation> GetFieldViolation(const absl::Status& status);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_FIELD_VIOLATION_H_
