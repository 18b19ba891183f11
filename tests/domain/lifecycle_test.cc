#include "server/domain/lifecycle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "server/domain/validation.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using C = v1::Complaint;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);  // 2026-09-21
constexpr char kName[] = "complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

// A valid request for every action (Submit excluded: it has no prior state).
std::unique_ptr<google::protobuf::Message> ValidRequest(Action a) {
  switch (a) {
    case Action::kSubmit: {
      auto r = std::make_unique<v1::SubmitComplaintRequest>();
      auto* c = r->mutable_complaint();
      c->mutable_complainant()->set_display_name("Ada Lovelace");
      c->mutable_complainant()->set_email("ada@example.org");
      c->set_channel(v1::CHANNEL_EMAIL);
      c->set_description("Charged twice for one payment.");
      return r;
    }
    case Action::kAcknowledge: {
      auto r = std::make_unique<v1::AcknowledgeComplaintRequest>();
      r->set_name(kName);
      return r;
    }
    case Action::kAssess: {
      auto r = std::make_unique<v1::AssessComplaintRequest>();
      r->set_name(kName);
      auto* x = r->mutable_assessment();
      x->set_severity(v1::LEVEL_HIGH);
      x->set_priority(v1::LEVEL_MEDIUM);
      x->set_complexity(v1::LEVEL_LOW);
      x->set_impact(v1::LEVEL_MEDIUM);
      return r;
    }
    case Action::kAssign: {
      auto r = std::make_unique<v1::AssignComplaintRequest>();
      r->set_name(kName);
      r->set_assignee("bob");
      return r;
    }
    case Action::kStartInvestigation: {
      auto r = std::make_unique<v1::StartInvestigationRequest>();
      r->set_name(kName);
      return r;
    }
    case Action::kAddNote: {
      auto r = std::make_unique<v1::AddComplaintNoteRequest>();
      r->set_name(kName);
      r->set_text("called the customer");
      r->set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
      return r;
    }
    case Action::kEscalate: {
      auto r = std::make_unique<v1::EscalateComplaintRequest>();
      r->set_name(kName);
      r->set_reason("vulnerable customer");
      return r;
    }
    case Action::kRespond: {
      auto r = std::make_unique<v1::RespondToComplaintRequest>();
      r->set_name(kName);
      r->mutable_response()->set_decision(v1::Response::DECISION_UPHELD);
      r->mutable_response()->set_text("We refund the duplicate charge.");
      r->mutable_response()->set_communicated_via(v1::CHANNEL_EMAIL);
      return r;
    }
    case Action::kRecordDecision: {
      auto r = std::make_unique<v1::RecordComplainantDecisionRequest>();
      r->set_name(kName);
      r->mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_ACCEPTED);
      return r;
    }
    case Action::kOpenDispute: {
      auto r = std::make_unique<v1::OpenDisputeRequest>();
      r->set_name(kName);
      r->mutable_dispute()->set_kind(v1::Dispute::KIND_INTERNAL_APPEAL);
      return r;
    }
    case Action::kResolveDispute: {
      auto r = std::make_unique<v1::ResolveDisputeRequest>();
      r->set_name(kName);
      r->set_outcome(v1::Dispute::OUTCOME_RESPONSE_UPHELD);
      r->set_outcome_text("The original response stands.");
      return r;
    }
    case Action::kClose: {
      auto r = std::make_unique<v1::CloseComplaintRequest>();
      r->set_name(kName);
      r->set_reason("final response issued; no reply in 8 weeks");
      return r;
    }
    case Action::kWithdraw: {
      auto r = std::make_unique<v1::WithdrawComplaintRequest>();
      r->set_name(kName);
      return r;
    }
    case Action::kReopen: {
      auto r = std::make_unique<v1::ReopenComplaintRequest>();
      r->set_name(kName);
      r->set_reason("new evidence");
      return r;
    }
    case Action::kEraseComplainantData: {
      auto r = std::make_unique<v1::EraseComplainantDataRequest>();
      r->set_name(kName);
      r->set_reason("GDPR Art. 17 request");
      return r;
    }
    case Action::kRequestInformation: {
      auto r = std::make_unique<v1::RequestInformationRequest>();
      r->set_name(kName);
      r->set_information("a copy of the statement");
      return r;
    }
    case Action::kReceiveInformation: {
      auto r = std::make_unique<v1::ReceiveInformationRequest>();
      r->set_name(kName);
      return r;
    }
    case Action::kSendHoldingResponse: {
      auto r = std::make_unique<v1::SendHoldingResponseRequest>();
      r->set_name(kName);
      r->set_text("We need two more weeks.");
      return r;
    }
    case Action::kExtendDeadline: {
      auto r = std::make_unique<v1::ExtendDeadlineRequest>();
      r->set_name(kName);
      r->mutable_extension()->set_kind(v1::DEADLINE_KIND_FINAL_RESPONSE);
      r->mutable_extension()->set_amount(35);
      r->mutable_extension()->set_reason("exceptional circumstances");
      return r;
    }
    case Action::kRecomputeDeadlines: {
      auto r = std::make_unique<v1::RecomputeDeadlinesRequest>();
      r->set_name(kName);
      r->set_reason("policy v2");
      return r;
    }
    case Action::kRecordSatisfaction: {
      auto r = std::make_unique<v1::RecordSatisfactionRequest>();
      r->set_name(kName);
      r->mutable_satisfaction()->set_nps_score(8);
      return r;
    }
    default:
      break;
  }
  return nullptr;
}

