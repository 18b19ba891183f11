#include "tests/testing/every_mutation.h"

#include <map>

#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "server/domain/lifecycle.h"
#include "server/domain/policy_presets.h"

namespace redress::testing {
namespace {

namespace v1 = redress::v1;
using domain::Action;
using Msg = std::unique_ptr<google::protobuf::Message>;

template <typename R>
std::unique_ptr<R> Named(const std::string& name) {
  auto r = std::make_unique<R>();
  r->set_name(name);
  return r;
}

MutationStep Submit(std::map<std::string, std::string> labels = {}) {
  return {Action::kSubmit, [labels](const std::string&) -> Msg {
            auto r = std::make_unique<v1::SubmitComplaintRequest>();
            auto* c = r->mutable_complaint();
            c->mutable_complainant()->set_display_name("Ada Lovelace");
            c->mutable_complainant()->set_email("ada@example.org");
            c->set_channel(v1::CHANNEL_EMAIL);
            c->set_category("billing");
            c->set_description("Charged twice.");
            for (const auto& [k, v] : labels) (*c->mutable_labels())[k] = v;
            return r;
          }};
}

MutationStep Ack() {
  return {Action::kAcknowledge,
          [](const std::string& n) -> Msg { return Named<v1::AcknowledgeComplaintRequest>(n); }};
}

MutationStep Assess() {
  return {Action::kAssess, [](const std::string& n) -> Msg {
            auto r = Named<v1::AssessComplaintRequest>(n);
            auto* a = r->mutable_assessment();
            a->set_severity(v1::LEVEL_HIGH);
            a->set_priority(v1::LEVEL_HIGH);
            a->set_complexity(v1::LEVEL_LOW);
            a->set_impact(v1::LEVEL_MEDIUM);
            return r;
          }};
}

MutationStep Investigate() {
  return {Action::kStartInvestigation,
          [](const std::string& n) -> Msg { return Named<v1::StartInvestigationRequest>(n); }};
}

MutationStep Respond() {
  return {Action::kRespond, [](const std::string& n) -> Msg {
            auto r = Named<v1::RespondToComplaintRequest>(n);
            r->mutable_response()->set_decision(v1::Response::DECISION_UPHELD);
            r->mutable_response()->set_text("Refunded.");
            r->mutable_response()->set_communicated_via(v1::CHANNEL_EMAIL);
            return r;
          }};
}

MutationStep Close() {
  return {Action::kClose, [](const std::string& n) -> Msg {
            auto r = Named<v1::CloseComplaintRequest>(n);
            r->set_reason("resolved");
            return r;
          }};
}

MutationStep Reject() {
  return {Action::kRecordDecision, [](const std::string& n) -> Msg {
            auto r = Named<v1::RecordComplainantDecisionRequest>(n);
            r->mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_REJECTED);
            return r;
          }};
}

MutationStep OpenDispute() {
  return {Action::kOpenDispute, [](const std::string& n) -> Msg {
            auto r = Named<v1::OpenDisputeRequest>(n);
            r->mutable_dispute()->set_kind(v1::Dispute::KIND_INTERNAL_APPEAL);
            r->mutable_dispute()->set_reason("the refund was short");
            return r;
          }};
}

MutationStep RequestInformation() {
  return {Action::kRequestInformation, [](const std::string& n) -> Msg {
            auto r = Named<v1::RequestInformationRequest>(n);
            r->set_information("the statement for March");
            return r;
          }};
}

}  // namespace

