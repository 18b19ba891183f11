// One structured (JSON) log line per RPC: time, method, status code and
// duration. Deliberately nothing from the request or its metadata, so no
// personal data or credentials can reach the log.
//
// Thread-safety: the sink is called concurrently from gRPC threads; the
// default sink writes each line with one write(2) to stderr.
#ifndef REDRESS_SERVER_API_REQUEST_LOG_H_
#define REDRESS_SERVER_API_REQUEST_LOG_H_

#include <grpcpp/support/server_interceptor.h>

#include <functional>
#include <memory>
#include <string>

namespace redress::api {

using LogSink = std::function<void(const std::string& line)>;

// Writes `line` plus a newline to stderr atomically.
void StderrSink(const std::string& line);

// Logs a non-request line as JSON {"time":..,"level":..,"msg":..}.
void LogEvent(const LogSink& sink, const char* level, const std::string& msg);

class RequestLogFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RequestLogFactory(LogSink sink) : sink_(std::move(sink)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  LogSink sink_;
};

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_REQUEST_LOG_H_