// A complaint in `s` that satisfies every guard (assessed, response
// rejected, closed one day ago).
C ComplaintIn(C::State s) {
  C c;
  c.set_name(kName);
  c.set_reference("CMP-2026-000001");
  c.set_state(s);
  c.set_event_count(3);
  c.mutable_assessment()->set_severity(v1::LEVEL_LOW);
  c.mutable_complainant_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_REJECTED);
  c.mutable_close_time()->set_seconds(absl::ToUnixSeconds(kNow - absl::Hours(24)));
  c.mutable_policy()->set_id("iso-default");
  c.mutable_policy()->set_version(1);
  return c;
}

// With a newer policy version to recompute to.
ActionContext Ctx() {
  ActionContext ctx;
  ctx.actor = "alice";
  ctx.now = kNow;
  ctx.complainant_salt = "00ff";
  v1::PolicyRef ref;
  ref.set_id("iso-default");
  ref.set_version(2);
  ctx.policy_ref = ref;
  return ctx;
}

constexpr C::State kStates[] = {C::STATE_RECEIVED,   C::STATE_ACKNOWLEDGED, C::STATE_INVESTIGATING,
                                C::STATE_RESPONDED,  C::STATE_DISPUTED,     C::STATE_CLOSED,
                                C::STATE_WITHDRAWN};

// The lifecycle as the issue specifies it, written independently of the
// implementation's table: (action, from) -> to. Anything absent is illegal.
std::map<std::pair<Action, C::State>, C::State> ExpectedTransitions() {
  std::map<std::pair<Action, C::State>, C::State> m;
  const C::State open[] = {C::STATE_RECEIVED, C::STATE_ACKNOWLEDGED, C::STATE_INVESTIGATING,
                           C::STATE_RESPONDED, C::STATE_DISPUTED};
  m[{Action::kAcknowledge, C::STATE_RECEIVED}] = C::STATE_ACKNOWLEDGED;
  for (auto s : {C::STATE_RECEIVED, C::STATE_ACKNOWLEDGED, C::STATE_INVESTIGATING}) {
    m[{Action::kAssess, s}] = s;
  }
  for (auto s : open) {
    m[{Action::kAssign, s}] = s;
    m[{Action::kEscalate, s}] = s;
    m[{Action::kWithdraw, s}] = C::STATE_WITHDRAWN;
  }
  m[{Action::kStartInvestigation, C::STATE_ACKNOWLEDGED}] = C::STATE_INVESTIGATING;
  m[{Action::kStartInvestigation, C::STATE_RESPONDED}] = C::STATE_INVESTIGATING;
  for (auto s : kStates) {
    m[{Action::kAddNote, s}] = s;
    m[{Action::kEraseComplainantData, s}] = s;
  }
  m[{Action::kRespond, C::STATE_INVESTIGATING}] = C::STATE_RESPONDED;
  m[{Action::kRespond, C::STATE_ACKNOWLEDGED}] = C::STATE_RESPONDED;
  m[{Action::kRecordDecision, C::STATE_RESPONDED}] = C::STATE_CLOSED;  // accepted
  m[{Action::kOpenDispute, C::STATE_RESPONDED}] = C::STATE_DISPUTED;
  m[{Action::kOpenDispute, C::STATE_CLOSED}] = C::STATE_DISPUTED;
  m[{Action::kResolveDispute, C::STATE_DISPUTED}] = C::STATE_CLOSED;  // upheld
  m[{Action::kClose, C::STATE_RESPONDED}] = C::STATE_CLOSED;
  m[{Action::kReopen, C::STATE_CLOSED}] = C::STATE_INVESTIGATING;
  for (auto s : open) {
    m[{Action::kRequestInformation, s}] = s;
    m[{Action::kExtendDeadline, s}] = s;
    // ReceiveInformation: refused everywhere here (nothing was requested).
  }
  for (auto s : {C::STATE_RECEIVED, C::STATE_ACKNOWLEDGED, C::STATE_INVESTIGATING}) {
    m[{Action::kSendHoldingResponse, s}] = s;
  }
  for (auto s : kStates) m[{Action::kRecomputeDeadlines, s}] = s;
  m[{Action::kRecordSatisfaction, C::STATE_CLOSED}] = C::STATE_CLOSED;
  return m;
}

