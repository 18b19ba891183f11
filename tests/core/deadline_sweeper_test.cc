#include "server/core/deadline_sweeper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <thread>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/core/complaint_engine.h"
#include "server/domain/event_hash.h"
#include "server/domain/policy_presets.h"
#include "tests/testing/test_db.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;
using domain::Action;
using testing::Backend;
using testing::TestDatabase;

// Tuesday 2026-03-03 10:00 UTC: a business day in England and Australia, far
// from holidays.
const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2026, 3, 3, 10, 0, 0),
                                          absl::UTCTimeZone());

struct Replica {
  std::unique_ptr<store::ComplaintStore> store;
  std::unique_ptr<ComplaintEngine> engine;
  std::unique_ptr<DeadlineSweeper> sweeper;
};

class DeadlineSweeperTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->available()) GTEST_SKIP() << db_->skip_reason();
    auto reg = domain::BuiltinPolicies();
    ASSERT_TRUE(reg.ok()) << reg.status();
    registry_ = std::make_unique<domain::PolicyRegistry>(std::move(*reg));
    a_ = NewReplica();
  }

  Replica NewReplica() {
    Replica r;
    store::ComplaintStore::Options o;
    o.url = db_->url();
    auto s = store::ComplaintStore::Open(o, clock_.Now());
    EXPECT_TRUE(s.ok()) << s.status();
    r.store = std::move(*s);
    ComplaintEngine::Options eo;
    eo.policies = registry_.get();
    r.engine = std::make_unique<ComplaintEngine>(r.store.get(), &clock_, eo);
    r.sweeper = std::make_unique<DeadlineSweeper>(r.store.get(), &clock_, registry_.get(),
                                                  DeadlineSweeper::Options{});
    return r;
  }

  absl::StatusOr<v1::Complaint> Do(const google::protobuf::Message& req, Action action) {
    std::unique_ptr<google::protobuf::Message> copy(req.New());
    copy->CopyFrom(req);
    std::promise<absl::StatusOr<v1::Complaint>> p;
    a_.engine->Mutate(RequestContext{"handler-1"}, action, std::move(copy),
                      [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  v1::Complaint Submit(const std::string& jurisdiction) {
    v1::SubmitComplaintRequest r;
    auto* c = r.mutable_complaint();
    c->mutable_complainant()->set_display_name("Ada Lovelace");
    c->set_channel(v1::CHANNEL_EMAIL);
    c->set_category("billing");
    c->set_description("Charged twice.");
    (*c->mutable_labels())["jurisdiction"] = jurisdiction;
    auto out = Do(r, Action::kSubmit);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::Complaint();
  }

  std::vector<v1::ComplaintEvent> History(const std::string& name) {
    v1::ListComplaintEventsRequest req;
    req.set_parent(name);
    req.set_page_size(1000);
    auto page = a_.engine->ListEvents(req);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? std::vector<v1::ComplaintEvent>(page->events().begin(), page->events().end())
                     : std::vector<v1::ComplaintEvent>{};
  }

  // "AT_RISK ACKNOWLEDGEMENT/1" -> count, over the alerts of a history.
  static std::map<std::string, int> Alerts(const std::vector<v1::ComplaintEvent>& events) {
    std::map<std::string, int> out;
    for (const auto& e : events) {
      const bool risk = e.type() == v1::ComplaintEvent::TYPE_DEADLINE_AT_RISK;
      const bool breach = e.type() == v1::ComplaintEvent::TYPE_DEADLINE_BREACHED;
      if (!risk && !breach) continue;
      google::protobuf::Struct s;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(e.payload(), &s).ok()) << e.payload();
      out[absl::StrCat(risk ? "AT_RISK " : "BREACHED ", s.fields().at("kind").string_value(), "/",
                       s.fields().at("cycle").number_value())]++;
    }
    return out;
  }

  domain::FakeClock clock_{kStart};
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<domain::PolicyRegistry> registry_;
  Replica a_;
};

TEST_P(DeadlineSweeperTest, RecordsAtRiskThenBreachedOnceEach) {
  // ASIC RG 271 (AU): acknowledge within 24 hours, at risk at 75 % (18 h).
  const v1::Complaint c = Submit("AU");
  ASSERT_EQ(c.policy().id(), "asic-rg271");

  auto r = a_.sweeper->SweepOnce();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->at_risk_recorded + r->breached_recorded, 0);  // nothing due yet

  clock_.Advance(absl::Hours(19));
  r = a_.sweeper->SweepOnce();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->at_risk_recorded, 1);
  EXPECT_EQ(r->breached_recorded, 0);
  EXPECT_EQ(Alerts(History(c.name())), (std::map<std::string, int>{{"AT_RISK ACKNOWLEDGEMENT/1", 1}}));

  r = a_.sweeper->SweepOnce();  // the next round finds it recorded
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at_risk_recorded + r->breached_recorded, 0);

  clock_.Advance(absl::Hours(6));  // 25 h: the acknowledgement is late
  r = a_.sweeper->SweepOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->breached_recorded, 1);
  const auto events = History(c.name());
  EXPECT_EQ(Alerts(events), (std::map<std::string, int>{{"AT_RISK ACKNOWLEDGEMENT/1", 1},
                                                         {"BREACHED ACKNOWLEDGEMENT/1", 1}}));
  // The alerts are ordinary links of the complaint's hash chain, by the
  // sweeper, and leave the state alone.
  EXPECT_TRUE(domain::VerifyEventChain(events).ok());
  for (const auto& e : events) {
    if (e.type() == v1::ComplaintEvent::TYPE_DEADLINE_BREACHED) {
      EXPECT_EQ(e.actor(), kSweeperActor);
      EXPECT_EQ(e.actor_kind(), v1::ComplaintEvent::ACTOR_KIND_SYSTEM);
      EXPECT_EQ(e.from_state(), v1::Complaint::STATE_RECEIVED);
      EXPECT_EQ(e.to_state(), v1::Complaint::STATE_RECEIVED);
    }
  }
  // Acknowledging now does not undo the breach (a late acknowledgement).
  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(c.name());
  ASSERT_TRUE(Do(ack, Action::kAcknowledge).ok());
  v1::GetComplaintRequest get;
  get.set_name(c.name());
  auto now = a_.engine->Get(get);
  ASSERT_TRUE(now.ok());
  bool found = false;
  for (const auto& d : now->deadlines()) {
    if (d.kind() == v1::DEADLINE_KIND_ACKNOWLEDGEMENT) {
      found = true;
      EXPECT_EQ(d.state(), v1::Deadline::STATE_BREACHED);
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(DeadlineSweeperTest, EscalatesPerPolicyOncePerAlert) {
  // FCA DISP (GB): final response within 8 weeks, at risk at 75 % (6 weeks)
  // escalates to complaints-manager; any breach to head-of-complaints.
  const v1::Complaint c = Submit("GB");
  ASSERT_EQ(c.policy().id(), "fca-disp");
  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(c.name());
  ASSERT_TRUE(Do(ack, Action::kAcknowledge).ok());

  clock_.Advance(absl::Hours(24 * 43));  // past 6 weeks, before 8
  auto r = a_.sweeper->SweepOnce();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Alerts(History(c.name())),
            (std::map<std::string, int>{{"AT_RISK FINAL_RESPONSE/1", 1}}));
  EXPECT_EQ(r->escalations_recorded, 1);
  v1::GetComplaintRequest get;
  get.set_name(c.name());
  EXPECT_EQ(a_.engine->Get(get)->escalation_level(), 1);

  clock_.Advance(absl::Hours(24 * 15));  // past 8 weeks
  r = a_.sweeper->SweepOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->breached_recorded, 1);
  EXPECT_EQ(r->escalations_recorded, 1);
  EXPECT_EQ(a_.engine->Get(get)->escalation_level(), 2);
  int escalations = 0;
  for (const auto& e : History(c.name())) {
    if (e.type() != v1::ComplaintEvent::TYPE_ESCALATED) continue;
    ++escalations;
    EXPECT_EQ(e.actor(), kSweeperActor);
    EXPECT_THAT(e.payload(), ::testing::HasSubstr(escalations == 1 ? "complaints-manager"
                                                                   : "head-of-complaints"));
  }
  EXPECT_EQ(escalations, 2);
  r = a_.sweeper->SweepOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at_risk_recorded + r->breached_recorded + r->escalations_recorded, 0);
}

