#include "server/api/audit_service_impl.h"

#include <future>

#include "server/api/status_mapping.h"

namespace redress::api {

namespace v1 = redress::v1;

namespace {
constexpr char kService[] = "redress.v1.AuditService";
}  // namespace

// Authenticates and authorizes the call or returns its error status.
#define REDRESS_AUTHORIZE(rc, ctx, rpc)                        \
  auto rc = auth_->Check(*(ctx), kService, rpc);               \
  if (!rc.ok()) return ToGrpcStatus(rc.status())

grpc::Status AuditServiceImpl::ExportAuditTrail(
    grpc::ServerContext* ctx, const v1::ExportAuditTrailRequest* req,
    grpc::ServerWriter<v1::ExportAuditTrailResponse>* writer) {
  REDRESS_AUTHORIZE(rc, ctx, "ExportAuditTrail");
  // buffer_hint lets gRPC coalesce records into fewer, larger writes (one
  // sendmsg per record was a third of the export's CPU); returning the status
  // flushes what is buffered. Never on the first write: that one carries the
  // initial metadata, and a hinted first write never completes (grpc/grpc#12975).
  const grpc::WriteOptions buffered = grpc::WriteOptions().set_buffer_hint();
  bool first = true;
  return ToGrpcStatus(engine_->Export(*rc, *req, [&](const auto& item) {
    if (ctx->IsCancelled()) return false;
    const bool ok = first ? writer->Write(item) : writer->Write(item, buffered);
    first = false;
    return ok;
  }));
}

grpc::Status AuditServiceImpl::GetSigningKey(grpc::ServerContext* ctx, const v1::GetSigningKeyRequest*,
                                             v1::SigningKey* resp) {
  REDRESS_AUTHORIZE(rc, ctx, "GetSigningKey");
  *resp = engine_->GetSigningKey();
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListCheckpoints(grpc::ServerContext* ctx,
                                               const v1::ListCheckpointsRequest* req,
                                               v1::ListCheckpointsResponse* resp) {
  REDRESS_AUTHORIZE(rc, ctx, "ListCheckpoints");
  auto r = engine_->ListCheckpoints(*req);
  if (r.ok()) *resp = std::move(*r);
  return ToGrpcStatus(r.status());
}

grpc::Status AuditServiceImpl::GetConsistencyProof(grpc::ServerContext* ctx,
                                                   const v1::GetConsistencyProofRequest* req,
                                                   v1::ConsistencyProof* resp) {
  REDRESS_AUTHORIZE(rc, ctx, "GetConsistencyProof");
  auto r = engine_->GetConsistencyProof(*req);
  if (r.ok()) *resp = std::move(*r);
  return ToGrpcStatus(r.status());
}

grpc::Status AuditServiceImpl::EraseComplainantData(grpc::ServerContext* ctx,
                                                    const v1::EraseComplainantDataRequest* req,
                                                    v1::Complaint* resp) {
  REDRESS_AUTHORIZE(rc, ctx, "EraseComplainantData");
  std::promise<absl::StatusOr<v1::Complaint>> p;
  engine_->Erase(*rc, *req,
                 [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
  auto r = p.get_future().get();
  if (r.ok()) *resp = std::move(*r);
  return ToGrpcStatus(r.status());
}

grpc::Status AuditServiceImpl::SweepRetention(grpc::ServerContext* ctx,
                                              const v1::SweepRetentionRequest* req,
                                              v1::SweepRetentionResponse* resp) {
  REDRESS_AUTHORIZE(rc, ctx, "SweepRetention");
  auto r = engine_->SweepRetention(*rc, *req);
  if (r.ok()) *resp = std::move(*r);
  return ToGrpcStatus(r.status());
}

}  // namespace redress::api
