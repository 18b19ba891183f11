// Deadline replay under the built-in presets. Every expected time was worked
// out by hand from the rule cited in the test (and the holiday lists); none
// is copied from the code's output. Times are written in UTC; the local time
// is given in the comment.
#include "server/domain/deadlines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/domain/policy.h"
#include "server/domain/policy_presets.h"
#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using ::testing::HasSubstr;
using S = v1::Deadline;

absl::Time T(const char* rfc3339) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) {
    ADD_FAILURE() << "bad time " << rfc3339 << ": " << err;
  }
  return t;
}

const PolicyRegistry& Builtin() {
  static const PolicyRegistry* r = [] {
    auto reg = BuiltinPolicies();
    EXPECT_TRUE(reg.ok()) << reg.status();
    return new PolicyRegistry(*reg);
  }();
  return *r;
}

std::string PolicyJson(const char* id, int version, const char* calendar) {
  return absl::StrCat("{\"id\":\"", id, "\",\"version\":", version, ",\"calendar_id\":\"",
                      calendar, "\"}");
}

// A complaint's history, built event by event.
class History {
 public:
  History& Add(const char* type, const char* time, std::string payload = "{}") {
    events_.push_back({static_cast<int64_t>(events_.size() + 1), type, T(time),
                       std::move(payload), nullptr});
    return *this;
  }
  History& Submitted(const char* time) { return Add(kEventSubmitted, time, "{\"complaint\":{}}"); }
  History& Responded(const char* time, bool summary = false) {
    return Add(kEventResponded, time,
               summary ? R"({"response":{"decision":"DECISION_UPHELD","summary_resolution":true}})"
                       : R"({"response":{"decision":"DECISION_UPHELD"}})");
  }
  History& Decided(const char* time, bool accepted) {
    return Add(kEventDecisionRecorded, time,
               absl::StrCat("{\"decision\":{\"outcome\":\"",
                            accepted ? "OUTCOME_ACCEPTED" : "OUTCOME_REJECTED", "\"}}"));
  }
  History& Extended(const char* time, const char* kind, int amount) {
    return Add(kEventDeadlineExtended, time,
               absl::StrCat("{\"extension\":{\"kind\":\"", kind, "\",\"amount\":", amount,
                            ",\"reason\":\"exceptional circumstances\"}}"));
  }
  const std::vector<ReplayEvent>& events() const { return events_; }

 private:
  std::vector<ReplayEvent> events_;
};

DeadlineContext Ctx(const char* policy, const char* calendar, const char* now,
                    const std::string& complaint_class = "",
                    const PolicyRegistry& reg = Builtin(), int version = 1) {
  DeadlineContext ctx;
  ctx.policy = *reg.FindPolicy(policy, version);
  ctx.calendar = *reg.FindCalendar(calendar);
  ctx.pause_windows = reg.PauseWindowsFor(complaint_class);
  ctx.now = T(now);
  return ctx;
}

std::vector<v1::Deadline> Compute(const History& h, const DeadlineContext& ctx) {
  auto r = ComputeDeadlines(h.events(), ctx);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::vector<v1::Deadline>{};
}

const v1::Deadline& Find(const std::vector<v1::Deadline>& ds, v1::DeadlineKind kind,
                         int cycle = 1) {
  for (const auto& d : ds) {
    if (d.kind() == kind && d.cycle() == cycle) return d;
  }
  ADD_FAILURE() << "no deadline " << v1::DeadlineKind_Name(kind) << " cycle " << cycle;
  static const v1::Deadline empty;
  return empty;
}

bool Has(const std::vector<v1::Deadline>& ds, v1::DeadlineKind kind) {
  for (const auto& d : ds) {
    if (d.kind() == kind) return true;
  }
  return false;
}

absl::Time Due(const v1::Deadline& d) { return FromTimestamp(d.due_time()); }
absl::Duration Remaining(const v1::Deadline& d) {
  return absl::Seconds(d.time_remaining().seconds()) +
         absl::Nanoseconds(d.time_remaining().nanos());
}

constexpr auto kAck = v1::DEADLINE_KIND_ACKNOWLEDGEMENT;
constexpr auto kSummary = v1::DEADLINE_KIND_SUMMARY_RESOLUTION;
constexpr auto kHolding = v1::DEADLINE_KIND_HOLDING_RESPONSE;
constexpr auto kFinal = v1::DEADLINE_KIND_FINAL_RESPONSE;
constexpr auto kDispute = v1::DEADLINE_KIND_DISPUTE_WINDOW;
constexpr auto kReopen = v1::DEADLINE_KIND_REOPEN_WINDOW;

// ---------------------------------------------------------------------------
// FCA DISP (England and Wales), received Mon 2 Mar 2026 10:00 GMT.

