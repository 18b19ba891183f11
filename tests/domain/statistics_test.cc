// ComputeStatistics on a fixture of five complaints whose figures were
// worked out by hand (the expected values below, with their arithmetic).
#include "server/domain/statistics.h"

#include <gtest/gtest.h>

#include "server/domain/policy_presets.h"
#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using C = v1::Complaint;
using E = v1::ComplaintEvent;

const absl::TimeZone kUtc = absl::UTCTimeZone();
absl::Time At(int m, int d, int h) { return absl::FromCivil(absl::CivilSecond(2026, m, d, h, 0, 0), kUtc); }

struct Builder {
  C complaint;
  std::vector<E> events;
  std::vector<v1::Deadline> deadlines;
  absl::Time receipt;

  Builder(absl::Time r, v1::Channel ch, const std::string& category) : receipt(r) {
    complaint.set_channel(ch);
    complaint.set_category(category);
    *complaint.mutable_create_time() = ToTimestamp(r);
    complaint.set_state(C::STATE_RECEIVED);
    Event(E::TYPE_SUBMITTED, absl::ZeroDuration(), C::STATE_RECEIVED);
  }
  Builder& Event(E::Type t, absl::Duration after, C::State to) {
    E e;
    e.set_type(t);
    *e.mutable_event_time() = ToTimestamp(receipt + after);
    e.set_to_state(to);
    events.push_back(e);
    complaint.set_state(to);
    return *this;
  }
  Builder& Deadline(v1::DeadlineKind k, v1::Deadline::State s) {
    v1::Deadline d;
    d.set_kind(k);
    d.set_cycle(1);
    d.set_state(s);
    *d.mutable_start_time() = ToTimestamp(receipt);
    *d.mutable_due_time() = ToTimestamp(receipt + absl::Hours(24 * 56));
    deadlines.push_back(d);
    return *this;
  }
  Builder& Response(v1::Response::Decision dec, const std::string& currency, int64_t minor) {
    complaint.mutable_response()->set_decision(dec);
    if (!currency.empty()) {
      complaint.mutable_response()->mutable_redress_amount()->set_currency_code(currency);
      complaint.mutable_response()->mutable_redress_amount()->set_amount_minor(minor);
    }
    return *this;
  }
  Builder& Satisfaction(int csat, int nps) {
    if (csat > 0) complaint.mutable_satisfaction()->set_csat_score(csat);
    if (nps >= 0) complaint.mutable_satisfaction()->set_nps_score(nps);
    return *this;
  }
};

