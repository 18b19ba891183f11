// Business calendars and clock arithmetic. Every expected value below was
// worked out by hand from the published holiday dates and the rule cited;
// none is copied from the code's output.
#include "server/domain/calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absl/time/time.h"
#include "server/domain/policy.h"
#include "server/domain/policy_presets.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using ::testing::HasSubstr;

absl::Time T(const char* rfc3339) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) {
    ADD_FAILURE() << "bad time " << rfc3339 << ": " << err;
  }
  return t;
}

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// The calendars from policies/calendars.textproto (the data file itself).
const BusinessCalendar& Cal(const std::string& id) {
  static const auto* calendars = [] {
    auto set = LoadPolicyFiles({std::string(REDRESS_POLICIES_DIR) + "/calendars.textproto"});
    EXPECT_TRUE(set.ok()) << set.status();
    auto* m = new std::map<std::string, BusinessCalendar>;
    for (const auto& c : set->calendars()) {
      auto cal = BusinessCalendar::Create(c);
      EXPECT_TRUE(cal.ok()) << cal.status();
      m->emplace(c.id(), *cal);
    }
    return m;
  }();
  const auto it = calendars->find(id);
  if (it == calendars->end()) {
    ADD_FAILURE() << "no calendar " << id;
    std::abort();
  }
  return it->second;
}

absl::Time BusinessDue(const std::string& cal, const char* start, int n,
                       v1::DueTime due = v1::DUE_TIME_CLOSE_OF_BUSINESS,
                       std::vector<TimeInterval> pauses = {}) {
  auto r = AddBusinessDays(Cal(cal), T(start), n, due, NormalizeIntervals(pauses));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->due : absl::InfinitePast();
}

// ---------------------------------------------------------------------------
// Holiday data spot checks (gov.uk bank holidays; 5 U.S.C. 6103; Australian
// state Acts). FCA Glossary "business day": bank holidays in *that part* of
// the UK.

TEST(CalendarData, EnglandAndWales) {
  const auto& c = Cal("gb-eaw");
  EXPECT_EQ(c.time_zone().name(), "Europe/London");
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 4, 3)));   // Good Friday 2026 = 3 April
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 4, 6)));   // Easter Monday (E&W only)
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 12, 28))); // Boxing Day substitute (26th is Saturday)
  EXPECT_FALSE(c.IsBusinessDay(D(2028, 1, 3)));   // New Year substitute (1st is Saturday)
  EXPECT_FALSE(c.IsBusinessDay(D(2025, 8, 25)));  // last Monday in August
  EXPECT_TRUE(c.IsBusinessDay(D(2026, 1, 2)));    // 2 January is Scottish only
  EXPECT_TRUE(c.IsBusinessDay(D(2026, 8, 3)));    // first Monday in August: Scottish only
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 3, 28)));  // Saturday
  ASSERT_NE(c.HolidayName(D(2027, 3, 26)), nullptr);
  EXPECT_EQ(*c.HolidayName(D(2027, 3, 26)), "Good Friday");
}

TEST(CalendarData, Scotland) {
  const auto& c = Cal("gb-sct");
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 4, 3)));   // Good Friday
  EXPECT_TRUE(c.IsBusinessDay(D(2026, 4, 6)));    // no Easter Monday in Scotland
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 1, 2)));   // 2nd January
  EXPECT_FALSE(c.IsBusinessDay(D(2027, 1, 4)));   // 2nd January substitute (2nd is Saturday)
  EXPECT_FALSE(c.IsBusinessDay(D(2025, 12, 1)));  // St Andrew's Day substitute (30 Nov Sunday)
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 11, 30))); // St Andrew's Day, Monday
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 8, 3)));   // first Monday in August
  EXPECT_TRUE(c.IsBusinessDay(D(2026, 8, 31)));   // E&W summer holiday, not Scottish
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 6, 15)));  // one-off World Cup bank holiday
  EXPECT_FALSE(c.IsBusinessDay(D(2028, 1, 4)));   // 2nd January 2028 substitute
}