TEST(FcaDisp, DeadlinesAtReceipt) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z");
  const auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-02T12:00:00Z"));
  // DISP 1.6.1R (Redress target: close of the next business day): Tue 3 Mar
  // 17:00 GMT. At risk after 75% of the 31 hours: Tue 09:15.
  EXPECT_EQ(Due(Find(ds, kAck)), T("2026-03-03T17:00:00Z"));
  EXPECT_EQ(FromTimestamp(Find(ds, kAck).at_risk_time()), T("2026-03-03T09:15:00Z"));
  // DISP 1.5.1R: close of the 3rd business day after Monday: Thu 5 Mar 17:00.
  EXPECT_EQ(Due(Find(ds, kSummary)), T("2026-03-05T17:00:00Z"));
  EXPECT_FALSE(Find(ds, kSummary).has_at_risk_time());  // a window
  // DISP 1.6.2R: 8 weeks -> end of Mon 27 Apr (BST) = 23:00 UTC. At risk
  // after 75% of 56d13h = 42d9h45m: Mon 13 Apr 19:45 UTC.
  const auto& fin = Find(ds, kFinal);
  EXPECT_EQ(Due(fin), T("2026-04-27T23:00:00Z"));
  EXPECT_EQ(FromTimestamp(fin.at_risk_time()), T("2026-04-13T19:45:00Z"));
  EXPECT_EQ(fin.state(), S::STATE_ON_TRACK);
  EXPECT_EQ(Remaining(fin), absl::Hours(56 * 24 + 11));
  EXPECT_EQ(fin.amount(), 8);
  EXPECT_EQ(fin.unit(), v1::TIME_UNIT_WEEKS);
  EXPECT_EQ(fin.policy().id(), "fca-disp");
  EXPECT_EQ(fin.policy().version(), 1);
  EXPECT_EQ(fin.policy().calendar_id(), "gb-eaw");
  EXPECT_THAT(fin.explanation(), HasSubstr("FCA DISP 1.6.2R"));
  EXPECT_THAT(fin.explanation(), HasSubstr("received 2026-03-02 10:00 GMT"));
  EXPECT_THAT(fin.explanation(), HasSubstr("due 2026-04-28 00:00 BST"));
  // No holding-response rule in DISP; windows open only later.
  EXPECT_FALSE(Has(ds, kHolding));
  EXPECT_FALSE(Has(ds, kDispute));
  EXPECT_FALSE(Has(ds, kReopen));
}

TEST(FcaDisp, StatesOverTime) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z");
  auto ack_at = [&](const char* now) {
    return Find(Compute(h, Ctx("fca-disp", "gb-eaw", now)), kAck);
  };
  EXPECT_EQ(ack_at("2026-03-03T09:14:59Z").state(), S::STATE_ON_TRACK);
  EXPECT_EQ(ack_at("2026-03-03T09:15:00Z").state(), S::STATE_AT_RISK);
  EXPECT_EQ(ack_at("2026-03-03T17:00:00Z").state(), S::STATE_AT_RISK);  // "by" 17:00
  const auto late = ack_at("2026-03-03T17:00:01Z");
  EXPECT_EQ(late.state(), S::STATE_BREACHED);
  EXPECT_EQ(Remaining(late), absl::Seconds(-1));
  const auto fin = [&](const char* now) {
    return Find(Compute(h, Ctx("fca-disp", "gb-eaw", now)), kFinal).state();
  };
  EXPECT_EQ(fin("2026-04-13T19:44:59Z"), S::STATE_ON_TRACK);
  EXPECT_EQ(fin("2026-04-13T19:45:00Z"), S::STATE_AT_RISK);
  EXPECT_EQ(fin("2026-04-27T23:00:01Z"), S::STATE_BREACHED);
}

TEST(FcaDisp, AcknowledgedRespondedAccepted) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Add(kEventAcknowledged, "2026-03-03T09:00:00Z")
      .Add("NOTE_ADDED", "2026-03-04T09:00:00Z")
      .Responded("2026-04-20T09:00:00Z")  // Mon 20 Apr 10:00 BST
      .Decided("2026-04-22T09:00:00Z", true);
  const auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-05-01T12:00:00Z"));
  EXPECT_EQ(Find(ds, kAck).state(), S::STATE_MET);
  EXPECT_EQ(Remaining(Find(ds, kAck)), absl::Hours(8));  // 09:00 vs 17:00
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_MET);
  EXPECT_EQ(FromTimestamp(Find(ds, kFinal).satisfy_time()), T("2026-04-20T09:00:00Z"));
  // The summary window (Thu 5 Mar) passed unused: expired, not breached.
  EXPECT_EQ(Find(ds, kSummary).state(), S::STATE_EXPIRED);
  // DISP 2.8.2R: 6 months from the response (20 Apr) -> end of 20 Oct 2026,
  // still BST -> 23:00 UTC.
  EXPECT_EQ(Due(Find(ds, kDispute)), T("2026-10-20T23:00:00Z"));
  EXPECT_EQ(Find(ds, kDispute).state(), S::STATE_ON_TRACK);
  // Reopen window (Redress default 8 weeks) from the acceptance on 22 Apr:
  // Wed 17 Jun, end of day BST.
  EXPECT_EQ(Due(Find(ds, kReopen)), T("2026-06-17T23:00:00Z"));
}

// FCA DISP 1.5: summary resolution by close of the 3rd business day; a
// complaint is resolved only when the complainant accepts.
TEST(FcaDispSummaryResolution, AcceptedWithinTheWindow) {
  History h;
  h.Submitted("2026-03-05T10:00:00Z")  // Thu
      .Add(kEventAcknowledged, "2026-03-05T11:00:00Z")
      .Responded("2026-03-10T16:59:00Z", /*summary=*/true);  // Tue, window closes 17:00
  auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-10T18:00:00Z"));
  EXPECT_EQ(Due(Find(ds, kSummary)), T("2026-03-10T17:00:00Z"));
  EXPECT_EQ(Find(ds, kSummary).state(), S::STATE_MET);
  // Final response: 8 weeks from Thu 5 Mar = end of Thu 30 Apr (BST); still
  // running until the complainant accepts.
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-04-30T23:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_ON_TRACK);
  EXPECT_THAT(Find(ds, kFinal).explanation(), HasSubstr("summary resolution sent"));

  h.Decided("2026-03-11T10:00:00Z", /*accepted=*/true);
  ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-12T10:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_NOT_REQUIRED);
  EXPECT_THAT(Find(ds, kFinal).explanation(), HasSubstr("no final response is required"));
  // Dispute window from the summary resolution (10 Mar) -> end of 10 Sep (BST).
  EXPECT_EQ(Due(Find(ds, kDispute)), T("2026-09-10T23:00:00Z"));
  // Reopen window from the closure (11 Mar) + 56 days -> end of 6 May (BST).
  EXPECT_EQ(Due(Find(ds, kReopen)), T("2026-05-06T23:00:00Z"));
}

