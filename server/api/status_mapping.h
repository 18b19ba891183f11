// The one place where absl::Status becomes grpc::Status. Codes map 1:1 (both
// use the canonical google.rpc.Code numbering); the message is kept.
#ifndef REDRESS_SERVER_API_STATUS_MAPPING_H_
#define REDRESS_SERVER_API_STATUS_MAPPING_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace redress::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

// Canonical upper-case name of a gRPC code, e.g. "FAILED_PRECONDITION".
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_STATUS_MAPPING_H_
