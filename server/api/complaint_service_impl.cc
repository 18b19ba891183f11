#include "server/api/complaint_service_impl.h"

#include <memory>
#include <string>

#include "google/protobuf/message.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "server/api/status_mapping.h"

namespace redress::api {
namespace {

namespace v1 = redress::v1;

constexpr char kService[] = "redress.v1.ComplaintService";

template <typename Response>
grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* ctx,
                                     absl::StatusOr<Response> result, Response* resp) {
  auto* reactor = ctx->DefaultReactor();
  if (result.ok()) *resp = std::move(*result);
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace

ComplaintServiceImpl::ComplaintServiceImpl(core::ComplaintEngine* engine, Authenticator* auth)
    : engine_(engine), auth_(auth) {
  // The generated base class added the methods in descriptor order; replace
  // the typed handler of each mutating one by the shared raw handler.
  const google::protobuf::ServiceDescriptor* service =
      v1::SubmitComplaintRequest::descriptor()->file()->FindServiceByName("ComplaintService");
  for (int i = 0; i < service->method_count(); ++i) {
    const domain::ActionSpec* spec = domain::FindAction(kService, service->method(i)->name());
    if (spec == nullptr) continue;  // read-only: overridden below
    MarkMethodRawCallback(
        i, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
               [this, spec](grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* raw,
                            grpc::ByteBuffer* resp) { return Mutate(ctx, *spec, raw, resp); }));
  }
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::Mutate(grpc::CallbackServerContext* ctx,
                                                       const domain::ActionSpec& spec,
                                                       const grpc::ByteBuffer* raw,
                                                       grpc::ByteBuffer* resp) {
  auto* reactor = ctx->DefaultReactor();
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(spec.request)->New());
  // What the generated handler does before calling a typed method; a
  // failure is answered as ParseFailureStatusFactory answers it there.
  grpc::ByteBuffer buffer(*raw);
  if (!grpc::SerializationTraits<google::protobuf::Message>::Deserialize(&buffer, request.get())
           .ok()) {
    reactor->Finish(MalformedRequestStatus());
    return reactor;
  }
  auto rc = auth_->Check(*ctx, spec.service, spec.rpc);
  if (!rc.ok()) {
    reactor->Finish(ToGrpcStatus(rc.status()));
    return reactor;
  }
  // The context outlives the write: the reactor finishes only in `done`.
  rc->cancelled = [ctx] { return ctx->IsCancelled(); };
  engine_->Mutate(*rc, spec.action, std::move(request),
                  [reactor, resp](absl::StatusOr<v1::Complaint> result) {
                    if (result.ok()) {
                      bool own_buffer = false;
                      grpc::Status st = grpc::SerializationTraits<v1::Complaint>::Serialize(
                          *result, resp, &own_buffer);
                      if (!st.ok()) {
                        reactor->Finish(st);
                        return;
                      }
                    }
                    reactor->Finish(ToGrpcStatus(result.status()));
                  });
  return reactor;
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::GetComplaint(grpc::CallbackServerContext* ctx,
                                                             const v1::GetComplaintRequest* req,
                                                             v1::Complaint* resp) {
  auto rc = auth_->Check(*ctx, kService, "GetComplaint");
  if (!rc.ok()) return FinishWith<v1::Complaint>(ctx, rc.status(), resp);
  return FinishWith(ctx, engine_->Get(*req, *rc), resp);
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::ListComplaints(
    grpc::CallbackServerContext* ctx, const v1::ListComplaintsRequest* req,
    v1::ListComplaintsResponse* resp) {
  auto rc = auth_->Check(*ctx, kService, "ListComplaints");
  if (!rc.ok()) return FinishWith<v1::ListComplaintsResponse>(ctx, rc.status(), resp);
  return FinishWith(ctx, engine_->List(*req, *rc), resp);
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::ListComplaintEvents(
    grpc::CallbackServerContext* ctx, const v1::ListComplaintEventsRequest* req,
    v1::ListComplaintEventsResponse* resp) {
  auto rc = auth_->Check(*ctx, kService, "ListComplaintEvents");
  if (!rc.ok()) return FinishWith<v1::ListComplaintEventsResponse>(ctx, rc.status(), resp);
  return FinishWith(ctx, engine_->ListEvents(*req, *rc), resp);
}


grpc::ServerUnaryReactor* ComplaintServiceImpl::GetComplaintStatistics(
    grpc::CallbackServerContext* ctx, const v1::GetComplaintStatisticsRequest* req,
    v1::ComplaintStatistics* resp) {
  auto rc = auth_->Check(*ctx, kService, "GetComplaintStatistics");
  if (!rc.ok()) return FinishWith<v1::ComplaintStatistics>(ctx, rc.status(), resp);
  return FinishWith(ctx, engine_->Statistics(*req, *rc), resp);
}

}  // namespace redress::api