TEST(FcaDispSummaryResolution, RejectedSummaryKeepsTheFinalClock) {
  History h;
  h.Submitted("2026-03-05T10:00:00Z")
      .Add(kEventAcknowledged, "2026-03-05T11:00:00Z")
      .Responded("2026-03-09T12:00:00Z", true)
      .Decided("2026-03-11T10:00:00Z", false);
  auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-12T10:00:00Z"));
  EXPECT_EQ(Find(ds, kSummary).state(), S::STATE_MET);
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_ON_TRACK);
  EXPECT_THAT(Find(ds, kFinal).explanation(), HasSubstr("summary resolution rejected"));
  ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-05-01T00:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_BREACHED);  // due 30 Apr 23:00 UTC
}

TEST(FcaDispSummaryResolution, SummaryAfterTheWindowIsAFinalResponse) {
  History h;
  h.Submitted("2026-03-05T10:00:00Z")
      .Add(kEventAcknowledged, "2026-03-05T11:00:00Z")
      .Responded("2026-03-10T17:30:00Z", true);  // 30 minutes after close of business
  const auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-11T10:00:00Z"));
  EXPECT_EQ(Find(ds, kSummary).state(), S::STATE_EXPIRED);
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_MET);
  EXPECT_EQ(FromTimestamp(Find(ds, kFinal).satisfy_time()), T("2026-03-10T17:30:00Z"));
}

TEST(FcaDispSummaryResolution, FinalResponseInsideTheWindow) {
  History h;
  h.Submitted("2026-03-05T10:00:00Z")
      .Add(kEventAcknowledged, "2026-03-05T11:00:00Z")
      .Responded("2026-03-06T10:00:00Z", false);
  const auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-06T11:00:00Z"));
  EXPECT_EQ(Find(ds, kSummary).state(), S::STATE_NOT_REQUIRED);
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_MET);
}

TEST(FcaDisp, ScotlandAndEnglandDifferOverEaster) {
  // Received Thu 2 Apr 2026 11:00 BST. E&W: Good Friday and Easter Monday;
  // Scotland: Good Friday only (FCA Glossary: bank holidays "in that part of
  // the UK").
  History h;
  h.Submitted("2026-04-02T10:00:00Z");
  auto sel = Builtin().Select({"GB-SCT", "", "billing", v1::CHANNEL_EMAIL, ""},
                              T("2026-04-02T10:00:00Z"));
  ASSERT_TRUE(sel.ok());
  ASSERT_EQ(sel->calendar->id(), "gb-sct");
  const auto sct = Compute(h, Ctx("fca-disp", "gb-sct", "2026-04-02T12:00:00Z"));
  const auto eaw = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-04-02T12:00:00Z"));
  // Acknowledgement, 1 business day: Scotland Mon 6 Apr, E&W Tue 7 Apr, 17:00 BST.
  EXPECT_EQ(Due(Find(sct, kAck)), T("2026-04-06T16:00:00Z"));
  EXPECT_EQ(Due(Find(eaw, kAck)), T("2026-04-07T16:00:00Z"));
  // Summary (DISP 1.5.1R): Scotland Mon 6, Tue 7, Wed 8; E&W Tue 7, Wed 8, Thu 9.
  EXPECT_EQ(Due(Find(sct, kSummary)), T("2026-04-08T16:00:00Z"));
  EXPECT_EQ(Due(Find(eaw, kSummary)), T("2026-04-09T16:00:00Z"));
  // 8 weeks (DISP 1.6.2R) ignore holidays: Thu 28 May, end of day BST.
  EXPECT_EQ(Due(Find(sct, kFinal)), T("2026-05-28T23:00:00Z"));
  EXPECT_EQ(Due(Find(eaw, kFinal)), T("2026-05-28T23:00:00Z"));
}

TEST(NextBusinessDayPolicy, ReceiptAfterHoursStartsMonday) {
  // A firm policy: summary resolution clock starts the next business day when
  // received outside 09:00-17:00 (the start rule an older DISP 1.5 allowed).
  auto set = BuiltinPolicySet();
  ASSERT_TRUE(set.ok());
  v1::Policy p = *Builtin().FindPolicy("fca-disp", 1).value();
  p.set_id("fca-disp-nbd");
  p.mutable_summary_resolution()->set_start_rule(
      v1::START_RULE_NEXT_BUSINESS_DAY_IF_OUTSIDE_HOURS);
  *set->add_policies() = p;
  auto reg = PolicyRegistry::Create(*set);
  ASSERT_TRUE(reg.ok()) << reg.status();
  History h;
  h.Submitted("2026-03-06T18:30:00Z");  // Fri 18:30 GMT
  // Start Mon 9 Mar 09:00 -> Tue 10, Wed 11, Thu 12 at 17:00.
  auto ds = Compute(h, Ctx("fca-disp-nbd", "gb-eaw", "2026-03-07T10:00:00Z", "", *reg));
  EXPECT_EQ(FromTimestamp(Find(ds, kSummary).start_time()), T("2026-03-09T09:00:00Z"));
  EXPECT_EQ(Due(Find(ds, kSummary)), T("2026-03-12T17:00:00Z"));
  EXPECT_THAT(Find(ds, kSummary).explanation(), HasSubstr("outside business hours"));
  // At receipt (the preset): Friday is day 0 -> Mon 9, Tue 10, Wed 11.
  ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-07T10:00:00Z"));
  EXPECT_EQ(Due(Find(ds, kSummary)), T("2026-03-11T17:00:00Z"));
}

