// Thin gRPC adapter for redress.v1.ComplaintService (callback API): unpack
// the call, take the actor from metadata, call the engine, map the status.
// No business logic lives here.
//
// Thread-safety: stateless apart from the engine pointer; gRPC calls the
// handlers concurrently.
#ifndef REDRESS_SERVER_API_COMPLAINT_SERVICE_IMPL_H_
#define REDRESS_SERVER_API_COMPLAINT_SERVICE_IMPL_H_

#include "redress/v1/complaint_service.grpc.pb.h"
#include "server/api/authenticator.h"
#include "server/api/request_context.h"
#include "server/core/complaint_engine.h"

namespace redress::api {

class ComplaintServiceImpl final : public redress::v1::ComplaintService::CallbackService {
 public:
  // Not owned; both must outlive the service.
  ComplaintServiceImpl(core::ComplaintEngine* engine, Authenticator* auth)
      : engine_(engine), auth_(auth) {}

  grpc::ServerUnaryReactor* SubmitComplaint(grpc::CallbackServerContext* ctx,
                                            const redress::v1::SubmitComplaintRequest* req,
                                            redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* GetComplaint(grpc::CallbackServerContext* ctx,
                                         const redress::v1::GetComplaintRequest* req,
                                         redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* ListComplaints(grpc::CallbackServerContext* ctx,
                                           const redress::v1::ListComplaintsRequest* req,
                                           redress::v1::ListComplaintsResponse* resp) override;
  grpc::ServerUnaryReactor* ListComplaintEvents(
      grpc::CallbackServerContext* ctx, const redress::v1::ListComplaintEventsRequest* req,
      redress::v1::ListComplaintEventsResponse* resp) override;
  grpc::ServerUnaryReactor* AcknowledgeComplaint(
      grpc::CallbackServerContext* ctx, const redress::v1::AcknowledgeComplaintRequest* req,
      redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* AssessComplaint(grpc::CallbackServerContext* ctx,
                                            const redress::v1::AssessComplaintRequest* req,
                                            redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* AssignComplaint(grpc::CallbackServerContext* ctx,
                                            const redress::v1::AssignComplaintRequest* req,
                                            redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* StartInvestigation(grpc::CallbackServerContext* ctx,
                                               const redress::v1::StartInvestigationRequest* req,
                                               redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* AddComplaintNote(grpc::CallbackServerContext* ctx,
                                             const redress::v1::AddComplaintNoteRequest* req,
                                             redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* EscalateComplaint(grpc::CallbackServerContext* ctx,
                                              const redress::v1::EscalateComplaintRequest* req,
                                              redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* RespondToComplaint(grpc::CallbackServerContext* ctx,
                                               const redress::v1::RespondToComplaintRequest* req,
                                               redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* RecordComplainantDecision(
      grpc::CallbackServerContext* ctx, const redress::v1::RecordComplainantDecisionRequest* req,
      redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* OpenDispute(grpc::CallbackServerContext* ctx,
                                        const redress::v1::OpenDisputeRequest* req,
                                        redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* ResolveDispute(grpc::CallbackServerContext* ctx,
                                           const redress::v1::ResolveDisputeRequest* req,
                                           redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* CloseComplaint(grpc::CallbackServerContext* ctx,
                                           const redress::v1::CloseComplaintRequest* req,
                                           redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* WithdrawComplaint(grpc::CallbackServerContext* ctx,
                                              const redress::v1::WithdrawComplaintRequest* req,
                                              redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* ReopenComplaint(grpc::CallbackServerContext* ctx,
                                            const redress::v1::ReopenComplaintRequest* req,
                                            redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* RequestInformation(grpc::CallbackServerContext* ctx,
                               const redress::v1::RequestInformationRequest* req,
                               redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* ReceiveInformation(grpc::CallbackServerContext* ctx,
                               const redress::v1::ReceiveInformationRequest* req,
                               redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* SendHoldingResponse(grpc::CallbackServerContext* ctx,
                               const redress::v1::SendHoldingResponseRequest* req,
                               redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* ExtendDeadline(grpc::CallbackServerContext* ctx,
                               const redress::v1::ExtendDeadlineRequest* req,
                               redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* RecomputeDeadlines(grpc::CallbackServerContext* ctx,
                               const redress::v1::RecomputeDeadlinesRequest* req,
                               redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* RecordSatisfaction(grpc::CallbackServerContext* ctx,
                               const redress::v1::RecordSatisfactionRequest* req,
                               redress::v1::Complaint* resp) override;
  grpc::ServerUnaryReactor* GetComplaintStatistics(
      grpc::CallbackServerContext* ctx, const redress::v1::GetComplaintStatisticsRequest* req,
      redress::v1::ComplaintStatistics* resp) override;

 private:
  template <typename Request>
  grpc::ServerUnaryReactor* Mutate(grpc::CallbackServerContext* ctx, domain::Action action,
                                   const Request& req, redress::v1::Complaint* resp);

  core::ComplaintEngine* const engine_;
  Authenticator* const auth_;
};

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_COMPLAINT_SERVICE_IMPL_H_