TEST(LifecycleTest, EveryStateActionPairIsAllowedOrFailedPreconditionNamingTheState) {
  const auto expected = ExpectedTransitions();
  int allowed = 0, refused = 0;
  for (const ActionSpec& spec : ActionTable()) {
    const Action action = spec.action;
    if (action == Action::kSubmit) continue;  // every action but Submit
    for (C::State s : kStates) {
      SCOPED_TRACE(absl::StrCat(Spec(action).rpc, " from ", StateName(s)));
      auto request = ValidRequest(action);
      ASSERT_TRUE(ValidateFor(action, *request, kNow).ok());
      auto result = Apply(action, *request, ComplaintIn(s), Ctx());
      auto it = expected.find({action, s});
      if (it != expected.end()) {
        ASSERT_TRUE(result.ok()) << result.status();
        EXPECT_EQ(result->after.state(), it->second);
        EXPECT_EQ(result->from_state, s);
        EXPECT_EQ(result->to_state, it->second);
        EXPECT_EQ(result->event_type, Spec(action).event_type);
        // What the declaration says about the target holds.
        if (spec.keeps_state) {
          EXPECT_EQ(result->to_state, s);
        }
        if (spec.to_state != C::STATE_UNSPECIFIED) {
          EXPECT_EQ(result->to_state, spec.to_state);
        }
        EXPECT_EQ(result->after.event_count(), 4);
        EXPECT_EQ(result->after.update_time().seconds(), absl::ToUnixSeconds(kNow));
        ++allowed;
      } else {
        ASSERT_FALSE(result.ok()) << "unexpectedly allowed";
        EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_THAT(std::string(result.status().message()),
                    HasSubstr(absl::StrCat("in state ", StateName(s))));
        ++refused;
      }
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(expected.size()));
  EXPECT_EQ(allowed + refused, static_cast<int>(ActionTable().size() - 1) * 7);
}

TEST(LifecycleTest, SubmitCreatesReceivedComplaintAndKeepsPersonalDataOutOfThePayload) {
  auto request = ValidRequest(Action::kSubmit);
  auto* r = static_cast<v1::SubmitComplaintRequest*>(request.get());
  r->mutable_complaint()->set_state(C::STATE_CLOSED);          // output only: ignored
  r->mutable_complaint()->set_assignee("mallory");              // output only: ignored
  r->mutable_complaint()->mutable_complainant()->set_phone("+44 20 7946 0000");
  C before;
  before.set_name(kName);
  before.set_reference("CMP-2026-000042");
  auto t = Apply(Action::kSubmit, *request, before, Ctx());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->after.state(), C::STATE_RECEIVED);
  EXPECT_EQ(t->after.assignee(), "");
  EXPECT_EQ(t->after.reference(), "CMP-2026-000042");
  EXPECT_EQ(t->after.complainant().display_name(), "Ada Lovelace");
  EXPECT_EQ(t->after.create_time().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(t->from_state, C::STATE_UNSPECIFIED);
  EXPECT_THAT(t->payload, ::testing::Not(HasSubstr("Ada")));
  EXPECT_THAT(t->payload, ::testing::Not(HasSubstr("ada@example.org")));
  EXPECT_THAT(t->payload, ::testing::Not(HasSubstr("7946")));
  EXPECT_THAT(t->payload, HasSubstr(ComplainantDigest(t->after.complainant(), "00ff")));
  EXPECT_THAT(t->payload, HasSubstr("Charged twice"));
}

TEST(LifecycleTest, ComplainantDigestDependsOnSaltAndData) {
  v1::Complainant a;
  a.set_display_name("Ada");
  v1::Complainant b = a;
  b.set_email("x@example.org");
  EXPECT_EQ(ComplainantDigest(a, "01"), ComplainantDigest(a, "01"));
  EXPECT_NE(ComplainantDigest(a, "01"), ComplainantDigest(a, "02"));
  EXPECT_NE(ComplainantDigest(a, "01"), ComplainantDigest(b, "01"));
  EXPECT_EQ(ComplainantDigest(a, "01").size(), 64u);
}

TEST(LifecycleTest, InvestigationFromAcknowledgedNeedsAnAssessment) {
  C c = ComplaintIn(C::STATE_ACKNOWLEDGED);
  c.clear_assessment();
  auto t = Apply(Action::kStartInvestigation, *ValidRequest(Action::kStartInvestigation), c, Ctx());
  ASSERT_EQ(t.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("not been assessed"));
}

TEST(LifecycleTest, InvestigationFromRespondedNeedsARejection) {
  C c = ComplaintIn(C::STATE_RESPONDED);
  c.clear_complainant_decision();
  auto t = Apply(Action::kStartInvestigation, *ValidRequest(Action::kStartInvestigation), c, Ctx());
  ASSERT_EQ(t.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("not rejected"));
  auto d = Apply(Action::kOpenDispute, *ValidRequest(Action::kOpenDispute), c, Ctx());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(LifecycleTest, RespondFromAcknowledgedIsASummaryResolutionAndNeedsAssessment) {
  C c = ComplaintIn(C::STATE_ACKNOWLEDGED);
  auto t = Apply(Action::kRespond, *ValidRequest(Action::kRespond), c, Ctx());
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->after.response().summary_resolution());
  EXPECT_EQ(t->after.response().responder(), "alice");
  EXPECT_FALSE(t->after.has_complainant_decision());
  c.clear_assessment();
  EXPECT_EQ(Apply(Action::kRespond, *ValidRequest(Action::kRespond), c, Ctx()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto full = Apply(Action::kRespond, *ValidRequest(Action::kRespond),
                    ComplaintIn(C::STATE_INVESTIGATING), Ctx());
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(full->after.response().summary_resolution());
}

TEST(LifecycleTest, RejectedDecisionKeepsComplaintResponded) {
  v1::RecordComplainantDecisionRequest r;
  r.set_name(kName);
  r.mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_REJECTED);
  C c = ComplaintIn(C::STATE_RESPONDED);
  c.clear_complainant_decision();
  c.clear_close_time();
  auto t = Apply(Action::kRecordDecision, r, c, Ctx());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.state(), C::STATE_RESPONDED);
  EXPECT_EQ(t->after.complainant_decision().outcome(), v1::ComplainantDecision::OUTCOME_REJECTED);
  EXPECT_FALSE(t->after.has_close_time());
}

TEST(LifecycleTest, AcceptedDecisionClosesWithReasonAndTime) {
  auto t = Apply(Action::kRecordDecision, *ValidRequest(Action::kRecordDecision),
                 ComplaintIn(C::STATE_RESPONDED), Ctx());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.close_time().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_THAT(t->after.closure_reason(), HasSubstr("accepted"));
}

TEST(LifecycleTest, RemittedDisputeReturnsToInvestigation) {
  v1::ResolveDisputeRequest r;
  r.set_name(kName);
  r.set_outcome(v1::Dispute::OUTCOME_REMITTED);
  r.set_outcome_text("look again");
  auto t = Apply(Action::kResolveDispute, r, ComplaintIn(C::STATE_DISPUTED), Ctx());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.state(), C::STATE_INVESTIGATING);
  EXPECT_EQ(t->after.dispute().outcome(), v1::Dispute::OUTCOME_REMITTED);
  EXPECT_FALSE(t->after.has_close_time());
}