TEST(CalendarData, NorthernIreland) {
  const auto& c = Cal("gb-nir");
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 3, 17)));  // St Patrick's Day, Tuesday
  EXPECT_FALSE(c.IsBusinessDay(D(2025, 7, 14)));  // Boyne substitute (12 July Saturday)
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 7, 13)));  // Boyne substitute (12 July Sunday)
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 4, 6)));   // Easter Monday
  EXPECT_TRUE(c.IsBusinessDay(D(2026, 1, 2)));
}

TEST(CalendarData, UsFederal) {
  const auto& c = Cal("us-federal");
  EXPECT_EQ(c.time_zone().name(), "America/New_York");
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 6, 19)));   // Juneteenth, Friday
  EXPECT_FALSE(c.IsBusinessDay(D(2027, 6, 18)));   // Juneteenth observed (19th Saturday)
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 7, 3)));    // Independence Day observed
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 11, 26)));  // 4th Thursday of November
  EXPECT_FALSE(c.IsBusinessDay(D(2027, 12, 31)));  // New Year's Day 2028 observed
  EXPECT_FALSE(c.IsBusinessDay(D(2028, 11, 10)));  // Veterans Day observed
  EXPECT_TRUE(c.IsBusinessDay(D(2025, 12, 24)));   // executive-order closure: not included
  EXPECT_TRUE(c.IsBusinessDay(D(2026, 4, 3)));     // Good Friday is not federal
}

TEST(CalendarData, AustraliaNational) {
  const auto& c = Cal("au-national");
  EXPECT_EQ(c.time_zone().name(), "Australia/Sydney");
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 1, 26)));  // Australia Day, Monday
  EXPECT_FALSE(c.IsBusinessDay(D(2025, 1, 27)));  // Australia Day observed (26th Sunday)
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 4, 3)));   // Good Friday
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 4, 6)));   // Easter Monday
  EXPECT_FALSE(c.IsBusinessDay(D(2028, 4, 25)));  // Anzac Day, Tuesday
  EXPECT_TRUE(c.IsBusinessDay(D(2026, 4, 27)));   // Anzac substitute: not in every state
  EXPECT_FALSE(c.IsBusinessDay(D(2026, 12, 28))); // Boxing Day additional day
}

TEST(CalendarData, CoverageIsEnforced) {
  // 5 business days from Thursday 28 December 2028 run into 2029, for which
  // no holidays are listed: refuse rather than guess.
  auto r = AddBusinessDays(Cal("gb-eaw"), T("2028-12-28T10:00:00Z"), 5,
                           v1::DUE_TIME_CLOSE_OF_BUSINESS, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("2023-2028"));
  EXPECT_THAT(r.status().message(), HasSubstr("2029-01-01"));
  // The weekend-only calendar has no limit.
  EXPECT_TRUE(AddBusinessDays(Cal("utc-weekdays"), T("2031-01-01T10:00:00Z"), 5,
                              v1::DUE_TIME_CLOSE_OF_BUSINESS, {})
                  .ok());
}

// ---------------------------------------------------------------------------
// "By close of the 3rd business day following the day of receipt"
// (FCA DISP 1.5.1R): day of receipt = day 0; due at 17:00 local.

TEST(BusinessDays, AcrossAWeekend) {
  // Thu 5 Mar 2026 -> Fri 6 (1), Mon 9 (2), Tue 10 (3), 17:00 GMT.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-05T10:00:00Z", 3), T("2026-03-10T17:00:00Z"));
}

TEST(BusinessDays, ReceiptOnAWeekendCountsFromTheNextBusinessDay) {
  // Sat 7 Mar 2026 is day 0 -> Mon 9, Tue 10, Wed 11.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-07T10:00:00Z", 3), T("2026-03-11T17:00:00Z"));
}

