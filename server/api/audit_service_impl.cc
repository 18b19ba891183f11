#include "server/api/audit_service_impl.h"

#include <future>

#include "server/api/request_context.h"
#include "server/api/status_mapping.h"

namespace redress::api {

namespace v1 = redress::v1;

grpc::Status AuditServiceImpl::ExportAuditTrail(
    grpc::ServerContext* ctx, const v1::ExportAuditTrailRequest* req,
    grpc::ServerWriter<v1::ExportAuditTrailResponse>* writer) {
  return ToGrpcStatus(engine_->Export(ContextFrom(*ctx), *req, [&](const auto& item) {
    return !ctx->IsCancelled() && writer->Write(item);
  }));
}

grpc::Status AuditServiceImpl::GetSigningKey(grpc::ServerContext*, const v1::GetSigningKeyRequest*,
                                             v1::SigningKey* resp) {
  *resp = engine_->GetSigningKey();
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListCheckpoints(grpc::ServerContext*,
                                               const v1::ListCheckpointsRequest* req,
                                               v1::ListCheckpointsResponse* resp) {
  auto r = engine_->ListCheckpoints(*req);
  if (r.ok()) *resp = std::move(*r);
  return ToGrpcStatus(r.status());
}

grpc::Status AuditServiceImpl::GetConsistencyProof(grpc::ServerContext*,
                                                   const v1::GetConsistencyProofRequest* req,
                                                   v1::ConsistencyProof* resp) {
  auto r = engine_->GetConsistencyProof(*req);
  if (r.ok()) *resp = std::move(*r);
  return ToGrpcStatus(r.status());
}

grpc::Status AuditServiceImpl::EraseComplainantData(grpc::ServerContext* ctx,
                                                    const v1::EraseComplainantDataRequest* req,
                                                    v1::Complaint* resp) {
  std::promise<absl::StatusOr<v1::Complaint>> p;
  engine_->Erase(ContextFrom(*ctx), *req,
                 [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
  auto r = p.get_future().get();
  if (r.ok()) *resp = std::move(*r);
  return ToGrpcStatus(r.status());
}

grpc::Status AuditServiceImpl::SweepRetention(grpc::ServerContext* ctx,
                                              const v1::SweepRetentionRequest* req,
                                              v1::SweepRetentionResponse* resp) {
  auto r = engine_->SweepRetention(ContextFrom(*ctx), *req);
  if (r.ok()) *resp = std::move(*r);
  return ToGrpcStatus(r.status());
}

}  // namespace redress::api