TEST(LifecycleTest, DisputeAndReopenWindowsAreEnforced) {
  C c = ComplaintIn(C::STATE_CLOSED);
  ActionContext ctx = Ctx();
  ctx.policy.dispute_window = absl::Hours(12);  // closed 24 h ago
  auto d = Apply(Action::kOpenDispute, *ValidRequest(Action::kOpenDispute), c, ctx);
  ASSERT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(d.status().message()), HasSubstr("dispute window"));
  ctx.policy.reopen_window = absl::Hours(12);
  auto r = Apply(Action::kReopen, *ValidRequest(Action::kReopen), c, ctx);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("reopen window"));
  ctx.policy.reopen_window = absl::Hours(25);
  EXPECT_TRUE(Apply(Action::kReopen, *ValidRequest(Action::kReopen), c, ctx).ok());
}

TEST(LifecycleTest, EscalationIncrementsLevel) {
  C c = ComplaintIn(C::STATE_INVESTIGATING);
  c.set_escalation_level(1);
  auto t = Apply(Action::kEscalate, *ValidRequest(Action::kEscalate), c, Ctx());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.escalation_level(), 2);
  EXPECT_THAT(t->payload, HasSubstr("vulnerable customer"));
}

TEST(LifecycleTest, AssessmentRecordsAssessorFromContextNotRequest) {
  auto request = ValidRequest(Action::kAssess);
  static_cast<v1::AssessComplaintRequest*>(request.get())->mutable_assessment()->set_assessor("mallory-assessor");
  auto t = Apply(Action::kAssess, *request, ComplaintIn(C::STATE_RECEIVED), Ctx());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.assessment().assessor(), "alice");
  EXPECT_THAT(t->payload, ::testing::Not(HasSubstr("mallory")));
}

