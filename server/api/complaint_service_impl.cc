#include "server/api/complaint_service_impl.h"

#include <memory>
#include <string>

#include "server/api/status_mapping.h"

namespace redress::api {
namespace {

namespace v1 = redress::v1;
using domain::Action;

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

template <typename Request>
grpc::ServerUnaryReactor* ComplaintServiceImpl::Mutate(grpc::CallbackServerContext* ctx,
                                                       Action action, const Request& req,
                                                       v1::Complaint* resp) {
  auto* reactor = ctx->DefaultReactor();
  auto rc = auth_->Check(*ctx, kService, domain::Spec(action).rpc);
  if (!rc.ok()) {
    reactor->Finish(ToGrpcStatus(rc.status()));
    return reactor;
  }
  // The context outlives the write: the reactor finishes only in `done`.
  rc->cancelled = [ctx] { return ctx->IsCancelled(); };
  engine_->Mutate(*rc, action, std::make_unique<Request>(req),
                  [reactor, resp](absl::StatusOr<v1::Complaint> result) {
                    if (result.ok()) *resp = std::move(*result);
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

#define REDRESS_MUTATION(Rpc, Request, ActionValue)                                     \
  grpc::ServerUnaryReactor* ComplaintServiceImpl::Rpc(                                  \
      grpc::CallbackServerContext* ctx, const v1::Request* req, v1::Complaint* resp) { \
    return Mutate(ctx, Action::ActionValue, *req, resp);                                \
  }

REDRESS_MUTATION(SubmitComplaint, SubmitComplaintRequest, kSubmit)
REDRESS_MUTATION(AcknowledgeComplaint, AcknowledgeComplaintRequest, kAcknowledge)
REDRESS_MUTATION(AssessComplaint, AssessComplaintRequest, kAssess)
REDRESS_MUTATION(AssignComplaint, AssignComplaintRequest, kAssign)
REDRESS_MUTATION(StartInvestigation, StartInvestigationRequest, kStartInvestigation)
REDRESS_MUTATION(AddComplaintNote, AddComplaintNoteRequest, kAddNote)
REDRESS_MUTATION(EscalateComplaint, EscalateComplaintRequest, kEscalate)
REDRESS_MUTATION(RespondToComplaint, RespondToComplaintRequest, kRespond)
REDRESS_MUTATION(RecordComplainantDecision, RecordComplainantDecisionRequest, kRecordDecision)
REDRESS_MUTATION(OpenDispute, OpenDisputeRequest, kOpenDispute)
REDRESS_MUTATION(ResolveDispute, ResolveDisputeRequest, kResolveDispute)
REDRESS_MUTATION(CloseComplaint, CloseComplaintRequest, kClose)
REDRESS_MUTATION(WithdrawComplaint, WithdrawComplaintRequest, kWithdraw)
REDRESS_MUTATION(ReopenComplaint, ReopenComplaintRequest, kReopen)
REDRESS_MUTATION(RequestInformation, RequestInformationRequest, kRequestInformation)
REDRESS_MUTATION(ReceiveInformation, ReceiveInformationRequest, kReceiveInformation)
REDRESS_MUTATION(SendHoldingResponse, SendHoldingResponseRequest, kSendHoldingResponse)
REDRESS_MUTATION(ExtendDeadline, ExtendDeadlineRequest, kExtendDeadline)
REDRESS_MUTATION(RecomputeDeadlines, RecomputeDeadlinesRequest, kRecomputeDeadlines)
REDRESS_MUTATION(RecordSatisfaction, RecordSatisfactionRequest, kRecordSatisfaction)
#undef REDRESS_MUTATION

grpc::ServerUnaryReactor* ComplaintServiceImpl::GetComplaintStatistics(
    grpc::CallbackServerContext* ctx, const v1::GetComplaintStatisticsRequest* req,
    v1::ComplaintStatistics* resp) {
  auto rc = auth_->Check(*ctx, kService, "GetComplaintStatistics");
  if (!rc.ok()) return FinishWith<v1::ComplaintStatistics>(ctx, rc.status(), resp);
  return FinishWith(ctx, engine_->Statistics(*req, *rc), resp);
}

}  // namespace redress::api