TEST(BusinessDays, EasterDiffersBetweenEnglandAndScotland) {
  // Thu 2 Apr 2026 11:00 BST. E&W: Fri 3 (Good Friday) and Mon 6 (Easter
  // Monday) are holidays -> Tue 7, Wed 8, Thu 9 at 17:00 BST (16:00 UTC).
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-04-02T10:00:00Z", 3), T("2026-04-09T16:00:00Z"));
  // Scotland has no Easter Monday holiday -> Mon 6, Tue 7, Wed 8.
  EXPECT_EQ(BusinessDue("gb-sct", "2026-04-02T10:00:00Z", 3), T("2026-04-08T16:00:00Z"));
  // Northern Ireland follows E&W here.
  EXPECT_EQ(BusinessDue("gb-nir", "2026-04-02T10:00:00Z", 3), T("2026-04-09T16:00:00Z"));
}

TEST(BusinessDays, ChristmasAndNewYear2026) {
  // Wed 23 Dec 2026: Thu 24 (1); Fri 25, Mon 28 (Boxing Day substitute)
  // holidays; Tue 29 (2), Wed 30 (3). Same in all three UK calendars.
  for (const char* cal : {"gb-eaw", "gb-sct", "gb-nir"}) {
    EXPECT_EQ(BusinessDue(cal, "2026-12-23T12:00:00Z", 3), T("2026-12-30T17:00:00Z")) << cal;
  }
  // Tue 29 Dec 2026: Wed 30 (1), Thu 31 (2), Fri 1 Jan holiday.
  // E&W / NI: Mon 4 Jan (3). Scotland: Mon 4 Jan is the 2nd-January
  // substitute -> Tue 5 Jan (3).
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-12-29T10:00:00Z", 3), T("2027-01-04T17:00:00Z"));
  EXPECT_EQ(BusinessDue("gb-nir", "2026-12-29T10:00:00Z", 3), T("2027-01-04T17:00:00Z"));
  EXPECT_EQ(BusinessDue("gb-sct", "2026-12-29T10:00:00Z", 3), T("2027-01-05T17:00:00Z"));
}

TEST(BusinessDays, NewYear2026AndSecondOfJanuary) {
  // Wed 31 Dec 2025. E&W: Thu 1 Jan holiday; Fri 2 (1), Mon 5 (2), Tue 6 (3).
  // Scotland: Thu 1 and Fri 2 Jan holidays; Mon 5 (1), Tue 6 (2), Wed 7 (3).
  EXPECT_EQ(BusinessDue("gb-eaw", "2025-12-31T10:00:00Z", 3), T("2026-01-06T17:00:00Z"));
  EXPECT_EQ(BusinessDue("gb-sct", "2025-12-31T10:00:00Z", 3), T("2026-01-07T17:00:00Z"));
}

TEST(BusinessDays, ChristmasAndNewYear2027To2028) {
  // Thu 23 Dec 2027: Fri 24 (1); Mon 27, Tue 28 substitutes; Wed 29 (2),
  // Thu 30 (3).
  EXPECT_EQ(BusinessDue("gb-eaw", "2027-12-23T10:00:00Z", 3), T("2027-12-30T17:00:00Z"));
  // Thu 30 Dec 2027: Fri 31 (1); Mon 3 Jan 2028 substitute. E&W: Tue 4 (2),
  // Wed 5 (3). Scotland: Tue 4 is the 2nd-January substitute: Wed 5 (2),
  // Thu 6 (3).
  EXPECT_EQ(BusinessDue("gb-eaw", "2027-12-30T10:00:00Z", 3), T("2028-01-05T17:00:00Z"));
  EXPECT_EQ(BusinessDue("gb-sct", "2027-12-30T10:00:00Z", 3), T("2028-01-06T17:00:00Z"));
}

TEST(BusinessDays, StAndrewsDaySubstituteInScotland) {
  // Thu 27 Nov 2025. Scotland: Fri 28 (1), Mon 1 Dec substitute holiday,
  // Tue 2 (2), Wed 3 (3). E&W: Fri 28, Mon 1, Tue 2.
  EXPECT_EQ(BusinessDue("gb-sct", "2025-11-27T10:00:00Z", 3), T("2025-12-03T17:00:00Z"));
  EXPECT_EQ(BusinessDue("gb-eaw", "2025-11-27T10:00:00Z", 3), T("2025-12-02T17:00:00Z"));
}

