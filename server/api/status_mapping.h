// The one place where absl::Status becomes grpc::Status. Codes map 1:1 (both
// use the canonical google.rpc.Code numbering); the message is kept.
//
// Machine-readable details (AIP-193): an INVALID_ARGUMENT that names a
// request field carries, in the `grpc-status-details-bin` trailer, a
// serialized google.rpc.Status {code, message, details: [Any(google.rpc.BadRequest
// {field_violations: [{field, description}]})]}. The violation comes from the
// payload set by domain::InvalidField (server/domain/field_violation.h); an
// INVALID_ARGUMENT without one whose message follows the "<field.path>: <reason>"
// convention (errors made outside the domain, e.g. page_token) gets a
// violation parsed from the message. Other codes carry no details.
#ifndef REDRESS_SERVER_API_STATUS_MAPPING_H_
#define REDRESS_SERVER_API_STATUS_MAPPING_H_

#include <optional>
#include <string>
#include <utility>

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace redress::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The field violation ToGrpcStatus reports for `status` as {field,
// description}, or nullopt (see above). Exposed for tests.
std::optional<std::pair<std::string, std::string>> FieldViolationOf(const absl::Status& status);

// Canonical upper-case name of a gRPC code, e.g. "FAILED_PRECONDITION".
const char* StatusCodeName(grpc::StatusCode code);

// INVALID_ARGUMENT for a request whose bytes do not parse as the method's
// message: what ParseFailureStatusFactory answers instead of gRPC's INTERNAL,
// and what a handler that parses the request itself returns.
grpc::Status MalformedRequestStatus();

// gRPC answers a request whose bytes do not parse as the method's message
// (truncated, wrong wire types, invalid UTF-8 in a string) with INTERNAL and
// no message before any handler runs. That is the caller's error: this
// interceptor turns it into INVALID_ARGUMENT with an explanation. (Our own
// INTERNAL errors always carry a message and are left alone.)
class ParseFailureStatusFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_STATUS_MAPPING_H_