TEST(LifecycleTest, PayloadOmitsNameEtagAndRequestId) {
  v1::AssignComplaintRequest r;
  r.set_name(kName);
  r.set_etag("abc123");
  r.set_request_id("6f1c0a52-8d4e-4b6a-9f3e-2a1b0c9d8e7f");
  r.set_assignee("bob");
  auto t = Apply(Action::kAssign, r, ComplaintIn(C::STATE_RECEIVED), Ctx());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->payload, R"({"assignee":"bob"})");
}

TEST(LifecycleTest, ErasureClearsPersonalDataOnceAndKeepsState) {
  C c = ComplaintIn(C::STATE_CLOSED);
  c.mutable_complainant()->set_display_name("Ada Lovelace");
  auto t = Apply(Action::kEraseComplainantData, *ValidRequest(Action::kEraseComplainantData), c,
                 Ctx());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_FALSE(t->after.has_complainant());
  EXPECT_EQ(t->after.state(), C::STATE_CLOSED);
  EXPECT_EQ(t->after.personal_data_erase_time().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(t->event_type, redress::v1::ComplaintEvent::TYPE_PERSONAL_DATA_ERASED);
  EXPECT_EQ(t->payload, R"({"reason":"GDPR Art. 17 request"})");
  auto again = Apply(Action::kEraseComplainantData, *ValidRequest(Action::kEraseComplainantData),
                     t->after, Ctx());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("already erased"));
}

TEST(LifecycleTest, WrongRequestTypeIsInternal) {
  v1::CloseComplaintRequest wrong;
  auto t = Apply(Action::kAssign, wrong, ComplaintIn(C::STATE_RECEIVED), Ctx());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInternal);
}

TEST(LifecycleTest, TableHasOneRowPerDeclaredAction) {
  ASSERT_EQ(ActionTable().size(), 21u);
  for (const ActionSpec& spec : ActionTable()) {
    SCOPED_TRACE(std::string(spec.rpc));
    EXPECT_EQ(FindAction(spec.action), &spec);
    EXPECT_EQ(FindAction(spec.service, spec.rpc), &spec);
    EXPECT_EQ(spec.event_type, spec.action.event_type());
    EXPECT_FALSE(spec.rpc.empty());
    ASSERT_NE(spec.request, nullptr);
  }
  EXPECT_EQ(Spec(Action::kEraseComplainantData).service, "redress.v1.AuditService");
  EXPECT_EQ(Spec(Action::kAcknowledge).rpc, "AcknowledgeComplaint");
  EXPECT_EQ(FindAction(Action(v1::ComplaintEvent::TYPE_DEADLINE_BREACHED)), nullptr);
  EXPECT_EQ(FindAction("redress.v1.ComplaintService", "GetComplaint"), nullptr);
}

TEST(LifecycleTest, EveryActionHasAValidatorAndAnApplyCase) {
  for (const ActionSpec& spec : ActionTable()) {
    SCOPED_TRACE(std::string(spec.rpc));
    std::unique_ptr<google::protobuf::Message> empty(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(spec.request)->New());
    const absl::Status v = ValidateFor(spec.action, *empty, kNow);
    EXPECT_NE(v.code(), absl::StatusCode::kInternal) << v;
    const C before = spec.action == Action::kSubmit ? C() : ComplaintIn(C::STATE_RECEIVED);
    const auto t = Apply(spec.action, *empty, before, Ctx());
    EXPECT_THAT(std::string(t.status().message()), ::testing::Not(HasSubstr("no Apply case")));
  }
  v1::AcknowledgeComplaintRequest ack;
  EXPECT_EQ(ValidateFor(Action(v1::ComplaintEvent::TYPE_DEADLINE_BREACHED), ack, kNow).code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(ValidateFor(Action::kClose, ack, kNow).code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace redress::domain