TEST(BusinessDays, StPatricksDayInNorthernIreland) {
  // Mon 16 Mar 2026. NI: Tue 17 holiday; Wed 18, Thu 19, Fri 20.
  EXPECT_EQ(BusinessDue("gb-nir", "2026-03-16T10:00:00Z", 3), T("2026-03-20T17:00:00Z"));
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-16T10:00:00Z", 3), T("2026-03-19T17:00:00Z"));
}

TEST(BusinessDays, SpanningTheSpringClockChange) {
  // Fri 27 Mar 2026 14:00 GMT; clocks go forward Sun 29 Mar at 01:00 UTC.
  // Mon 30 (1), Tue 31 (2), Wed 1 Apr (3).
  // Close of business: 17:00 BST = 16:00 UTC.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-27T14:00:00Z", 3), T("2026-04-01T16:00:00Z"));
  // Same local time: 14:00 BST = 13:00 UTC (not 14:00 UTC).
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-27T14:00:00Z", 3, v1::DUE_TIME_SAME_LOCAL_TIME),
            T("2026-04-01T13:00:00Z"));
  // End of day: midnight BST starting Thu 2 Apr = 23:00 UTC on 1 Apr.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-27T14:00:00Z", 3, v1::DUE_TIME_END_OF_DAY),
            T("2026-04-01T23:00:00Z"));
}

TEST(BusinessDays, SpanningTheAutumnClockChange) {
  // Fri 23 Oct 2026 14:00 BST (13:00 UTC); clocks go back Sun 25 Oct at
  // 01:00 UTC. Mon 26, Tue 27, Wed 28: 17:00 GMT = 17:00 UTC; same local
  // time 14:00 GMT = 14:00 UTC.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-10-23T13:00:00Z", 3), T("2026-10-28T17:00:00Z"));
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-10-23T13:00:00Z", 3, v1::DUE_TIME_SAME_LOCAL_TIME),
            T("2026-10-28T14:00:00Z"));
}

TEST(BusinessDays, ZeroDaysIsCloseOfTheStartDay) {
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-05T10:00:00Z", 0), T("2026-03-05T17:00:00Z"));
}

// ---------------------------------------------------------------------------
// Start rule NEXT_BUSINESS_DAY_IF_OUTSIDE_HOURS (an older DISP 1.5 allowed
// this): outside 09:00-17:00 local or on a non-business day -> next opening.

absl::Time Start(const std::string& cal, const char* receipt) {
  auto r = ApplyStartRule(Cal(cal), T(receipt), v1::START_RULE_NEXT_BUSINESS_DAY_IF_OUTSIDE_HOURS);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : absl::InfinitePast();
}

TEST(StartRule, ReceiptAfterHoursStartsNextBusinessMorning) {
  // Fri 6 Mar 2026 18:30 GMT -> Mon 9 Mar 09:00 GMT.
  EXPECT_EQ(Start("gb-eaw", "2026-03-06T18:30:00Z"), T("2026-03-09T09:00:00Z"));
  // Exactly at 17:00 is outside (close is exclusive) -> next day 09:00.
  EXPECT_EQ(Start("gb-eaw", "2026-03-10T17:00:00Z"), T("2026-03-11T09:00:00Z"));
  // Before opening on a business day -> 09:00 the same day.
  EXPECT_EQ(Start("gb-eaw", "2026-03-10T07:15:00Z"), T("2026-03-10T09:00:00Z"));
  // Within hours -> unchanged.
  EXPECT_EQ(Start("gb-eaw", "2026-03-10T12:34:56Z"), T("2026-03-10T12:34:56Z"));
  // AT_RECEIPT never moves.
  EXPECT_EQ(*ApplyStartRule(Cal("gb-eaw"), T("2026-03-06T18:30:00Z"), v1::START_RULE_AT_RECEIPT),
            T("2026-03-06T18:30:00Z"));
}