TEST(FcaDisp, InformationRequestsDoNotStopTheEightWeekClock) {
  // DISP 1.6.2R has no pause for waiting on the complainant.
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Add(kEventInformationRequested, "2026-03-04T12:00:00Z")
      .Add(kEventInformationReceived, "2026-03-20T12:00:00Z");
  const auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-21T10:00:00Z"));
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-04-27T23:00:00Z"));
  EXPECT_THAT(Find(ds, kFinal).explanation(), HasSubstr("do not pause"));
}

// ---------------------------------------------------------------------------
// FCA / PSD2 payment services: DISP 1.6.2AR, 15 business days, exceptionally
// 35. Received Mon 2 Mar 2026 10:00 GMT (E&W).

TEST(FcaPsd2, FifteenBusinessDays) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z");
  const auto ds = Compute(h, Ctx("fca-psd2", "gb-eaw", "2026-03-02T11:00:00Z"));
  // Tue 3 Mar is day 1; 15th business day = Mon 23 Mar; end of day GMT.
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-03-24T00:00:00Z"));
  EXPECT_FALSE(Has(ds, kSummary));
}

TEST(FcaPsd2, ExtensionTo35BusinessDaysAcrossEaster) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Extended("2026-03-20T12:00:00Z", "DEADLINE_KIND_FINAL_RESPONSE", 35);
  const auto ds = Compute(h, Ctx("fca-psd2", "gb-eaw", "2026-03-25T10:00:00Z"));
  // Days 16-19: 24-27 Mar; 20-23: 30 Mar-2 Apr; Good Friday 3 Apr and Easter
  // Monday 6 Apr skipped; 24-27: 7-10 Apr; 28-32: 13-17 Apr; 33-35: 20-22 Apr.
  // End of Wed 22 Apr, BST -> 23:00 UTC.
  const auto& fin = Find(ds, kFinal);
  EXPECT_EQ(Due(fin), T("2026-04-22T23:00:00Z"));
  EXPECT_EQ(fin.amount(), 35);
  EXPECT_EQ(fin.state(), S::STATE_ON_TRACK);
  EXPECT_THAT(fin.explanation(), HasSubstr("extended from 15 to 35 business days"));
  EXPECT_THAT(fin.explanation(), HasSubstr("exceptional circumstances"));
}

TEST(FcaPsd2, ExtensionOverTheLimitIsCapped) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Extended("2026-03-20T12:00:00Z", "DEADLINE_KIND_FINAL_RESPONSE", 40);
  const auto ds = Compute(h, Ctx("fca-psd2", "gb-eaw", "2026-03-25T10:00:00Z"));
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-04-22T23:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).amount(), 35);
  EXPECT_THAT(Find(ds, kFinal).explanation(), HasSubstr("capped at the policy maximum 35"));
}

TEST(FcaPsd2, ExtensionAfterTheDueTimeIsIgnored) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Extended("2026-03-24T01:00:00Z", "DEADLINE_KIND_FINAL_RESPONSE", 35);
  const auto ds = Compute(h, Ctx("fca-psd2", "gb-eaw", "2026-03-25T10:00:00Z"));
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-03-24T00:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_BREACHED);
  EXPECT_THAT(Find(ds, kFinal).explanation(), HasSubstr("ignored: recorded after the due time"));
}

TEST(CheckExtension, EnforcesThePolicy) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z");
  auto ext = [](v1::DeadlineKind kind, int amount, const char* reason = "third-party records") {
    v1::DeadlineExtension e;
    e.set_kind(kind);
    e.set_amount(amount);
    e.set_reason(reason);
    return e;
  };
  const auto ctx = Ctx("fca-psd2", "gb-eaw", "2026-03-20T12:00:00Z");
  EXPECT_TRUE(CheckExtension(h.events(), ctx, ext(kFinal, 35)).ok());
  // DISP 1.6.2AR: at most 35 business days.
  auto st = CheckExtension(h.events(), ctx, ext(kFinal, 40));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("extension.amount: at most 35 business days"));
  st = CheckExtension(h.events(), ctx, ext(kFinal, 15));
  EXPECT_THAT(std::string(st.message()), HasSubstr("must be more than the current 15"));
  st = CheckExtension(h.events(), ctx, ext(kFinal, 35, ""));
  EXPECT_THAT(std::string(st.message()), HasSubstr("extension.reason: required"));
  st = CheckExtension(h.events(), ctx, ext(kSummary, 5));
  EXPECT_THAT(std::string(st.message()), HasSubstr("extension.kind"));
  // DISP 1.6.2R's 8 weeks cannot be extended.
  st = CheckExtension(h.events(), Ctx("fca-disp", "gb-eaw", "2026-03-20T12:00:00Z"),
                      ext(kFinal, 10));
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(st.message()), HasSubstr("cannot be extended"));
  // Too late: the 15-day deadline was breached at the end of 23 Mar.
  st = CheckExtension(h.events(), Ctx("fca-psd2", "gb-eaw", "2026-03-25T10:00:00Z"),
                      ext(kFinal, 35));
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(st.message()), HasSubstr("BREACHED"));
  // After one extension to 25, the current amount is 25.
  History h2 = h;
  h2.Extended("2026-03-19T12:00:00Z", "DEADLINE_KIND_FINAL_RESPONSE", 25);
  st = CheckExtension(h2.events(), ctx, ext(kFinal, 20));
  EXPECT_THAT(std::string(st.message()), HasSubstr("must be more than the current 25"));
}

// ---------------------------------------------------------------------------
// CFPB: respond within 15 calendar days, final within 60. Received Mon 2 Mar
// 2026 10:00 EST (15:00 UTC); US DST starts 8 Mar.

