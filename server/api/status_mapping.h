// The one place where absl::Status becomes grpc::Status. Codes map 1:1 (both
// use the canonical google.rpc.Code numbering); the message is kept.
#ifndef REDRESS_SERVER_API_STATUS_MAPPING_H_
#define REDRESS_SERVER_API_STATUS_MAPPING_H_

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace redress::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

// Canonical upper-case name of a gRPC code, e.g. "FAILED_PRECONDITION".
const char* StatusCodeName(grpc::StatusCode code);

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
