// Thin gRPC adapter for redress.v1.ComplaintService (callback API): unpack
// the call, take the actor from metadata, call the engine, map the status.
// No business logic lives here. The read-only RPCs are overridden one by one;
// the mutating RPCs (every RPC whose (redress.v1.action) declaration names an
// event type) share one handler registered from the descriptor, so a new
// action needs no change here (docs/how-to-add-action.md).
//
// Thread-safety: stateless apart from the engine pointer; gRPC calls the
// handlers concurrently.
#ifndef REDRESS_SERVER_API_COMPLAINT_SERVICE_IMPL_H_
#define REDRESS_SERVER_API_COMPLAINT_SERVICE_IMPL_H_

#include "grpcpp/support/byte_buffer.h"
#include "redress/v1/complaint_service.grpc.pb.h"
#include "server/api/authenticator.h"
#include "server/api/request_context.h"
#include "server/core/complaint_engine.h"
#include "server/domain/lifecycle.h"

namespace redress::api {

class ComplaintServiceImpl final : public redress::v1::ComplaintService::CallbackService {
 public:
  // Not owned; both must outlive the service. Registers the handler of every
  // mutating RPC from the service's descriptor (see Mutate()).
  ComplaintServiceImpl(core::ComplaintEngine* engine, Authenticator* auth);

  grpc::ServerUnaryReactor* GetComplaint(grpc::CallbackServerContext* ctx,
                                         const redress::v1::GetComplaintRequest* req,
                                         redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* ListComplaints(grpc::CallbackServerContext* ctx,
                                           const redress::v1::ListComplaintsRequest* req,
                                           redress::v1::ListComplaintsResponse* resp) override;
  grpc::ServerUnaryReactor* ListComplaintEvents(
      grpc::CallbackServerContext* ctx, const redress::v1::ListComplaintEventsRequest* req,
      redress::v1::ListComplaintEventsResponse* resp) override;
  grpc::ServerUnaryReactor* GetComplaintStatistics(
      grpc::CallbackServerContext* ctx, const redress::v1::GetComplaintStatisticsRequest* req,
      redress::v1::ComplaintStatistics* resp) override;

 private:
  // The handler of every mutating RPC: a raw (serialized) handler, one per
  // ActionSpec of this service, registered by the constructor in place of
  // the generated typed one. It parses the request into the action's
  // request type as the generated handler would (a malformed message gets
  // MalformedRequestStatus(), as ParseFailureStatusFactory answers it there),
  // authorizes the call, runs the action and serializes the updated Complaint.
  grpc::ServerUnaryReactor* Mutate(grpc::CallbackServerContext* ctx,
                                   const domain::ActionSpec& spec, const grpc::ByteBuffer* raw,
                                   grpc::ByteBuffer* resp);

  core::ComplaintEngine* const engine_;
  Authenticator* const auth_;
};

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_COMPLAINT_SERVICE_IMPL_H_
