#include "server/api/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace redress::api {

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(const GrpcServerOptions& options,
                                                              core::ComplaintEngine* engine,
                                                              core::AuditEngine* audit,
                                                              core::EventFeed* feed) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<GrpcServer> s(new GrpcServer());
  s->service_ = std::make_unique<ComplaintServiceImpl>(engine);

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &s->port_);
  builder.RegisterService(s->service_.get());
  if (audit != nullptr) {
    s->audit_service_ = std::make_unique<AuditServiceImpl>(audit);
    builder.RegisterService(s->audit_service_.get());
  }
  if (feed != nullptr) {
    s->event_service_ = std::make_unique<EventServiceImpl>(feed);
    builder.RegisterService(s->event_service_.get());
  }
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<RequestLogFactory>(options.log_sink));
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