TEST(StartRule, ReceiptOnGoodFridayDiffersByRegion) {
  // Good Friday 3 Apr 2026 10:00 BST. E&W: Mon 6 is Easter Monday -> Tue 7
  // 09:00 BST (08:00 UTC). Scotland: Mon 6 09:00 BST.
  EXPECT_EQ(Start("gb-eaw", "2026-04-03T09:00:00Z"), T("2026-04-07T08:00:00Z"));
  EXPECT_EQ(Start("gb-sct", "2026-04-03T09:00:00Z"), T("2026-04-06T08:00:00Z"));
}

TEST(StartRule, ChangesTheSummaryResolutionDueDate) {
  // FCA DISP 1.5.1R with receipt Fri 6 Mar 2026 18:30 GMT.
  // At receipt: Friday is day 0 -> Mon 9, Tue 10, Wed 11 at 17:00.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-06T18:30:00Z", 3), T("2026-03-11T17:00:00Z"));
  // Next business day: Monday 09:00 is day 0 -> Tue 10, Wed 11, Thu 12.
  const absl::Time start = Start("gb-eaw", "2026-03-06T18:30:00Z");
  auto r = AddBusinessDays(Cal("gb-eaw"), start, 3, v1::DUE_TIME_CLOSE_OF_BUSINESS, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due, T("2026-03-12T17:00:00Z"));
}

// ---------------------------------------------------------------------------
// Elapsed hours across daylight-saving changes (ASIC RG 271: acknowledge
// within 24 hours).

TEST(Hours, TwentyFourHoursAcrossSydneyDstEnd) {
  // Sat 4 Apr 2026 10:00 AEDT (+11) = 3 Apr 23:00 UTC. AEDT ends Sun 5 Apr
  // 03:00 -> 02:00. 24 elapsed hours -> 4 Apr 23:00 UTC = Sun 5 Apr 09:00
  // AEST (+10): one hour earlier on the wall clock.
  const absl::Time due = AddRunningTime(T("2026-04-03T23:00:00Z"), absl::Hours(24), {});
  EXPECT_EQ(due, T("2026-04-04T23:00:00Z"));
  EXPECT_EQ(Cal("au-national").FormatLocal(due), "2026-04-05 09:00 AEST");
}

TEST(Hours, TwentyFourHoursAcrossSydneyDstStart) {
  // Sat 3 Oct 2026 10:00 AEST (+10) = 00:00 UTC; AEDT starts Sun 4 Oct
  // 02:00 -> 03:00. Due 4 Oct 00:00 UTC = 11:00 AEDT.
  const absl::Time due = AddRunningTime(T("2026-10-03T00:00:00Z"), absl::Hours(24), {});
  EXPECT_EQ(Cal("au-national").FormatLocal(due), "2026-10-04 11:00 AEDT");
}

TEST(Hours, TwentyFourHoursAcrossUkDstStart) {
  // Sat 28 Mar 2026 12:00 GMT; BST from Sun 29 Mar 01:00 UTC.
  // Due 29 Mar 12:00 UTC = 13:00 BST.
  const absl::Time due = AddRunningTime(T("2026-03-28T12:00:00Z"), absl::Hours(24), {});
  EXPECT_EQ(Cal("gb-eaw").FormatLocal(due), "2026-03-29 13:00 BST");
}

// ---------------------------------------------------------------------------
// Calendar days, weeks, months.

TEST(CalendarDays, FifteenDaysAcrossUsDstStart) {
  // CFPB 15 calendar days: Mon 2 Mar 2026 10:00 EST; day 15 = Tue 17 Mar;
  // end of day = Wed 18 Mar 00:00 EDT (DST began 8 Mar) = 04:00 UTC.
  auto r = AddCalendarDays(Cal("us-federal"), T("2026-03-02T15:00:00Z"), 15,
                           v1::DUE_TIME_END_OF_DAY, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due_day, D(2026, 3, 17));
  EXPECT_EQ(r->due, T("2026-03-18T04:00:00Z"));
}

