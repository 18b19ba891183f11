#include "server/domain/deadline_alerts.h"

#include <gtest/gtest.h>

#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;

v1::Deadline D(v1::DeadlineKind kind, int cycle, v1::Deadline::State state) {
  v1::Deadline d;
  d.set_kind(kind);
  d.set_cycle(cycle);
  d.set_state(state);
  *d.mutable_due_time() = ToTimestamp(absl::FromUnixSeconds(1790000000));
  return d;
}

ReplayEvent Alert(const char* type, const std::string& payload) {
  ReplayEvent e;
  e.type = type;
  e.payload = payload;
  return e;
}

TEST(DeadlineAlertsTest, OnlyAtRiskAndBreachedDeadlinesWithoutARecordedAlert) {
  const std::vector<v1::Deadline> ds = {
      D(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, 1, v1::Deadline::STATE_MET),
      D(v1::DEADLINE_KIND_FINAL_RESPONSE, 1, v1::Deadline::STATE_AT_RISK),
      D(v1::DEADLINE_KIND_HOLDING_RESPONSE, 1, v1::Deadline::STATE_BREACHED),
      D(v1::DEADLINE_KIND_SUMMARY_RESOLUTION, 1, v1::Deadline::STATE_EXPIRED)};
  auto pending = PendingAlerts(ds, {});
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].kind, v1::DEADLINE_KIND_FINAL_RESPONSE);
  EXPECT_FALSE(pending[0].breached);
  EXPECT_EQ(pending[1].kind, v1::DEADLINE_KIND_HOLDING_RESPONSE);
  EXPECT_TRUE(pending[1].breached);

  // Recorded alerts (as AlertPayload writes them) are not repeated.
  const std::vector<ReplayEvent> events = {
      Alert(kEventDeadlineAtRisk, AlertPayload(pending[0])),
      Alert(kEventDeadlineBreached, AlertPayload(pending[1]))};
  EXPECT_TRUE(PendingAlerts(ds, events).empty());
}

TEST(DeadlineAlertsTest, AtRiskRecordedStillAllowsBreachedButBreachedCoversAtRisk) {
  const std::vector<ReplayEvent> at_risk = {
      Alert(kEventDeadlineAtRisk, R"({"kind":"FINAL_RESPONSE","cycle":1,"due_time":"x"})")};
  auto later = PendingAlerts({D(v1::DEADLINE_KIND_FINAL_RESPONSE, 1, v1::Deadline::STATE_BREACHED)},
                             at_risk);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_TRUE(later[0].breached);

  const std::vector<ReplayEvent> breached = {
      Alert(kEventDeadlineBreached, R"({"kind":"FINAL_RESPONSE","cycle":1,"due_time":"x"})")};
  EXPECT_TRUE(PendingAlerts({D(v1::DEADLINE_KIND_FINAL_RESPONSE, 1, v1::Deadline::STATE_AT_RISK)},
                            breached)
                  .empty());
  // A new cycle (after a reopening) is a new deadline.
  EXPECT_EQ(PendingAlerts({D(v1::DEADLINE_KIND_FINAL_RESPONSE, 2, v1::Deadline::STATE_AT_RISK)},
                          breached)
                .size(),
            1u);
}

TEST(DeadlineAlertsTest, PayloadNamesKindCycleAndDueTime) {
  DeadlineAlert a;
  a.kind = v1::DEADLINE_KIND_ACKNOWLEDGEMENT;
  a.cycle = 2;
  a.due_time = absl::FromUnixSeconds(0);
  EXPECT_EQ(AlertPayload(a),
            R"({"kind":"ACKNOWLEDGEMENT","cycle":2,"due_time":"1970-01-01T00:00:00+00:00"})");
}

TEST(DeadlineAlertsTest, EscalationsMatchTriggerAndKind) {
  v1::Policy p;
  auto* e1 = p.add_escalations();
  e1->set_kind(v1::DEADLINE_KIND_FINAL_RESPONSE);
  e1->set_trigger(v1::Deadline::STATE_AT_RISK);
  e1->set_escalate_to("manager");
  auto* e2 = p.add_escalations();
  e2->set_trigger(v1::Deadline::STATE_BREACHED);  // any kind
  e2->set_escalate_to("head");
  DeadlineAlert a;
  a.kind = v1::DEADLINE_KIND_ACKNOWLEDGEMENT;
  EXPECT_TRUE(EscalationsFor(p, a).empty());
  a.breached = true;
  ASSERT_EQ(EscalationsFor(p, a).size(), 1u);
  EXPECT_EQ(EscalationsFor(p, a)[0].escalate_to(), "head");
  a.kind = v1::DEADLINE_KIND_FINAL_RESPONSE;
  a.breached = false;
  ASSERT_EQ(EscalationsFor(p, a).size(), 1u);
  EXPECT_EQ(EscalationsFor(p, a)[0].escalate_to(), "manager");
}

}  // namespace
}  // namespace redress::domain
