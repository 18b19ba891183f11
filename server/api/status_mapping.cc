#include "server/api/status_mapping.h"

#include <string>

#include "google/protobuf/descriptor.h"

namespace redress::api {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int code = static_cast<int>(status.code());
  // Both enumerations are google.rpc.Code; anything outside it is INTERNAL.
  const grpc::StatusCode grpc_code = (code > 0 && code <= grpc::StatusCode::UNAUTHENTICATED)
                                         ? static_cast<grpc::StatusCode>(code)
                                         : grpc::StatusCode::INTERNAL;
  return grpc::Status(grpc_code, std::string(status.message()));
}

const char* StatusCodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {
      "OK",           "CANCELLED",          "UNKNOWN",           "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND",     "ALREADY_EXISTS",    "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",    "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",          "UNAVAILABLE",       "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return (i >= 0 && i <= 16) ? kNames[i] : "UNKNOWN";
}

namespace {

// True if `path` ("/pkg.Service/Method") names a method of a linked service.
bool IsKnownMethod(const char* path) {
  if (path == nullptr || path[0] != '/') return false;
  const std::string p(path + 1);
  const size_t slash = p.find('/');
  if (slash == std::string::npos) return false;
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(p.substr(0, slash));
  return service != nullptr && service->FindMethodByName(p.substr(slash + 1)) != nullptr;
}

class ParseFailureStatus : public grpc::experimental::Interceptor {
 public:
  explicit ParseFailureStatus(bool known_method) : known_method_(known_method) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status st = methods->GetSendStatus();
      // Sync handlers report a parse failure as INTERNAL without a message,
      // callback handlers as UNIMPLEMENTED (for a method that does exist).
      if ((st.error_code() == grpc::StatusCode::INTERNAL && st.error_message().empty()) ||
          (st.error_code() == grpc::StatusCode::UNIMPLEMENTED && known_method_)) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            "the request is not a valid encoding of the method's message (truncated bytes, "
            "wrong wire types or invalid UTF-8 in a string)"));
      }
    }
    methods->Proceed();
  }

 private:
  const bool known_method_;
};

}  // namespace

grpc::experimental::Interceptor* ParseFailureStatusFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ParseFailureStatus(IsKnownMethod(info->method()));
}

}  // namespace redress::api