TEST(CalendarDays, DayZeroIsTheLocalDateNotTheUtcDate) {
  // Mon 2 Mar 2026 08:00 AEDT = Sun 1 Mar 21:00 UTC. ASIC RG 271's 30 days
  // count from the local date: day 30 = Wed 1 Apr; end of day AEDT (+11) =
  // 1 Apr 13:00 UTC.
  auto r = AddCalendarDays(Cal("au-national"), T("2026-03-01T21:00:00Z"), 30,
                           v1::DUE_TIME_END_OF_DAY, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due, T("2026-04-01T13:00:00Z"));
  // Fri 23 Jan 2026 08:00 AEDT = Thu 22 Jan 21:00 UTC. Next business day:
  // Mon 26 Jan is Australia Day -> Tue 27 Jan 17:00 AEDT = 06:00 UTC.
  EXPECT_EQ(BusinessDue("au-national", "2026-01-22T21:00:00Z", 1), T("2026-01-27T06:00:00Z"));
  // Mon 2 Mar 2026 21:00 EST = Tue 3 Mar 02:00 UTC; CFPB 15 days from the
  // local Monday: Tue 17 Mar, end of day EDT = 18 Mar 04:00 UTC.
  r = AddCalendarDays(Cal("us-federal"), T("2026-03-03T02:00:00Z"), 15, v1::DUE_TIME_END_OF_DAY,
                      {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due, T("2026-03-18T04:00:00Z"));
}

TEST(CalendarDays, EightWeeksIsFiftySixDays) {
  // FCA DISP 1.6.2R: Mon 2 Mar 2026 10:00 GMT + 56 days = Mon 27 Apr; end of
  // day = 28 Apr 00:00 BST = 27 Apr 23:00 UTC.
  auto r = AddCalendarDays(Cal("gb-eaw"), T("2026-03-02T10:00:00Z"), 56,
                           v1::DUE_TIME_END_OF_DAY, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due, T("2026-04-27T23:00:00Z"));
}

TEST(CalendarDays, EndOfADayThatIs23HoursLong) {
  // 8 weeks (DISP 1.6.2R) from Sun 1 Feb 2026 10:00 GMT end on Sun 29 Mar,
  // the day the clocks go forward: it is 23 hours long, so its end is
  // Mon 30 Mar 00:00 BST = 29 Mar 23:00 UTC (not 24 h after 00:00 GMT).
  auto r = AddCalendarDays(Cal("gb-eaw"), T("2026-02-01T10:00:00Z"), 56,
                           v1::DUE_TIME_END_OF_DAY, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due, T("2026-03-29T23:00:00Z"));
  // And the 25-hour day in October: 8 weeks from Sun 30 Aug 2026 10:00 BST
  // end on Sun 25 Oct; its end is Mon 26 Oct 00:00 GMT = 00:00 UTC.
  r = AddCalendarDays(Cal("gb-eaw"), T("2026-08-30T09:00:00Z"), 56, v1::DUE_TIME_END_OF_DAY, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due, T("2026-10-26T00:00:00Z"));
}

TEST(CalendarMonths, ClampToTheEndOfTheMonth) {
  // 6 months (FOS referral window, DISP 2.8.2R) from 31 Aug 2026 -> 28 Feb
  // 2027 (no 31st); from 31 Aug 2027 -> 29 Feb 2028 (leap year). End of day
  // in GMT.
  EXPECT_EQ(AddCalendarMonths(Cal("gb-eaw"), T("2026-08-31T10:00:00Z"), 6,
                              v1::DUE_TIME_END_OF_DAY),
            T("2027-03-01T00:00:00Z"));
  EXPECT_EQ(AddCalendarMonths(Cal("gb-eaw"), T("2027-08-31T10:00:00Z"), 6,
                              v1::DUE_TIME_END_OF_DAY),
            T("2028-03-01T00:00:00Z"));
}

// ---------------------------------------------------------------------------
// Pauses.

TEST(Pauses, ElapsedTimeMovesByThePausedDuration) {
  const absl::Time start = T("2026-03-02T10:00:00Z");
  // Paused 12:00-15:00: 24 h -> 3 Mar 13:00.
  EXPECT_EQ(AddRunningTime(start, absl::Hours(24),
                           NormalizeIntervals({{T("2026-03-02T12:00:00Z"),
                                                T("2026-03-02T15:00:00Z")}})),
            T("2026-03-03T13:00:00Z"));
  // A pause starting after the due time moves nothing.
  EXPECT_EQ(AddRunningTime(start, absl::Hours(24),
                           NormalizeIntervals({{T("2026-03-04T00:00:00Z"),
                                                T("2026-03-05T00:00:00Z")}})),
            T("2026-03-03T10:00:00Z"));
  // A pause in effect at the start delays the start: 09:00-11:00 -> 3 Mar 11:00.
  EXPECT_EQ(AddRunningTime(start, absl::Hours(24),
                           NormalizeIntervals({{T("2026-03-02T09:00:00Z"),
                                                T("2026-03-02T11:00:00Z")}})),
            T("2026-03-03T11:00:00Z"));
  // Overlapping pauses are merged, not counted twice: 12-15 and 14-16 -> 4 h.
  EXPECT_EQ(AddRunningTime(start, absl::Hours(24),
                           NormalizeIntervals(
                               {{T("2026-03-02T12:00:00Z"), T("2026-03-02T15:00:00Z")},
                                {T("2026-03-02T14:00:00Z"), T("2026-03-02T16:00:00Z")}})),
            T("2026-03-03T14:00:00Z"));
}

TEST(Pauses, BusinessDaysPausedAtCloseDoNotCount) {
  // Mon 2 Mar 2026 10:00, 3 business days -> Thu 5 at 17:00 without pauses.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-02T10:00:00Z", 3), T("2026-03-05T17:00:00Z"));
  // Paused Tue 3 10:00 -> Thu 5 15:00: Tue and Wed are paused at their close
  // and do not count; Thu (1), Fri 6 (2), Mon 9 (3).
  auto r = AddBusinessDays(Cal("gb-eaw"), T("2026-03-02T10:00:00Z"), 3,
                           v1::DUE_TIME_CLOSE_OF_BUSINESS,
                           NormalizeIntervals({{T("2026-03-03T10:00:00Z"),
                                                T("2026-03-05T15:00:00Z")}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due, T("2026-03-09T17:00:00Z"));
  EXPECT_EQ(r->paused_days, 2);
  EXPECT_EQ(*r->first_paused_day, D(2026, 3, 3));
  EXPECT_EQ(*r->last_paused_day, D(2026, 3, 4));
  // A pause that ends before close the same day removes nothing.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-02T10:00:00Z", 3, v1::DUE_TIME_CLOSE_OF_BUSINESS,
                        {{T("2026-03-03T10:00:00Z"), T("2026-03-03T15:00:00Z")}}),
            T("2026-03-05T17:00:00Z"));
  // A pause ending exactly at close: the clock is not running just before
  // close, so that day does not count: Tue removed -> Fri 6.
  EXPECT_EQ(BusinessDue("gb-eaw", "2026-03-02T10:00:00Z", 3, v1::DUE_TIME_CLOSE_OF_BUSINESS,
                        {{T("2026-03-03T10:00:00Z"), T("2026-03-03T17:00:00Z")}}),
            T("2026-03-06T17:00:00Z"));
}

TEST(Pauses, CalendarDaysPausedAtMidnightDoNotCount) {
  // 15 calendar days from Mon 2 Mar 2026 10:00 UTC (utc-weekdays calendar):
  // day 15 = 17 Mar. Paused 4 Mar 12:00 -> 6 Mar 08:00: 4 and 5 Mar are
  // paused at midnight -> day 15 = 19 Mar, end of day 20 Mar 00:00 UTC.
  auto r = AddCalendarDays(Cal("utc-weekdays"), T("2026-03-02T10:00:00Z"), 15,
                           v1::DUE_TIME_END_OF_DAY,
                           NormalizeIntervals({{T("2026-03-04T12:00:00Z"),
                                                T("2026-03-06T08:00:00Z")}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due, T("2026-03-20T00:00:00Z"));
  EXPECT_EQ(r->paused_days, 2);
}

TEST(Pauses, IntervalHelpers) {
  const auto p = NormalizeIntervals({{T("2026-03-02T14:00:00Z"), T("2026-03-02T16:00:00Z")},
                                     {T("2026-03-02T12:00:00Z"), T("2026-03-02T14:00:00Z")},
                                     {T("2026-03-03T00:00:00Z"), T("2026-03-03T00:00:00Z")}});
  ASSERT_EQ(p.size(), 1u);  // touching intervals merge, empty ones vanish
  EXPECT_EQ(p[0].start, T("2026-03-02T12:00:00Z"));
  EXPECT_EQ(p[0].end, T("2026-03-02T16:00:00Z"));
  EXPECT_TRUE(IsPausedAt(T("2026-03-02T12:00:00Z"), p));
  EXPECT_FALSE(IsPausedAt(T("2026-03-02T16:00:00Z"), p));
  EXPECT_EQ(RunningTimeBetween(T("2026-03-02T10:00:00Z"), T("2026-03-02T20:00:00Z"), p),
            absl::Hours(6));
}

// ---------------------------------------------------------------------------
// Validation and parsing.

TEST(CalendarValidation, NamesTheField) {
  v1::Calendar c;
  c.set_id("x");
  c.set_time_zone("Europe/London");
  c.set_first_year(2026);
  c.set_last_year(2026);
  auto* h = c.add_holidays();
  h->set_date("2026-02-30");
  h->set_name("nope");
  auto r = BusinessCalendar::Create(c, "calendars[0]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("calendars[0].holidays[0].date"));

  h->set_date("2027-01-01");
  EXPECT_THAT(BusinessCalendar::Create(c, "c").status().message(),
              HasSubstr("c.holidays[0].date: 2027-01-01 is outside"));
  h->set_date("2026-01-01");
  c.set_time_zone("Mars/Olympus_Mons");
  EXPECT_THAT(BusinessCalendar::Create(c, "c").status().message(), HasSubstr("c.time_zone"));
  c.set_time_zone("Europe/London");
  c.mutable_business_hours()->set_open("17:00");
  c.mutable_business_hours()->set_close("09:00");
  EXPECT_THAT(BusinessCalendar::Create(c, "c").status().message(),
              HasSubstr("c.business_hours.close: must be after open"));
  c.clear_business_hours();
  c.add_weekend_days(v1::WEEKDAY_SUNDAY);
  c.add_weekend_days(v1::WEEKDAY_SUNDAY);
  EXPECT_THAT(BusinessCalendar::Create(c, "c").status().message(),
              HasSubstr("c.weekend_days[1]"));
}

TEST(Parsing, DatesAndTimes) {
  EXPECT_EQ(ParseLocalDate("2028-02-29"), D(2028, 2, 29));
  EXPECT_FALSE(ParseLocalDate("2027-02-29").has_value());
  EXPECT_FALSE(ParseLocalDate("2027-2-28").has_value());
  EXPECT_FALSE(ParseLocalDate("2027-02-28T00").has_value());
  EXPECT_EQ(ParseLocalTimeOfDay("17:30"), 17 * 60 + 30);
  EXPECT_FALSE(ParseLocalTimeOfDay("24:00").has_value());
  EXPECT_FALSE(ParseLocalTimeOfDay("9:00").has_value());
}

}  // namespace
}  // namespace redress::domain