absl::Duration Of(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

class StatisticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto reg = BuiltinPolicies();
    ASSERT_TRUE(reg.ok()) << reg.status();
    registry_ = std::make_unique<PolicyRegistry>(std::move(*reg));
    auto cal = registry_->FindCalendar("utc-weekdays");  // Mon-Fri 09:00-17:00 UTC
    ASSERT_TRUE(cal.ok());
    const absl::Duration h = absl::Hours(1), d = absl::Hours(24);
    // A: Mon 2 Mar 09:00, email, billing. Acknowledged +1h, upheld response
    // +2d (GBP 50.00), closed Thu 5 Mar 15:00 (+78h: after 72 h but before
    // close of business of the 3rd business day, Thu 17:00). CSAT 5, NPS 10.
    Builder a(At(3, 2, 9), v1::CHANNEL_EMAIL, "billing");
    a.Event(E::TYPE_ACKNOWLEDGED, h, C::STATE_ACKNOWLEDGED)
        .Event(E::TYPE_RESPONDED, 2 * d, C::STATE_RESPONDED)
        .Event(E::TYPE_COMPLAINANT_DECISION_RECORDED, 78 * h, C::STATE_CLOSED)
        .Deadline(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::Deadline::STATE_MET)
        .Deadline(v1::DEADLINE_KIND_FINAL_RESPONSE, v1::Deadline::STATE_MET)
        .Deadline(v1::DEADLINE_KIND_SUMMARY_RESOLUTION, v1::Deadline::STATE_EXPIRED)  // a window
        .Response(v1::Response::DECISION_UPHELD, "GBP", 5000)
        .Satisfaction(5, 10);
    // B: Tue 3 Mar 12:00, phone, billing. Acknowledged late (+30h), disputed,
    // not upheld +35d, closed +36d, escalated once. CSAT 2, NPS 3.
    Builder b(At(3, 3, 12), v1::CHANNEL_PHONE, "billing");
    b.Event(E::TYPE_ACKNOWLEDGED, 30 * h, C::STATE_ACKNOWLEDGED)
        .Event(E::TYPE_RESPONDED, 35 * d, C::STATE_RESPONDED)
        .Event(E::TYPE_DISPUTE_OPENED, 35 * d + h, C::STATE_DISPUTED)
        .Event(E::TYPE_DISPUTE_RESOLVED, 36 * d, C::STATE_CLOSED)
        .Deadline(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::Deadline::STATE_BREACHED)
        .Deadline(v1::DEADLINE_KIND_FINAL_RESPONSE, v1::Deadline::STATE_MET)
        .Response(v1::Response::DECISION_NOT_UPHELD, "", 0)
        .Satisfaction(2, 3);
    b.complaint.set_escalation_level(1);
    // C: Mon 9 Mar 10:00, email, fees. Acknowledged +2h, investigating,
    // final response overdue.
    Builder c(At(3, 9, 10), v1::CHANNEL_EMAIL, "fees");
    c.Event(E::TYPE_ACKNOWLEDGED, 2 * h, C::STATE_ACKNOWLEDGED)
        .Event(E::TYPE_INVESTIGATION_STARTED, 3 * h, C::STATE_INVESTIGATING)
        .Deadline(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::Deadline::STATE_MET)
        .Deadline(v1::DEADLINE_KIND_FINAL_RESPONSE, v1::Deadline::STATE_BREACHED);
    // D: Wed 11 Mar 10:00, web, fees. Withdrawn +1d. No policy.
    Builder dd(At(3, 11, 10), v1::CHANNEL_WEB, "fees");
    dd.Event(E::TYPE_WITHDRAWN, d, C::STATE_WITHDRAWN);
    // E: Mon 2 Mar 10:00, letter, billing. Partly upheld +60d (EUR 1.00),
    // closed +70d, reopened +71d. NPS 7. No policy.
    Builder e(At(3, 2, 10), v1::CHANNEL_LETTER, "billing");
    e.Event(E::TYPE_ACKNOWLEDGED, 60 * d, C::STATE_ACKNOWLEDGED)  // first contact: +60d
        .Event(E::TYPE_RESPONDED, 60 * d, C::STATE_RESPONDED)
        .Event(E::TYPE_CLOSED, 70 * d, C::STATE_CLOSED)
        .Event(E::TYPE_REOPENED, 71 * d, C::STATE_INVESTIGATING)
        .Response(v1::Response::DECISION_PARTIALLY_UPHELD, "EUR", 100)
        .Satisfaction(0, 7);
    builders_ = {a, b, c, dd, e};
    for (auto& x : builders_) {
      ComplaintFacts f;
      f.complaint = &x.complaint;
      f.events = x.events;
      f.deadlines = x.deadlines;
      f.calendar = (&x == &builders_[0]) ? *cal : nullptr;
      facts_.push_back(f);
    }
  }

  std::unique_ptr<PolicyRegistry> registry_;
  std::vector<Builder> builders_;
  std::vector<ComplaintFacts> facts_;
};

std::map<std::string, int64_t> AsMap(const google::protobuf::RepeatedPtrField<v1::StatisticsCount>& c) {
  std::map<std::string, int64_t> m;
  for (const auto& x : c) m[x.key()] = x.count();
  return m;
}