TEST(Cfpb, FifteenAndSixtyCalendarDays) {
  History h;
  h.Submitted("2026-03-02T15:00:00Z");
  auto ds = Compute(h, Ctx("cfpb", "us-federal", "2026-03-03T15:00:00Z"));
  // Day 15 = Tue 17 Mar; end of day EDT = 18 Mar 04:00 UTC.
  EXPECT_EQ(Due(Find(ds, kHolding)), T("2026-03-18T04:00:00Z"));
  // Day 60 = Fri 1 May; end of day EDT = 2 May 04:00 UTC.
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-05-02T04:00:00Z"));
  EXPECT_FALSE(Has(ds, kAck));
  ds = Compute(h, Ctx("cfpb", "us-federal", "2026-03-18T04:00:01Z"));
  EXPECT_EQ(Find(ds, kHolding).state(), S::STATE_BREACHED);

  h.Add(kEventHoldingResponseSent, "2026-03-16T14:00:00Z").Responded("2026-04-30T14:00:00Z");
  ds = Compute(h, Ctx("cfpb", "us-federal", "2026-05-01T14:00:00Z"));
  EXPECT_EQ(Find(ds, kHolding).state(), S::STATE_MET);
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_MET);
  // Consumer feedback window: 60 days from Thu 30 Apr = Mon 29 Jun, end of
  // day EDT.
  EXPECT_EQ(Due(Find(ds, kDispute)), T("2026-06-30T04:00:00Z"));
}

TEST(Cfpb, FinalResponseWithin15DaysSatisfiesBoth) {
  History h;
  h.Submitted("2026-03-02T15:00:00Z").Responded("2026-03-10T15:00:00Z", /*summary=*/true);
  const auto ds = Compute(h, Ctx("cfpb", "us-federal", "2026-03-11T15:00:00Z"));
  // CFPB has no summary window: a summary-flagged response is the response.
  EXPECT_EQ(Find(ds, kHolding).state(), S::STATE_MET);
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_MET);
}

// ---------------------------------------------------------------------------
// ASIC RG 271: acknowledge within 24 hours; respond within 30 calendar days
// (superannuation 45).

TEST(Asic, TwentyFourHoursAcrossTheSydneyDstEnd) {
  // Sat 4 Apr 2026 10:00 AEDT = 3 Apr 23:00 UTC; AEDT ends Sun 5 Apr 03:00.
  History h;
  h.Submitted("2026-04-03T23:00:00Z");
  auto ds = Compute(h, Ctx("asic-rg271", "au-national", "2026-04-04T10:00:00Z"));
  const auto& ack = Find(ds, kAck);
  EXPECT_EQ(Due(ack), T("2026-04-04T23:00:00Z"));  // Sun 5 Apr 09:00 AEST
  EXPECT_THAT(ack.explanation(), HasSubstr("due 2026-04-05 09:00 AEST"));
  EXPECT_EQ(FromTimestamp(ack.at_risk_time()), T("2026-04-04T17:00:00Z"));  // 18 h
  // 30 calendar days: day 30 = Mon 4 May; end of day AEST = 4 May 14:00 UTC.
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-05-04T14:00:00Z"));
  h.Add(kEventAcknowledged, "2026-04-04T22:30:00Z");
  ds = Compute(h, Ctx("asic-rg271", "au-national", "2026-04-05T10:00:00Z"));
  EXPECT_EQ(Find(ds, kAck).state(), S::STATE_MET);
}

TEST(Asic, TwentyFourHoursAcrossTheSydneyDstStart) {
  // Sat 3 Oct 2026 10:00 AEST = 00:00 UTC; AEDT from Sun 4 Oct 02:00.
  // Due 4 Oct 00:00 UTC = 11:00 AEDT.
  History h;
  h.Submitted("2026-10-03T00:00:00Z");
  const auto ds = Compute(h, Ctx("asic-rg271", "au-national", "2026-10-03T01:00:00Z"));
  EXPECT_EQ(Due(Find(ds, kAck)), T("2026-10-04T00:00:00Z"));
  EXPECT_THAT(Find(ds, kAck).explanation(), HasSubstr("due 2026-10-04 11:00 AEDT"));
}

TEST(Asic, SuperannuationFortyFiveDays) {
  History h;
  h.Submitted("2026-04-03T23:00:00Z");  // Sat 4 Apr AEDT
  auto sel = Builtin().Select({"AU-VIC", "superannuation", "", v1::CHANNEL_WEB, ""},
                              T("2026-04-03T23:00:00Z"));
  ASSERT_TRUE(sel.ok());
  ASSERT_EQ(sel->policy->id(), "asic-rg271-super");
  const auto ds = Compute(h, Ctx("asic-rg271-super", "au-national", "2026-04-05T00:00:00Z"));
  // Day 45 = Tue 19 May; end of day AEST = 19 May 14:00 UTC.
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-05-19T14:00:00Z"));
}

// ---------------------------------------------------------------------------
// ISO default: final response 30 calendar days, paused while waiting for the
// complainant, extendable to 60 (Redress defaults; ISO 10002 sets no
// numbers). Calendar utc-weekdays. Received Mon 2 Mar 2026 10:00 UTC.

