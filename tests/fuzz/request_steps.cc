#include "tests/fuzz/request_steps.h"

#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "server/domain/lifecycle.h"

namespace redress::fuzz {

namespace v1 = redress::v1;
using domain::Action;

std::vector<Step> DecodeSteps(const uint8_t* data, size_t size) {
  std::vector<Step> steps;
  size_t i = 0;
  while (size - i >= 4) {
    Step s;
    s.action = static_cast<Action>(data[i] % domain::kActionCount);
    s.advance_hours = data[i + 1];
    const size_t n = data[i + 2] | (static_cast<size_t>(data[i + 3]) << 8);
    i += 4;
    if (size - i < n) break;
    s.request.assign(reinterpret_cast<const char*>(data + i), n);
    i += n;
    steps.push_back(std::move(s));
  }
  return steps;
}

std::string EncodeSteps(const std::vector<Step>& steps) {
  std::string out;
  for (const Step& s : steps) {
    out.push_back(static_cast<char>(static_cast<int>(s.action)));
    out.push_back(static_cast<char>(s.advance_hours));
    out.push_back(static_cast<char>(s.request.size() & 0xff));
    out.push_back(static_cast<char>((s.request.size() >> 8) & 0xff));
    out += s.request;
  }
  return out;
}

std::unique_ptr<google::protobuf::Message> NewRequest(Action action) {
  switch (action) {
    case Action::kSubmit: return std::make_unique<v1::SubmitComplaintRequest>();
    case Action::kAcknowledge: return std::make_unique<v1::AcknowledgeComplaintRequest>();
    case Action::kAssess: return std::make_unique<v1::AssessComplaintRequest>();
    case Action::kAssign: return std::make_unique<v1::AssignComplaintRequest>();
    case Action::kStartInvestigation: return std::make_unique<v1::StartInvestigationRequest>();
    case Action::kAddNote: return std::make_unique<v1::AddComplaintNoteRequest>();
    case Action::kEscalate: return std::make_unique<v1::EscalateComplaintRequest>();
    case Action::kRespond: return std::make_unique<v1::RespondToComplaintRequest>();
    case Action::kRecordDecision: return std::make_unique<v1::RecordComplainantDecisionRequest>();
    case Action::kOpenDispute: return std::make_unique<v1::OpenDisputeRequest>();
    case Action::kResolveDispute: return std::make_unique<v1::ResolveDisputeRequest>();
    case Action::kClose: return std::make_unique<v1::CloseComplaintRequest>();
    case Action::kWithdraw: return std::make_unique<v1::WithdrawComplaintRequest>();
    case Action::kReopen: return std::make_unique<v1::ReopenComplaintRequest>();
    case Action::kEraseComplainantData: return std::make_unique<v1::EraseComplainantDataRequest>();
    case Action::kRequestInformation: return std::make_unique<v1::RequestInformationRequest>();
    case Action::kReceiveInformation: return std::make_unique<v1::ReceiveInformationRequest>();
    case Action::kSendHoldingResponse: return std::make_unique<v1::SendHoldingResponseRequest>();
    case Action::kExtendDeadline: return std::make_unique<v1::ExtendDeadlineRequest>();
    case Action::kRecomputeDeadlines: return std::make_unique<v1::RecomputeDeadlinesRequest>();
    case Action::kRecordSatisfaction: return std::make_unique<v1::RecordSatisfactionRequest>();
  }
  return nullptr;
}

}  // namespace redress::fuzz