std::vector<MutationPath> EveryMutationPath() {
  std::vector<MutationPath> out;
  auto add = [&out](std::vector<MutationStep> steps) {
    out.push_back(MutationPath{steps.back().action, std::move(steps)});
  };
  add({Submit()});
  add({Submit(), Ack()});
  add({Submit(), Assess()});
  add({Submit(), {Action::kAssign, [](const std::string& n) -> Msg {
                    auto r = Named<v1::AssignComplaintRequest>(n);
                    r->set_assignee("alice");
                    return r;
                  }}});
  add({Submit(), Ack(), Assess(), Investigate()});
  add({Submit(), {Action::kAddNote, [](const std::string& n) -> Msg {
                    auto r = Named<v1::AddComplaintNoteRequest>(n);
                    r->set_text("called the complainant");
                    r->set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
                    return r;
                  }}});
  add({Submit(), {Action::kEscalate, [](const std::string& n) -> Msg {
                    auto r = Named<v1::EscalateComplaintRequest>(n);
                    r->set_reason("priority customer");
                    return r;
                  }}});
  add({Submit(), Ack(), Assess(), Investigate(), Respond()});
  add({Submit(), Ack(), Assess(), Investigate(), Respond(),
       {Action::kRecordDecision, [](const std::string& n) -> Msg {
          auto r = Named<v1::RecordComplainantDecisionRequest>(n);
          r->mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_ACCEPTED);
          return r;
        }}});
  add({Submit(), Ack(), Assess(), Investigate(), Respond(), Reject(), OpenDispute()});
  add({Submit(), Ack(), Assess(), Investigate(), Respond(), Reject(), OpenDispute(),
       {Action::kResolveDispute, [](const std::string& n) -> Msg {
          auto r = Named<v1::ResolveDisputeRequest>(n);
          r->set_outcome(v1::Dispute::OUTCOME_RESPONSE_UPHELD);
          r->set_outcome_text("the response stands");
          return r;
        }}});
  add({Submit(), Ack(), Assess(), Investigate(), Respond(), Close()});
  add({Submit(), {Action::kWithdraw, [](const std::string& n) -> Msg {
                    return Named<v1::WithdrawComplaintRequest>(n);
                  }}});
  add({Submit(), Ack(), Assess(), Investigate(), Respond(), Close(),
       {Action::kReopen, [](const std::string& n) -> Msg {
          auto r = Named<v1::ReopenComplaintRequest>(n);
          r->set_reason("new evidence");
          return r;
        }}});
  add({Submit(), {Action::kEraseComplainantData, [](const std::string& n) -> Msg {
                    auto r = Named<v1::EraseComplainantDataRequest>(n);
                    r->set_reason("erasure request");
                    return r;
                  }}});
  add({Submit(), RequestInformation()});
  add({Submit(), RequestInformation(),
       {Action::kReceiveInformation, [](const std::string& n) -> Msg {
          return Named<v1::ReceiveInformationRequest>(n);
        }}});
  add({Submit(), {Action::kSendHoldingResponse, [](const std::string& n) -> Msg {
                    auto r = Named<v1::SendHoldingResponseRequest>(n);
                    r->set_text("we need more time");
                    return r;
                  }}});
  // FCA PSD2: the final response may be extended to 35 business days.
  add({Submit({{"jurisdiction", "GB"}, {"product_line", "payment_services"}}),
       {Action::kExtendDeadline, [](const std::string& n) -> Msg {
          auto r = Named<v1::ExtendDeadlineRequest>(n);
          r->mutable_extension()->set_kind(v1::DEADLINE_KIND_FINAL_RESPONSE);
          r->mutable_extension()->set_amount(35);
          r->mutable_extension()->set_reason("exceptional: third-party records");
          return r;
        }}});
  // asic-rg271 version 2 comes into force a day after the start.
  add({Submit({{"jurisdiction", "AU"}}),
       {Action::kRecomputeDeadlines,
        [](const std::string& n) -> Msg {
          auto r = Named<v1::RecomputeDeadlinesRequest>(n);
          r->set_reason("asic-rg271 v2");
          return r;
        },
        absl::Hours(48)}});
  add({Submit(), Ack(), Assess(), Investigate(), Respond(), Close(),
       {Action::kRecordSatisfaction, [](const std::string& n) -> Msg {
          auto r = Named<v1::RecordSatisfactionRequest>(n);
          r->mutable_satisfaction()->set_csat_score(4);
          return r;
        }}});
  return out;
}

domain::PolicyRegistry EveryMutationPolicies(absl::Time start) {
  auto set = domain::BuiltinPolicySet();
  v1::Policy v2;
  for (const auto& p : set->policies()) {
    if (p.id() == "asic-rg271") v2 = p;
  }
  v2.set_version(2);
  v2.mutable_final_response()->set_amount(20);
  v2.mutable_effective_time()->set_seconds(absl::ToUnixSeconds(start + absl::Hours(24)));
  *set->add_policies() = v2;
  return std::move(*domain::PolicyRegistry::Create(*set));
}

std::string RpcName(domain::Action action) { return std::string(domain::Spec(action).rpc); }

std::string ServiceName(domain::Action action) { return std::string(domain::Spec(action).service); }

}  // namespace redress::testing