TEST(IsoDefault, PauseAndResume) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z");
  auto ds = Compute(h, Ctx("iso-default", "utc-weekdays", "2026-03-03T10:00:00Z"));
  // Day 30 = Wed 1 Apr; end of day.
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-04-02T00:00:00Z"));

  h.Add(kEventInformationRequested, "2026-03-04T12:00:00Z");
  // Still waiting on Thu 5 Mar 12:00: PAUSED; if it resumed now only 4 Mar
  // (paused at its midnight) would be lost -> day 30 = Thu 2 Apr.
  ds = Compute(h, Ctx("iso-default", "utc-weekdays", "2026-03-05T12:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_PAUSED);
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-04-03T00:00:00Z"));
  EXPECT_EQ(Remaining(Find(ds, kFinal)), T("2026-04-03T00:00:00Z") - T("2026-03-05T12:00:00Z"));
  EXPECT_THAT(Find(ds, kFinal).explanation(), HasSubstr("waiting for the complainant since"));
  // The acknowledgement rule does not pause: Tue 3 Mar 17:00, breached.
  EXPECT_EQ(Find(ds, kAck).state(), S::STATE_BREACHED);

  h.Add(kEventInformationReceived, "2026-03-06T08:00:00Z");
  ds = Compute(h, Ctx("iso-default", "utc-weekdays", "2026-03-07T10:00:00Z"));
  const auto& fin = Find(ds, kFinal);
  // 4 and 5 Mar were paused at midnight -> day 30 = Fri 3 Apr.
  EXPECT_EQ(Due(fin), T("2026-04-04T00:00:00Z"));
  EXPECT_EQ(fin.state(), S::STATE_ON_TRACK);
  EXPECT_EQ(fin.paused_duration().seconds(), 44 * 3600);  // 4 Mar 12:00 - 6 Mar 08:00
  EXPECT_THAT(fin.explanation(),
              HasSubstr("waiting for the complainant from 2026-03-04 12:00 UTC (event 2) to "
                        "2026-03-06 08:00 UTC (event 3)"));
  EXPECT_THAT(fin.explanation(), HasSubstr("2 days not counted because paused"));
}

TEST(IsoDefault, ExtensionWithinTheLimitKeepsPauses) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Add(kEventInformationRequested, "2026-03-04T12:00:00Z")
      .Add(kEventInformationReceived, "2026-03-06T08:00:00Z")
      .Extended("2026-03-10T10:00:00Z", "DEADLINE_KIND_FINAL_RESPONSE", 45);
  const auto ds = Compute(h, Ctx("iso-default", "utc-weekdays", "2026-03-11T10:00:00Z"));
  // 45 counted days + 2 paused = 47 days after 2 Mar = Sat 18 Apr; end of day.
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-04-19T00:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).amount(), 45);
}

// ---------------------------------------------------------------------------
// FCA motor finance commission complaints: the 8-week clock does not run from
// 11 Jan 2024 to 31 May 2026 (DISP App 5.2.1R), per complaint class.

TEST(MotorFinancePause, ReceivedBeforeThePause) {
  // Fri 1 Dec 2023 10:00 GMT. 40 days run (2 Dec - 10 Jan); 11 Jan 2024 -
  // 31 May 2026 do not count; the remaining 16 days are 1-16 Jun 2026 ->
  // end of Tue 16 Jun (BST) = 23:00 UTC.
  History h;
  h.Submitted("2023-12-01T10:00:00Z").Add(kEventAcknowledged, "2023-12-01T11:00:00Z");
  auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2025-06-01T12:00:00Z",
                           "motor_finance_commission"));
  const auto& fin = Find(ds, kFinal);
  EXPECT_EQ(Due(fin), T("2026-06-16T23:00:00Z"));
  EXPECT_EQ(fin.state(), S::STATE_PAUSED);
  // 2024 from 11 Jan: 356 days; 2025: 365; 2026 to 31 May: 151 -> 872.
  EXPECT_THAT(fin.explanation(),
              HasSubstr("872 days not counted because paused (2024-01-11..2026-05-31)"));
  EXPECT_THAT(fin.explanation(), HasSubstr("DISP App 5.2.1R"));
  // Running time 40d14h + 16d = 56d14h; 75% = 42d10h30m: 40d14h before the
  // pause, 1d20h30m after it resumes (31 May 23:00 UTC) -> 2 Jun 19:30 UTC.
  EXPECT_EQ(FromTimestamp(fin.at_risk_time()), T("2026-06-02T19:30:00Z"));
  ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-06-10T12:00:00Z", "motor_finance_commission"));
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_AT_RISK);
  // The pause covers only the final response: the acknowledgement was due
  // Mon 4 Dec 2023 at 17:00 and was met.
  EXPECT_EQ(Due(Find(ds, kAck)), T("2023-12-04T17:00:00Z"));
  EXPECT_EQ(Find(ds, kAck).state(), S::STATE_MET);
  // Another class: no pause -> due end of Fri 26 Jan 2024, breached.
  ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2025-06-01T12:00:00Z", "mortgages"));
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2024-01-27T00:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_BREACHED);
}