TEST_P(DeadlineSweeperTest, TwoReplicasSweepingTogetherRecordEachAlertExactlyOnce) {
  Replica b = NewReplica();
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i) names.push_back(Submit(i % 2 ? "AU" : "GB").name());
  clock_.Advance(absl::Hours(24 * 70));  // every clock of every complaint is late

  for (int round = 0; round < 3; ++round) {
    auto fa = std::async(std::launch::async, [&] { return a_.sweeper->SweepOnce(); });
    auto fb = std::async(std::launch::async, [&] { return b.sweeper->SweepOnce(); });
    auto ra = fa.get();
    auto rb = fb.get();
    ASSERT_TRUE(ra.ok()) << ra.status();
    ASSERT_TRUE(rb.ok()) << rb.status();
  }
  for (const std::string& name : names) {
    const auto events = History(name);
    EXPECT_TRUE(domain::VerifyEventChain(events).ok()) << name;
    for (const auto& [alert, n] : Alerts(events)) {
      EXPECT_EQ(n, 1) << name << " " << alert;
    }
    EXPECT_FALSE(Alerts(events).empty()) << name;
  }
}

TEST_P(DeadlineSweeperTest, ClosedComplaintsAndComplaintsWithoutPolicyAreLeftAlone) {
  const v1::Complaint c = Submit("AU");
  v1::WithdrawComplaintRequest w;
  w.set_name(c.name());
  ASSERT_TRUE(Do(w, Action::kWithdraw).ok());
  clock_.Advance(absl::Hours(24 * 90));
  auto r = a_.sweeper->SweepOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at_risk_recorded + r->breached_recorded, 0);
  EXPECT_TRUE(Alerts(History(c.name())).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeadlineSweeperTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::core
