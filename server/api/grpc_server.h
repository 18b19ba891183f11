// The gRPC server of redressd: ComplaintService, grpc.health.v1 health,
// server reflection, request logging. Used by main.cc and by the API tests
// (listen on port 0 and read port()).
//
// Thread-safety: Shutdown() may be called from any thread, once.
#ifndef REDRESS_SERVER_API_GRPC_SERVER_H_
#define REDRESS_SERVER_API_GRPC_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/api/audit_service_impl.h"
#include "server/api/complaint_service_impl.h"
#include "server/api/event_service_impl.h"
#include "server/api/request_log.h"
#include "server/core/complaint_engine.h"

namespace redress::api {

struct GrpcServerOptions {
  std::string listen = "127.0.0.1:50051";  // host:port; port 0 picks a free one
  // TLS: PEM server certificate chain and key; with client_ca_pem, client
  // certificates are required and verified (mutual TLS). Empty: plaintext.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::string client_ca_pem;
  int max_concurrent_streams = 100;  // per connection
  int max_receive_message_bytes = 4 * 1024 * 1024;
  LogSink log_sink = StderrSink;
};

class GrpcServer {
 public:
  // Starts serving. `auth` and the engines must outlive the server; `audit`
  // and `feed` may be null (service not offered). UNAVAILABLE if the address
  // cannot be bound.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(const GrpcServerOptions& options,
                                                           Authenticator* auth,
                                                           core::ComplaintEngine* engine,
                                                           core::AuditEngine* audit = nullptr,
                                                           core::EventFeed* feed = nullptr);
  ~GrpcServer();

  int port() const { return port_; }

  // Health turns NOT_SERVING, event streams end (UNAVAILABLE: resume
  // elsewhere), new calls are refused, in-flight calls get up to `grace` to
  // finish (then are cancelled). Returns when all are done.
  void Shutdown(absl::Duration grace);

 private:
  GrpcServer() = default;

  std::unique_ptr<ComplaintServiceImpl> service_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<EventServiceImpl> event_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_GRPC_SERVER_H_
