#include "server/api/request_log.h"

#include <unistd.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/api/status_mapping.h"

namespace redress::api {
namespace {

std::string NowRfc3339() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone());
}

// Minimal JSON string escaping for our own messages.
std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

class RequestLogInterceptor : public grpc::experimental::Interceptor {
 public:
  RequestLogInterceptor(const LogSink* sink, const char* method)
      : sink_(sink), method_(method ? method : "?"), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status st = methods->GetSendStatus();
      const double ms = std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start_).count();
      (*sink_)(absl::StrFormat(
          "{\"time\":\"%s\",\"level\":\"info\",\"msg\":\"rpc\",\"method\":\"%s\",\"code\":\"%s\","
          "\"duration_ms\":%.3f}",
          NowRfc3339(), JsonEscape(method_), StatusCodeName(st.error_code()), ms));
    }
    methods->Proceed();
  }

 private:
  const LogSink* sink_;
  std::string method_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

void StderrSink(const std::string& line) {
  const std::string l = line + "\n";
  ssize_t unused = ::write(2, l.data(), l.size());
  (void)unused;
}

void LogEvent(const LogSink& sink, const char* level, const std::string& msg) {
  sink(absl::StrFormat("{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"}", NowRfc3339(), level,
                       JsonEscape(msg)));
}

grpc::experimental::Interceptor* RequestLogFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RequestLogInterceptor(&sink_, info->method());
}

}  // namespace redress::api