TEST(MotorFinancePause, ReceivedDuringThePause) {
  // Mon 10 Mar 2025: no day counts until 1 Jun 2026; day 56 = Sun 26 Jul 2026.
  History h;
  h.Submitted("2025-03-10T10:00:00Z");
  const auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-06-02T12:00:00Z",
                                 "motor_finance_commission"));
  EXPECT_EQ(Due(Find(ds, kFinal)), T("2026-07-26T23:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_ON_TRACK);
}

// ---------------------------------------------------------------------------
// Policy change mid-complaint: the version recorded at intake keeps its
// deadlines; only an explicit DEADLINES_RECOMPUTED moves them.

PolicyRegistry WithFcaDispV2() {
  auto set = BuiltinPolicySet();
  EXPECT_TRUE(set.ok());
  v1::Policy v2 = *Builtin().FindPolicy("fca-disp", 1).value();
  v2.set_version(2);
  v2.mutable_final_response()->set_amount(6);  // 6 weeks
  *v2.mutable_effective_time() = ToTimestamp(T("2026-03-15T00:00:00Z"));
  *set->add_policies() = v2;
  auto reg = PolicyRegistry::Create(*set);
  EXPECT_TRUE(reg.ok()) << reg.status();
  return *reg;
}

TEST(PolicyChange, OldVersionKeepsItsDeadlines) {
  const PolicyRegistry reg = WithFcaDispV2();
  History h;
  h.Add(kEventSubmitted, "2026-03-02T10:00:00Z",
        absl::StrCat("{\"complaint\":{},\"policy\":", PolicyJson("fca-disp", 1, "gb-eaw"), "}"));
  // v2 is in force for new complaints from 15 Mar...
  auto now_selected = reg.Select({"GB", "", "", v1::CHANNEL_EMAIL, ""}, T("2026-03-20T00:00:00Z"));
  ASSERT_TRUE(now_selected.ok());
  EXPECT_EQ(now_selected->ref.version(), 2);
  // ...but this complaint recorded v1.
  auto ref = RecordedPolicyRef(h.events());
  ASSERT_TRUE(ref.ok()) << ref.status();
  EXPECT_EQ(ref->version(), 1);
  auto resolved = reg.Resolve(*ref);
  ASSERT_TRUE(resolved.ok());
  DeadlineContext ctx{resolved->policy, resolved->calendar, {}, T("2026-03-20T10:00:00Z")};
  auto ds = ComputeDeadlines(h.events(), ctx);
  ASSERT_TRUE(ds.ok()) << ds.status();
  EXPECT_EQ(Due(Find(*ds, kFinal)), T("2026-04-27T23:00:00Z"));  // 8 weeks
  EXPECT_EQ(Find(*ds, kFinal).policy().version(), 1);
  // Supplying the new version silently is refused.
  auto wrong = ComputeDeadlines(h.events(),
                                Ctx("fca-disp", "gb-eaw", "2026-03-20T10:00:00Z", "", reg, 2));
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(wrong.status().message()), HasSubstr("record policy fca-disp v1"));
  // So is another calendar than the one recorded.
  auto wrong_cal = ComputeDeadlines(h.events(),
                                    Ctx("fca-disp", "gb-sct", "2026-03-20T10:00:00Z", "", reg, 1));
  EXPECT_EQ(wrong_cal.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(PolicyChange, ExplicitRecomputeMovesThem) {
  const PolicyRegistry reg = WithFcaDispV2();
  History h;
  h.Add(kEventSubmitted, "2026-03-02T10:00:00Z",
        absl::StrCat("{\"complaint\":{},\"policy\":", PolicyJson("fca-disp", 1, "gb-eaw"), "}"))
      .Add(kEventDeadlinesRecomputed, "2026-03-20T09:00:00Z",
           absl::StrCat("{\"policy\":", PolicyJson("fca-disp", 2, "gb-eaw"),
                        ",\"reason\":\"policy v2 adopted\"}"));
  auto ref = RecordedPolicyRef(h.events());
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->version(), 2);
  auto resolved = reg.Resolve(*ref);
  ASSERT_TRUE(resolved.ok());
  DeadlineContext ctx{resolved->policy, resolved->calendar, {}, T("2026-03-20T10:00:00Z")};
  auto ds = ComputeDeadlines(h.events(), ctx);
  ASSERT_TRUE(ds.ok()) << ds.status();
  // 6 weeks from Mon 2 Mar = Mon 13 Apr, end of day BST.
  EXPECT_EQ(Due(Find(*ds, kFinal)), T("2026-04-13T23:00:00Z"));
  EXPECT_EQ(Find(*ds, kFinal).policy().version(), 2);
  EXPECT_THAT(Find(*ds, kFinal).explanation(), HasSubstr("recomputed"));
  EXPECT_THAT(Find(*ds, kFinal).explanation(), HasSubstr("policy v2 adopted"));
  // And v1 is no longer accepted for this complaint.
  EXPECT_EQ(ComputeDeadlines(h.events(), Ctx("fca-disp", "gb-eaw", "2026-03-20T10:00:00Z", "",
                                             reg, 1))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------
// Stops, reopening, disputes.

TEST(Lifecycle, WithdrawnStopsTheClocks) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z").Add(kEventWithdrawn, "2026-03-02T15:00:00Z");
  auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-06-01T10:00:00Z"));
  EXPECT_EQ(Find(ds, kAck).state(), S::STATE_NOT_REQUIRED);
  EXPECT_EQ(Find(ds, kSummary).state(), S::STATE_NOT_REQUIRED);
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_NOT_REQUIRED);
  EXPECT_THAT(Find(ds, kFinal).explanation(), HasSubstr("withdrawn"));
  // Withdrawn Wed 4 Mar 10:00, after the acknowledgement fell due (Tue 17:00):
  // that breach stands.
  History late;
  late.Submitted("2026-03-02T10:00:00Z").Add(kEventWithdrawn, "2026-03-04T10:00:00Z");
  ds = Compute(late, Ctx("fca-disp", "gb-eaw", "2026-06-01T10:00:00Z"));
  EXPECT_EQ(Find(ds, kAck).state(), S::STATE_BREACHED);
  EXPECT_EQ(Remaining(Find(ds, kAck)), absl::Hours(-17));
  EXPECT_EQ(Find(ds, kSummary).state(), S::STATE_NOT_REQUIRED);
  EXPECT_EQ(Find(ds, kFinal).state(), S::STATE_NOT_REQUIRED);
}

TEST(Lifecycle, ReopenedStartsANewFinalResponseClock) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Add(kEventAcknowledged, "2026-03-02T11:00:00Z")
      .Responded("2026-03-20T10:00:00Z")
      .Decided("2026-03-21T10:00:00Z", true)
      .Add(kEventReopened, "2026-04-01T09:00:00Z", "{\"reason\":\"new evidence\"}");
  const auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-04-02T09:00:00Z"));
  EXPECT_EQ(Find(ds, kFinal, 1).state(), S::STATE_MET);
  // Cycle 2 from Wed 1 Apr 10:00 BST: 8 weeks -> end of Wed 27 May (BST).
  const auto& again = Find(ds, kFinal, 2);
  EXPECT_EQ(FromTimestamp(again.start_time()), T("2026-04-01T09:00:00Z"));
  EXPECT_EQ(Due(again), T("2026-05-27T23:00:00Z"));
  EXPECT_EQ(again.state(), S::STATE_ON_TRACK);
  EXPECT_THAT(again.explanation(), HasSubstr("(cycle 2)"));
  EXPECT_THAT(again.explanation(), HasSubstr("reopened"));
  EXPECT_EQ(Find(ds, kReopen).state(), S::STATE_MET);
}

