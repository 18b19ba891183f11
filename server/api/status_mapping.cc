#include "server/api/status_mapping.h"

#include <string>

#include "google/protobuf/descriptor.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/domain/field_violation.h"

namespace redress::api {
namespace {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// Length of the AIP-193 field path at the start of `m` followed by ": ", or 0.
// A path is ident ( "[" ... "]" )* ( "." ident ( "[" ... "]" )* )*, idents
// being lower-case snake_case, e.g. "complaint.labels[team]" or
// "complaints[3]".
size_t FieldPathPrefix(absl::string_view m) {
  size_t i = 0;
  for (;;) {
    if (i >= m.size() || !IsIdentStart(m[i])) return 0;
    while (i < m.size() && IsIdentChar(m[i])) ++i;
    while (i < m.size() && m[i] == '[') {
      const size_t close = m.find(']', i);
      if (close == absl::string_view::npos || close == i + 1) return 0;
      i = close + 1;
    }
    if (i < m.size() && m[i] == '.') {
      ++i;
      continue;
    }
    break;
  }
  return m.substr(i, 2) == ": " ? i : 0;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> FieldViolationOf(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return std::nullopt;
  if (auto v = domain::GetFieldViolation(status)) {
    return std::make_pair(std::move(v->field), std::move(v->description));
  }
  const absl::string_view m = status.message();
  const size_t n = FieldPathPrefix(m);
  if (n == 0) return std::nullopt;
  return std::make_pair(std::string(m.substr(0, n)), std::string(m.substr(n + 2)));
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int code = static_cast<int>(status.code());
  // Both enumerations are google.rpc.Code; anything outside it is INTERNAL.
  const grpc::StatusCode grpc_code = (code > 0 && code <= grpc::StatusCode::UNAUTHENTICATED)
                                         ? static_cast<grpc::StatusCode>(code)
                                         : grpc::StatusCode::INTERNAL;
  std::string message(status.message());
  auto violation = FieldViolationOf(status);
  if (!violation.has_value()) return grpc::Status(grpc_code, std::move(message));
  google::rpc::BadRequest bad_request;
  auto* fv = bad_request.add_field_violations();
  fv->set_field(std::move(violation->first));
  fv->set_description(std::move(violation->second));
  google::rpc::Status details;
  details.set_code(grpc_code);
  details.set_message(message);
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(grpc_code, std::move(message), details.SerializeAsString());
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
        methods->ModifySendStatus(MalformedRequestStatus());
      }
    }
    methods->Proceed();
  }

 private:
  const bool known_method_;
};

}  // namespace

grpc::Status MalformedRequestStatus() {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      "the request is not a valid encoding of the method's message (truncated "
                      "bytes, wrong wire types or invalid UTF-8 in a string)");
}

grpc::experimental::Interceptor* ParseFailureStatusFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ParseFailureStatus(IsKnownMethod(info->method()));
}

}  // namespace redress::api
