// Writes the seed corpus of lifecycle_fuzz (corpus/lifecycle) in the step
// format of request_steps.h: valid request sequences that walk the ISO 10002
// lifecycle along its main paths, so that mutation starts from requests that
// pass validation and transitions that apply.
//
//   make_request_seeds OUT_DIR
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "tests/fuzz/request_steps.h"

namespace {

namespace v1 = redress::v1;
using redress::domain::Action;
using redress::fuzz::Step;

constexpr char kName[] = "complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

Step S(Action a, const google::protobuf::Message& m, int hours = 1) {
  return Step{a, hours, m.SerializeAsString()};
}

Step Submit() {
  v1::SubmitComplaintRequest r;
  r.set_request_id("6f1c0a52-8d4e-4b6a-9f3e-2a1b0c9d8e7f");
  auto* c = r.mutable_complaint();
  c->mutable_complainant()->set_display_name("Ada Lovelace");
  c->mutable_complainant()->set_email("ada@example.org");
  c->mutable_complainant()->set_phone("+44 20 7946 0000");
  c->set_channel(v1::CHANNEL_EMAIL);
  c->set_category("billing");
  c->set_product("current account");
  c->set_description("Charged twice for one card payment on 3 November.");
  c->set_remedy_sought("Refund the duplicate charge");
  (*c->mutable_labels())["jurisdiction"] = "GB";
  c->mutable_occurrence_time()->set_seconds(1789000000);
  return S(Action::kSubmit, r, 0);
}

template <typename R>
R Named() {
  R r;
  r.set_name(kName);
  return r;
}

Step Ack() {
  auto r = Named<v1::AcknowledgeComplaintRequest>();
  r.set_message("Thank you, we are looking into it.");
  return S(Action::kAcknowledge, r);
}
Step Assess() {
  auto r = Named<v1::AssessComplaintRequest>();
  auto* x = r.mutable_assessment();
  x->set_severity(v1::LEVEL_MEDIUM);
  x->set_priority(v1::LEVEL_HIGH);
  x->set_complexity(v1::LEVEL_LOW);
  x->set_impact(v1::LEVEL_MEDIUM);
  return S(Action::kAssess, r);
}
Step Assign() {
  auto r = Named<v1::AssignComplaintRequest>();
  r.set_assignee("bob");
  r.set_etag("c3f0788d900a8c8d409f");
  return S(Action::kAssign, r);
}
Step Investigate() {
  auto r = Named<v1::StartInvestigationRequest>();
  r.set_plan("Check the card processor's settlement file");
  return S(Action::kStartInvestigation, r);
}
Step Note() {
  auto r = Named<v1::AddComplaintNoteRequest>();
  r.set_text("called the customer");
  r.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
  return S(Action::kAddNote, r);
}
Step Escalate() {
  auto r = Named<v1::EscalateComplaintRequest>();
  r.set_reason("vulnerable customer");
  return S(Action::kEscalate, r);
}
Step Respond() {
  auto r = Named<v1::RespondToComplaintRequest>();
  auto* x = r.mutable_response();
  x->set_decision(v1::Response::DECISION_UPHELD);
  x->set_text("We have refunded the duplicate charge.");
  x->set_communicated_via(v1::CHANNEL_EMAIL);
  x->mutable_redress_amount()->set_currency_code("GBP");
  x->mutable_redress_amount()->set_amount_minor(4250);
  return S(Action::kRespond, r);
}
Step Decide(bool accepted) {
  auto r = Named<v1::RecordComplainantDecisionRequest>();
  r.mutable_decision()->set_outcome(accepted ? v1::ComplainantDecision::OUTCOME_ACCEPTED
                                             : v1::ComplainantDecision::OUTCOME_REJECTED);
  r.mutable_decision()->set_comment("Thanks");
  return S(Action::kRecordDecision, r);
}
Step Dispute() {
  auto r = Named<v1::OpenDisputeRequest>();
  r.mutable_dispute()->set_kind(v1::Dispute::KIND_EXTERNAL_ADR);
  r.mutable_dispute()->set_body("Financial Ombudsman Service");
  return S(Action::kOpenDispute, r);
}
Step Resolve(v1::Dispute::Outcome outcome) {
  auto r = Named<v1::ResolveDisputeRequest>();
  r.set_outcome(outcome);
  r.set_outcome_text("The original response stands.");
  return S(Action::kResolveDispute, r);
}
Step Close() {
  auto r = Named<v1::CloseComplaintRequest>();
  r.set_reason("final response issued; no reply in 8 weeks");
  return S(Action::kClose, r, 24 * 7);
}
Step Withdraw() {
  auto r = Named<v1::WithdrawComplaintRequest>();
  r.set_reason("customer withdrew");
  return S(Action::kWithdraw, r);
}
Step Reopen() {
  auto r = Named<v1::ReopenComplaintRequest>();
  r.set_reason("new evidence");
  return S(Action::kReopen, r, 24);
}
Step Erase() {
  auto r = Named<v1::EraseComplainantDataRequest>();
  r.set_reason("GDPR Art. 17 request");
  return S(Action::kEraseComplainantData, r);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_request_seeds OUT_DIR\n");
    return 2;
  }
  const std::vector<std::pair<std::string, std::vector<Step>>> seeds = {
      {"submit", {Submit()}},
      {"accepted", {Submit(), Ack(), Assess(), Assign(), Investigate(), Note(), Escalate(),
                    Respond(), Decide(true)}},
      {"summary_resolution", {Submit(), Ack(), Assess(), Respond(), Close()}},
      {"rejected_disputed_remitted",
       {Submit(), Ack(), Assess(), Investigate(), Respond(), Decide(false), Dispute(),
        Resolve(v1::Dispute::OUTCOME_REMITTED), Respond(), Decide(true)}},
      {"closed_disputed_upheld",
       {Submit(), Ack(), Assess(), Investigate(), Respond(), Decide(true), Dispute(),
        Resolve(v1::Dispute::OUTCOME_RESPONSE_UPHELD)}},
      {"reopened_erased", {Submit(), Ack(), Assess(), Investigate(), Respond(), Close(), Reopen(),
                           Respond(), Decide(true), Erase()}},
      {"withdrawn", {Submit(), Ack(), Withdraw(), Erase()}},
  };
  for (const auto& [name, steps] : seeds) {
    const std::string path = std::string(argv[1]) + "/" + name + ".bin";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << redress::fuzz::EncodeSteps(steps);
    if (!out) {
      std::fprintf(stderr, "make_request_seeds: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
