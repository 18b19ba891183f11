#include "server/api/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <vector>

#include "server/api/status_mapping.h"

#include "absl/strings/str_cat.h"

namespace redress::api {

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(const GrpcServerOptions& options,
                                                              Authenticator* auth,
                                                              core::ComplaintEngine* engine,
                                                              core::AuditEngine* audit,
                                                              core::EventFeed* feed) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<GrpcServer> s(new GrpcServer());
  s->service_ = std::make_unique<ComplaintServiceImpl>(engine, auth);

  std::shared_ptr<grpc::ServerCredentials> creds = grpc::InsecureServerCredentials();
  if (!options.tls_cert_pem.empty()) {
    grpc::SslServerCredentialsOptions ssl(
        options.client_ca_pem.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                      : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = options.client_ca_pem;
    ssl.pem_key_cert_pairs.push_back({options.tls_key_pem, options.tls_cert_pem});
    creds = grpc::SslServerCredentials(ssl);
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, creds, &s->port_);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  builder.RegisterService(s->service_.get());
  if (audit != nullptr) {
    s->audit_service_ = std::make_unique<AuditServiceImpl>(audit, auth);
    builder.RegisterService(s->audit_service_.get());
  }
  if (feed != nullptr) {
    s->event_service_ = std::make_unique<EventServiceImpl>(feed, auth);
    builder.RegisterService(s->event_service_.get());
  }
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // Order matters: the status is fixed before it is logged.
  interceptors.push_back(std::make_unique<RequestLogFactory>(options.log_sink));
  interceptors.push_back(std::make_unique<ParseFailureStatusFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  s->server_ = builder.BuildAndStart();
  if (!s->server_ || s->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  auto* health = s->server_->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(redress::v1::ComplaintService::service_full_name(), true);
  if (audit != nullptr) {
    health->SetServingStatus(redress::v1::AuditService::service_full_name(), true);
  }
  if (feed != nullptr) {
    health->SetServingStatus(redress::v1::EventService::service_full_name(), true);
  }
  return s;
}

GrpcServer::~GrpcServer() { Shutdown(absl::Seconds(5)); }

void GrpcServer::Shutdown(absl::Duration grace) {
  if (shut_down_ || !server_) return;
  shut_down_ = true;
  server_->GetHealthCheckService()->SetServingStatus(false);
  if (event_service_) event_service_->StopAll();
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  server_->Wait();
}

}  // namespace redress::api
