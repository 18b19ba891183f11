// ComplaintEngine with complaint-handling policies: the policy recorded at
// intake, derived deadlines on reads, and the clock RPCs
// (RequestInformation, ReceiveInformation, SendHoldingResponse,
// ExtendDeadline, RecomputeDeadlines, RecordSatisfaction), statistics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "server/core/complaint_engine.h"
#include "server/domain/policy.h"
#include "server/domain/time_util.h"
#include "tests/testing/every_mutation.h"
#include "tests/testing/test_db.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;
using domain::Action;
using testing::Backend;
using testing::TestDatabase;
using ::testing::HasSubstr;

// Tuesday 2026-03-03 10:00 UTC.
const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2026, 3, 3, 10, 0, 0),
                                          absl::UTCTimeZone());

// The built-in presets plus version 2 of asic-rg271 (final response 20
// days), in force from kStart + 1 day.
domain::PolicyRegistry RegistryWithEditedPolicy() { return testing::EveryMutationPolicies(kStart); }

class ComplaintEngineClocksTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->available()) GTEST_SKIP() << db_->skip_reason();
    registry_ = std::make_unique<domain::PolicyRegistry>(RegistryWithEditedPolicy());
    store::ComplaintStore::Options o;
    o.url = db_->url();
    auto s = store::ComplaintStore::Open(o, clock_.Now());
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    ComplaintEngine::Options eo;
    eo.policies = registry_.get();
    // Deliberately different from every policy's windows.
    eo.policy.dispute_window = absl::Hours(24);
    eo.policy.reopen_window = absl::Hours(24);
    engine_ = std::make_unique<ComplaintEngine>(store_.get(), &clock_, eo);
  }

  absl::StatusOr<v1::Complaint> Do(const google::protobuf::Message& req, Action action) {
    std::unique_ptr<google::protobuf::Message> copy(req.New());
    copy->CopyFrom(req);
    std::promise<absl::StatusOr<v1::Complaint>> p;
    engine_->Mutate(RequestContext{"handler-1"}, action, std::move(copy),
                    [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  v1::Complaint Submit(const std::map<std::string, std::string>& labels,
                       const std::string& category = "billing") {
    v1::SubmitComplaintRequest r;
    auto* c = r.mutable_complaint();
    c->mutable_complainant()->set_display_name("Ada Lovelace");
    c->set_channel(v1::CHANNEL_EMAIL);
    c->set_category(category);
    c->set_description("Charged twice.");
    for (const auto& [k, v] : labels) (*c->mutable_labels())[k] = v;
    auto out = Do(r, Action::kSubmit);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::Complaint();
  }

  v1::Complaint Get(const std::string& name) {
    v1::GetComplaintRequest r;
    r.set_name(name);
    auto c = engine_->Get(r);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : v1::Complaint();
  }

  static const v1::Deadline* Find(const v1::Complaint& c, v1::DeadlineKind kind, int cycle = 1) {
    for (const auto& d : c.deadlines()) {
      if (d.kind() == kind && d.cycle() == cycle) return &d;
    }
    return nullptr;
  }

  template <typename R>
  static R ByName(const v1::Complaint& c) {
    R r;
    r.set_name(c.name());
    return r;
  }

  std::vector<v1::ComplaintEvent> History(const std::string& name) {
    v1::ListComplaintEventsRequest req;
    req.set_parent(name);
    req.set_page_size(1000);
    auto page = engine_->ListEvents(req);
    EXPECT_TRUE(page.ok()) << page.status();
    return {page->events().begin(), page->events().end()};
  }

  domain::FakeClock clock_{kStart};
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<domain::PolicyRegistry> registry_;
  std::unique_ptr<store::ComplaintStore> store_;
  std::unique_ptr<ComplaintEngine> engine_;
};

TEST_P(ComplaintEngineClocksTest, IntakeRecordsThePolicyAndReadsDeriveDeadlines) {
  const v1::Complaint c = Submit({{"jurisdiction", "AU"}});
  EXPECT_EQ(c.policy().id(), "asic-rg271");
  EXPECT_EQ(c.policy().version(), 1);
  EXPECT_TRUE(c.deadlines().empty());  // mutation answers carry no deadlines
  const auto events = History(c.name());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].payload(), HasSubstr("\"policy\":{\"id\":\"asic-rg271\",\"version\":1"));

  v1::Complaint read = Get(c.name());
  const v1::Deadline* ack = Find(read, v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->state(), v1::Deadline::STATE_ON_TRACK);
  EXPECT_EQ(domain::FromTimestamp(ack->due_time()), kStart + absl::Hours(24));  // RG 271.44
  const v1::Deadline* fin = Find(read, v1::DEADLINE_KIND_FINAL_RESPONSE);
  ASSERT_NE(fin, nullptr);
  EXPECT_EQ(fin->amount(), 30);

  clock_.Advance(absl::Hours(2));
  ASSERT_TRUE(Do(ByName<v1::AcknowledgeComplaintRequest>(c), Action::kAcknowledge).ok());
  read = Get(c.name());
  EXPECT_EQ(Find(read, v1::DEADLINE_KIND_ACKNOWLEDGEMENT)->state(), v1::Deadline::STATE_MET);

  // The list view FULL derives them too; BASIC does not.
  v1::ListComplaintsRequest list;
  auto basic = engine_->List(list);
  ASSERT_TRUE(basic.ok());
  EXPECT_TRUE(basic->complaints(0).deadlines().empty());
  list.set_view(v1::COMPLAINT_VIEW_FULL);
  auto full = engine_->List(list);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->complaints(0).deadlines_size(), read.deadlines_size());
  list.set_view(static_cast<v1::ComplaintView>(9));
  EXPECT_EQ(engine_->List(list).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(ComplaintEngineClocksTest, InformationRequestPausesTheClockUntilReceived) {
  // iso-default (no jurisdiction): final response 30 calendar days, paused
  // while awaiting the complainant.
  const v1::Complaint c = Submit({});
  ASSERT_EQ(c.policy().id(), "iso-default");
  const absl::Time due0 =
      domain::FromTimestamp(Find(Get(c.name()), v1::DEADLINE_KIND_FINAL_RESPONSE)->due_time());

  EXPECT_EQ(Do(ByName<v1::ReceiveInformationRequest>(c), Action::kReceiveInformation)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  clock_.Advance(absl::Hours(24));  // Wed 4 March 10:00
  auto req = ByName<v1::RequestInformationRequest>(c);
  req.set_information("Please send the statement of 2 March.");
  auto asked = Do(req, Action::kRequestInformation);
  ASSERT_TRUE(asked.ok()) << asked.status();
  EXPECT_TRUE(asked->awaiting_information());
  EXPECT_EQ(Do(req, Action::kRequestInformation).status().code(),
            absl::StatusCode::kFailedPrecondition);

  clock_.Advance(absl::Hours(24 * 5));
  v1::Complaint during = Get(c.name());
  EXPECT_EQ(Find(during, v1::DEADLINE_KIND_FINAL_RESPONSE)->state(), v1::Deadline::STATE_PAUSED);

  auto got = Do(ByName<v1::ReceiveInformationRequest>(c), Action::kReceiveInformation);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_FALSE(got->awaiting_information());
  const v1::Complaint now_read = Get(c.name());
  const v1::Deadline* fin = Find(now_read, v1::DEADLINE_KIND_FINAL_RESPONSE);
  EXPECT_EQ(fin->state(), v1::Deadline::STATE_ON_TRACK);
  // Calendar days that end while paused do not count: 4-8 March, so the due
  // time moves by 5 days.
  EXPECT_EQ(domain::FromTimestamp(fin->due_time()), due0 + absl::Hours(24 * 5));

  auto validation = ByName<v1::RequestInformationRequest>(c);  // no information
  EXPECT_EQ(Do(validation, Action::kRequestInformation).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(ComplaintEngineClocksTest, ExtendDeadlineWithinWhatThePolicyAllows) {
  // FCA PSD2: final response 15 business days, exceptionally 35.
  const v1::Complaint c = Submit({{"jurisdiction", "GB"}, {"product_line", "payment_services"}});
  ASSERT_EQ(c.policy().id(), "fca-psd2");
  const absl::Time due15 =
      domain::FromTimestamp(Find(Get(c.name()), v1::DEADLINE_KIND_FINAL_RESPONSE)->due_time());

  auto ext = ByName<v1::ExtendDeadlineRequest>(c);
  ext.mutable_extension()->set_kind(v1::DEADLINE_KIND_FINAL_RESPONSE);
  ext.mutable_extension()->set_amount(36);
  ext.mutable_extension()->set_reason("exceptional: third-party records");
  auto too_far = Do(ext, Action::kExtendDeadline);
  EXPECT_EQ(too_far.status().code(), absl::StatusCode::kInvalidArgument) << too_far.status();

  ext.mutable_extension()->set_amount(35);
  ASSERT_TRUE(Do(ext, Action::kExtendDeadline).ok());
  const v1::Complaint now_read = Get(c.name());
  const v1::Deadline* fin = Find(now_read, v1::DEADLINE_KIND_FINAL_RESPONSE);
  EXPECT_EQ(fin->amount(), 35);
  EXPECT_GT(domain::FromTimestamp(fin->due_time()), due15 + absl::Hours(24 * 27));
  EXPECT_EQ(History(c.name()).back().type(), v1::ComplaintEvent::TYPE_DEADLINE_EXTENDED);

  // The acknowledgement rule allows no extension.
  ext.mutable_extension()->set_kind(v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  ext.mutable_extension()->set_amount(2);
  EXPECT_EQ(Do(ext, Action::kExtendDeadline).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(ComplaintEngineClocksTest, PolicyEditMovesNothingUntilAnAuditedRecompute) {
  const v1::Complaint c = Submit({{"jurisdiction", "AU"}});
  ASSERT_EQ(c.policy().version(), 1);
  auto same = ByName<v1::RecomputeDeadlinesRequest>(c);
  same.set_reason("check");
  EXPECT_EQ(Do(same, Action::kRecomputeDeadlines).status().code(),
            absl::StatusCode::kFailedPrecondition);  // v2 not in force yet

  clock_.Advance(absl::Hours(48));  // version 2 is in force now
  v1::Complaint before = Get(c.name());
  EXPECT_EQ(Find(before, v1::DEADLINE_KIND_FINAL_RESPONSE)->amount(), 30);
  EXPECT_EQ(Find(before, v1::DEADLINE_KIND_FINAL_RESPONSE)->policy().version(), 1);

  auto recompute = ByName<v1::RecomputeDeadlinesRequest>(c);
  recompute.set_reason("asic-rg271 v2: final response 20 days");
  auto moved = Do(recompute, Action::kRecomputeDeadlines);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->policy().version(), 2);
  const auto events = History(c.name());
  EXPECT_EQ(events.back().type(), v1::ComplaintEvent::TYPE_DEADLINES_RECOMPUTED);
  EXPECT_THAT(events.back().payload(), HasSubstr("\"version\":2"));
  EXPECT_THAT(events.back().payload(), HasSubstr("final response 20 days"));
  v1::Complaint after = Get(c.name());
  EXPECT_EQ(Find(after, v1::DEADLINE_KIND_FINAL_RESPONSE)->amount(), 20);
  EXPECT_EQ(Find(after, v1::DEADLINE_KIND_FINAL_RESPONSE)->policy().version(), 2);
}

TEST_P(ComplaintEngineClocksTest, HoldingResponseAndSatisfactionFollowTheLifecycle) {
  const v1::Complaint c = Submit({{"jurisdiction", "GB"}});
  auto hold = ByName<v1::SendHoldingResponseRequest>(c);
  hold.set_text("We need more time: records requested from the card scheme.");
  ASSERT_TRUE(Do(hold, Action::kSendHoldingResponse).ok());
  EXPECT_EQ(History(c.name()).back().type(), v1::ComplaintEvent::TYPE_HOLDING_RESPONSE_SENT);

  auto sat = ByName<v1::RecordSatisfactionRequest>(c);
  sat.mutable_satisfaction()->set_csat_score(4);
  sat.mutable_satisfaction()->set_nps_score(9);
  EXPECT_EQ(Do(sat, Action::kRecordSatisfaction).status().code(),
            absl::StatusCode::kFailedPrecondition);  // not closed

  ASSERT_TRUE(Do(ByName<v1::AcknowledgeComplaintRequest>(c), Action::kAcknowledge).ok());
  auto assess = ByName<v1::AssessComplaintRequest>(c);
  assess.mutable_assessment()->set_severity(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_priority(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_complexity(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_impact(v1::LEVEL_LOW);
  ASSERT_TRUE(Do(assess, Action::kAssess).ok());
  ASSERT_TRUE(Do(ByName<v1::StartInvestigationRequest>(c), Action::kStartInvestigation).ok());
  auto respond = ByName<v1::RespondToComplaintRequest>(c);
  respond.mutable_response()->set_decision(v1::Response::DECISION_UPHELD);
  respond.mutable_response()->set_text("Refunded.");
  respond.mutable_response()->set_communicated_via(v1::CHANNEL_EMAIL);
  ASSERT_TRUE(Do(respond, Action::kRespond).ok());
  EXPECT_EQ(Do(hold, Action::kSendHoldingResponse).status().code(),
            absl::StatusCode::kFailedPrecondition);  // a response was given
  auto accept = ByName<v1::RecordComplainantDecisionRequest>(c);
  accept.mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_ACCEPTED);
  ASSERT_TRUE(Do(accept, Action::kRecordDecision).ok());

  auto bad = sat;
  bad.mutable_satisfaction()->set_csat_score(6);
  EXPECT_EQ(Do(bad, Action::kRecordSatisfaction).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto done = Do(sat, Action::kRecordSatisfaction);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->satisfaction().csat_score(), 4);
  EXPECT_TRUE(done->satisfaction().has_record_time());
  EXPECT_EQ(Do(sat, Action::kRecordSatisfaction).status().code(),
            absl::StatusCode::kFailedPrecondition);  // once
}

TEST_P(ComplaintEngineClocksTest, DisputeWindowComesFromThePolicyNotTheDefault) {
  // fca-disp: 6 calendar months after the response (FOS referral); the
  // engine's default window here is 1 day.
  const v1::Complaint c = Submit({{"jurisdiction", "GB"}});
  ASSERT_TRUE(Do(ByName<v1::AcknowledgeComplaintRequest>(c), Action::kAcknowledge).ok());
  auto assess = ByName<v1::AssessComplaintRequest>(c);
  assess.mutable_assessment()->set_severity(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_priority(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_complexity(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_impact(v1::LEVEL_LOW);
  ASSERT_TRUE(Do(assess, Action::kAssess).ok());
  ASSERT_TRUE(Do(ByName<v1::StartInvestigationRequest>(c), Action::kStartInvestigation).ok());
  auto respond = ByName<v1::RespondToComplaintRequest>(c);
  respond.mutable_response()->set_decision(v1::Response::DECISION_NOT_UPHELD);
  respond.mutable_response()->set_text("No error found.");
  respond.mutable_response()->set_communicated_via(v1::CHANNEL_EMAIL);
  ASSERT_TRUE(Do(respond, Action::kRespond).ok());
  auto close = ByName<v1::CloseComplaintRequest>(c);
  close.set_reason("final response sent");
  ASSERT_TRUE(Do(close, Action::kClose).ok());

  auto dispute = ByName<v1::OpenDisputeRequest>(c);
  dispute.mutable_dispute()->set_kind(v1::Dispute::KIND_EXTERNAL_ADR);
  dispute.mutable_dispute()->set_body("Financial Ombudsman Service");
  dispute.mutable_dispute()->set_reason("complainant referred the complaint");
  clock_.Advance(absl::Hours(24 * 200));  // > 6 months
  auto late = Do(dispute, Action::kOpenDispute);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(late.status().message(), HasSubstr("dispute window"));
  clock_.Advance(-absl::Hours(24 * 170));  // 30 days after: inside 6 months
  auto in_time = Do(dispute, Action::kOpenDispute);
  EXPECT_TRUE(in_time.ok()) << in_time.status();
}

TEST_P(ComplaintEngineClocksTest, StatisticsHonourTheirFilters) {
  Submit({{"jurisdiction", "AU"}}, "billing");
  Submit({{"jurisdiction", "GB"}}, "billing");
  clock_.Advance(absl::Hours(24 * 8));
  Submit({{"jurisdiction", "GB"}}, "fees");

  v1::GetComplaintStatisticsRequest all;
  auto s = engine_->Statistics(all);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->complaint_count(), 3);
  EXPECT_EQ(s->weeks_size(), 2);
  v1::GetComplaintStatisticsRequest by_category;
  by_category.set_category("billing");
  EXPECT_EQ(engine_->Statistics(by_category)->complaint_count(), 2);
  v1::GetComplaintStatisticsRequest by_policy;
  by_policy.set_policy_id("fca-disp");
  EXPECT_EQ(engine_->Statistics(by_policy)->complaint_count(), 2);
  v1::GetComplaintStatisticsRequest by_time;
  *by_time.mutable_start_time() = domain::ToTimestamp(kStart + absl::Hours(24));
  EXPECT_EQ(engine_->Statistics(by_time)->complaint_count(), 1);
  *by_time.mutable_end_time() = domain::ToTimestamp(kStart);
  EXPECT_EQ(engine_->Statistics(by_time).status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintEngineClocksTest,
                         ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::core
