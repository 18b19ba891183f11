// Thin gRPC adapter for redress.v1.AuditService over core::AuditEngine. Uses
// the synchronous API: the export stream then gets gRPC's flow control for
// free (Write blocks while the client is slow), keeping memory constant.
//
// Thread-safety: stateless apart from the engine pointer.
#ifndef REDRESS_SERVER_API_AUDIT_SERVICE_IMPL_H_
#define REDRESS_SERVER_API_AUDIT_SERVICE_IMPL_H_

#include "redress/v1/audit_service.grpc.pb.h"
#include "server/api/authenticator.h"
#include "server/core/audit_engine.h"

namespace redress::api {

class AuditServiceImpl final : public redress::v1::AuditService::Service {
 public:
  // Not owned; both must outlive the service.
  AuditServiceImpl(core::AuditEngine* engine, Authenticator* auth) : engine_(engine), auth_(auth) {}

  grpc::Status ExportAuditTrail(
      grpc::ServerContext* ctx, const redress::v1::ExportAuditTrailRequest* req,
      grpc::ServerWriter<redress::v1::ExportAuditTrailResponse>* writer) override;
  grpc::Status GetSigningKey(grpc::ServerContext* ctx, const redress::v1::GetSigningKeyRequest* req,
                             redress::v1::SigningKey* resp) override;
  grpc::Status ListCheckpoints(grpc::ServerContext* ctx,
                               const redress::v1::ListCheckpointsRequest* req,
                               redress::v1::ListCheckpointsResponse* resp) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext* ctx,
                                   const redress::v1::GetConsistencyProofRequest* req,
                                   redress::v1::ConsistencyProof* resp) override;
  grpc::Status EraseComplainantData(grpc::ServerContext* ctx,
                                    const redress::v1::EraseComplainantDataRequest* req,
                                    redress::v1::Complaint* resp) override;
  grpc::Status SweepRetention(grpc::ServerContext* ctx,
                              const redress::v1::SweepRetentionRequest* req,
                              redress::v1::SweepRetentionResponse* resp) override;

 private:
  core::AuditEngine* const engine_;
  Authenticator* const auth_;
};

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_AUDIT_SERVICE_IMPL_H_