TEST(Lifecycle, DisputeUsesTheWindowAndRemittalRestartsTheClock) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Add(kEventAcknowledged, "2026-03-02T11:00:00Z")
      .Responded("2026-03-20T10:00:00Z")
      .Decided("2026-03-23T10:00:00Z", false)
      .Add(kEventDisputeOpened, "2026-03-24T10:00:00Z",
           R"({"dispute":{"kind":"KIND_EXTERNAL_ADR"}})");
  auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-03-25T10:00:00Z"));
  EXPECT_EQ(Find(ds, kDispute).state(), S::STATE_MET);
  h.Add(kEventDisputeResolved, "2026-05-05T09:00:00Z",
        "{\"outcome\":\"OUTCOME_REMITTED\",\"outcome_text\":\"look again\"}");
  ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-05-06T09:00:00Z"));
  // Cycle 2 from Tue 5 May: 8 weeks -> end of Tue 30 Jun (BST).
  EXPECT_EQ(Due(Find(ds, kFinal, 2)), T("2026-06-30T23:00:00Z"));
}

TEST(Lifecycle, ExpiredWindowsAreNotBreaches) {
  History h;
  h.Submitted("2026-03-02T10:00:00Z")
      .Add(kEventAcknowledged, "2026-03-02T11:00:00Z")
      .Responded("2026-03-20T10:00:00Z")
      .Add(kEventClosed, "2026-03-21T10:00:00Z", "{\"reason\":\"no reply\"}");
  // Reopen window: 21 Mar + 56 days = Sat 16 May, end of day BST.
  auto ds = Compute(h, Ctx("fca-disp", "gb-eaw", "2026-05-17T00:00:00Z"));
  EXPECT_EQ(Due(Find(ds, kReopen)), T("2026-05-16T23:00:00Z"));
  EXPECT_EQ(Find(ds, kReopen).state(), S::STATE_EXPIRED);
  EXPECT_FALSE(Find(ds, kReopen).has_time_remaining());
}

// ---------------------------------------------------------------------------
// Inputs.

TEST(Inputs, ComplaintEventsAreReplayedByTypeName) {
  std::vector<v1::ComplaintEvent> events(2);
  events[0].set_sequence(1);
  events[0].set_type(v1::ComplaintEvent::TYPE_SUBMITTED);
  *events[0].mutable_event_time() = ToTimestamp(T("2026-03-02T10:00:00Z"));
  events[0].set_payload("{\"complaint\":{}}");
  events[1].set_sequence(2);
  events[1].set_type(v1::ComplaintEvent::TYPE_ACKNOWLEDGED);
  *events[1].mutable_event_time() = ToTimestamp(T("2026-03-02T11:00:00Z"));
  events[1].set_payload("{}");
  EXPECT_EQ(ToReplayEvent(events[1]).type, "ACKNOWLEDGED");
  auto ds = ComputeDeadlines(absl::MakeConstSpan(events),
                             Ctx("fca-disp", "gb-eaw", "2026-03-02T12:00:00Z"));
  ASSERT_TRUE(ds.ok()) << ds.status();
  EXPECT_EQ(Find(*ds, kAck).state(), S::STATE_MET);
}

TEST(Inputs, IgnoredEventsChangeNothingAndOutputIsDeterministic) {
  History a, b;
  a.Submitted("2026-03-02T10:00:00Z").Add(kEventAcknowledged, "2026-03-03T09:00:00Z");
  b.Submitted("2026-03-02T10:00:00Z")
      .Add(kEventDeadlineAtRisk, "2026-03-03T08:00:00Z", "{\"kind\":\"ACKNOWLEDGEMENT\"}")
      .Add(kEventAcknowledged, "2026-03-03T09:00:00Z");
  const auto ctx = Ctx("fca-disp", "gb-eaw", "2026-03-10T10:00:00Z");
  const auto da = Compute(a, ctx), db = Compute(b, ctx), da2 = Compute(a, ctx);
  ASSERT_EQ(da.size(), db.size());
  for (size_t i = 0; i < da.size(); ++i) {
    EXPECT_EQ(da[i].state(), db[i].state());
    EXPECT_EQ(Due(da[i]), Due(db[i]));
    EXPECT_EQ(da[i].SerializeAsString(), da2[i].SerializeAsString());
  }
}

TEST(Inputs, Errors) {
  History h;
  h.Add(kEventAcknowledged, "2026-03-02T10:00:00Z");
  EXPECT_EQ(ComputeDeadlines(h.events(), Ctx("fca-disp", "gb-eaw", "2026-03-02T12:00:00Z"))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  History bad;
  bad.Submitted("2026-03-02T10:00:00Z").Add(kEventResponded, "2026-03-03T10:00:00Z", "not json");
  auto r = ComputeDeadlines(bad.events(), Ctx("fca-disp", "gb-eaw", "2026-03-04T12:00:00Z"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("event 2 (RESPONDED)"));
  EXPECT_EQ(RecordedPolicyRef(h.events()).status().code(), absl::StatusCode::kNotFound);
  DeadlineContext empty;
  EXPECT_EQ(ComputeDeadlines(h.events(), empty).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Format, DurationShort) {
  EXPECT_EQ(FormatDurationShort(absl::Hours(51) + absl::Minutes(5)), "2d 3h 5m");
  EXPECT_EQ(FormatDurationShort(-absl::Hours(1)), "-1h");
  EXPECT_EQ(FormatDurationShort(absl::ZeroDuration()), "0m");
}

}  // namespace
}  // namespace redress::domain