TEST_F(StatisticsTest, CountsAndDurations) {
  const auto s = ComputeStatistics(facts_, At(6, 1, 0));
  EXPECT_EQ(s.complaint_count(), 5);
  EXPECT_EQ(AsMap(s.by_state()),
            (std::map<std::string, int64_t>{{"CLOSED", 2}, {"INVESTIGATING", 2}, {"WITHDRAWN", 1}}));
  EXPECT_EQ(AsMap(s.by_channel()), (std::map<std::string, int64_t>{
                                       {"EMAIL", 2}, {"LETTER", 1}, {"PHONE", 1}, {"WEB", 1}}));
  EXPECT_EQ(AsMap(s.by_category()), (std::map<std::string, int64_t>{{"billing", 3}, {"fees", 2}}));
  // First contact: 1h, 2h, 30h, 60d -> p50 (rank 2) 2h, p90 (rank 4) 60d,
  // mean (1 + 2 + 30 + 1440) / 4 = 368.25h.
  EXPECT_EQ(s.first_response_time().count(), 4);
  EXPECT_EQ(Of(s.first_response_time().p50()), absl::Hours(2));
  EXPECT_EQ(Of(s.first_response_time().p90()), absl::Hours(1440));
  EXPECT_EQ(Of(s.first_response_time().mean()), absl::Minutes(368 * 60 + 15));
  // Response: 2d, 35d, 60d -> p50 35d, p90 60d, mean 97/3 d = 776h.
  EXPECT_EQ(s.response_time().count(), 3);
  EXPECT_EQ(Of(s.response_time().p50()), absl::Hours(24 * 35));
  EXPECT_EQ(Of(s.response_time().mean()), absl::Hours(776));
  // Handle (first closure): 78h, 36d, 70d -> mean (78 + 864 + 1680) / 3 = 874h.
  EXPECT_EQ(s.handle_time().count(), 3);
  EXPECT_EQ(Of(s.handle_time().p50()), absl::Hours(864));
  EXPECT_EQ(Of(s.handle_time().p90()), absl::Hours(1680));
  EXPECT_EQ(Of(s.handle_time().mean()), absl::Hours(874));
}

TEST_F(StatisticsTest, DispBucketsOutcomesAndRates) {
  const auto s = ComputeStatistics(facts_, At(6, 1, 0));
  const auto& t = s.totals();
  EXPECT_EQ(t.received_count(), 5);
  EXPECT_EQ(t.open_count(), 2);  // C, E (reopened)
  EXPECT_EQ(t.closed_count(), 3);  // A, B, E (first closure)
  EXPECT_EQ(t.withdrawn_count(), 1);
  // A closed at 78h, within the 3rd business day's close thanks to its
  // calendar (without one the rule would be 72h and A would miss it).
  EXPECT_EQ(t.closed_within_3_business_days_count(), 1);
  EXPECT_EQ(t.closed_within_4_weeks_count(), 1);   // A
  EXPECT_EQ(t.closed_4_to_8_weeks_count(), 1);     // B, 36d
  EXPECT_EQ(t.closed_after_8_weeks_count(), 1);    // E, 70d
  EXPECT_EQ(t.responded_count(), 3);
  EXPECT_EQ(t.upheld_count(), 2);  // A upheld, E partly
  ASSERT_EQ(t.redress_paid_size(), 2);
  EXPECT_EQ(t.redress_paid(0).currency_code(), "EUR");
  EXPECT_EQ(t.redress_paid(0).amount_minor(), 100);
  EXPECT_EQ(t.redress_paid(1).currency_code(), "GBP");
  EXPECT_EQ(t.redress_paid(1).amount_minor(), 5000);
  EXPECT_DOUBLE_EQ(s.closed_within_3_business_days_ratio(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(s.closed_within_8_weeks_ratio(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.upheld_ratio(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.escalation_ratio(), 0.2);  // B
  EXPECT_DOUBLE_EQ(s.dispute_ratio(), 0.2);     // B
  EXPECT_DOUBLE_EQ(s.reopen_ratio(), 0.2);      // E

  ASSERT_EQ(s.categories_size(), 2);
  EXPECT_EQ(s.categories(0).category(), "billing");
  EXPECT_EQ(s.categories(0).received_count(), 3);
  EXPECT_EQ(s.categories(0).closed_count(), 3);
  EXPECT_EQ(s.categories(1).category(), "fees");
  EXPECT_EQ(s.categories(1).withdrawn_count(), 1);
  EXPECT_EQ(s.categories(1).closed_count(), 0);
}

TEST_F(StatisticsTest, DeadlinesSatisfactionHistogramAndWeeks) {
  const auto s = ComputeStatistics(facts_, At(6, 1, 0));
  // Firm-side only (A's summary-resolution window is not counted):
  // ACK met A, C / breached B; FINAL met A, B / breached C.
  ASSERT_EQ(s.deadline_compliance_size(), 2);
  EXPECT_EQ(s.deadline_compliance(0).kind(), v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  EXPECT_EQ(s.deadline_compliance(0).met_count(), 2);
  EXPECT_EQ(s.deadline_compliance(0).breached_count(), 1);
  EXPECT_EQ(s.deadline_compliance(1).kind(), v1::DEADLINE_KIND_FINAL_RESPONSE);
  EXPECT_DOUBLE_EQ(s.deadline_compliance_ratio(), 4.0 / 6);
  EXPECT_EQ(s.csat_responses(), 2);
  EXPECT_DOUBLE_EQ(s.csat_mean(), 3.5);
  EXPECT_EQ(s.nps_responses(), 3);
  EXPECT_EQ(s.nps_promoters(), 1);   // A (10)
  EXPECT_EQ(s.nps_detractors(), 1);  // B (3); E (7) is passive
  EXPECT_DOUBLE_EQ(s.nps(), 0.0);
  // Histogram: A 3.25d -> <= 7; B 36d -> <= 42; E 70d -> <= 84.
  std::map<int, int64_t> hist;
  for (const auto& b : s.resolution_histogram()) hist[b.max_days()] = b.count();
  EXPECT_EQ(hist, (std::map<int, int64_t>{{1, 0}, {3, 0}, {7, 1}, {14, 0}, {28, 0}, {42, 1},
                                          {56, 0}, {84, 1}, {0, 0}}));
  EXPECT_EQ(Of(s.final_response_allowance_p50()), absl::Hours(24 * 56));
  // Weeks of receipt: 2 Mar (A, B, E) and 9 Mar (C, D).
  ASSERT_EQ(s.weeks_size(), 2);
  EXPECT_EQ(FromTimestamp(s.weeks(0).week_start_time()), At(3, 2, 0));
  EXPECT_EQ(AsMap(s.weeks(0).received_by_channel()),
            (std::map<std::string, int64_t>{{"EMAIL", 1}, {"LETTER", 1}, {"PHONE", 1}}));
  EXPECT_EQ(s.weeks(0).closed_count(), 3);
  EXPECT_EQ(s.weeks(0).deadlines_met_count(), 3);
  EXPECT_EQ(s.weeks(0).deadlines_breached_count(), 1);
  EXPECT_EQ(s.weeks(0).nps_responses(), 3);
  EXPECT_EQ(FromTimestamp(s.weeks(1).week_start_time()), At(3, 9, 0));
  EXPECT_EQ(s.weeks(1).closed_count(), 0);
  EXPECT_EQ(s.weeks(1).deadlines_breached_count(), 1);
}

TEST(StatisticsEmptyTest, NoComplaintsGiveZerosNotNaN) {
  const auto s = ComputeStatistics({}, absl::UnixEpoch());
  EXPECT_EQ(s.complaint_count(), 0);
  EXPECT_EQ(s.upheld_ratio(), 0.0);
  EXPECT_EQ(s.nps(), 0.0);
  EXPECT_EQ(s.csat_mean(), 0.0);
  EXPECT_EQ(s.weeks_size(), 0);
}

}  // namespace
}  // namespace redress::domain
