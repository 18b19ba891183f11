// Business calendars and the clock arithmetic regulatory deadlines need.
//
// Everything is computed in the calendar's IANA time zone through
// absl::TimeZone, so daylight-saving changes are handled: a "day" is a local
// civil day (23 or 25 hours long on a change date), an "hour" is an elapsed
// hour. Pure functions and immutable objects: thread-safe.
//
// Definitions (tests in tests/domain/calendar_test.cc hold them):
//
//  * Business day: a local date that is neither a weekend day of the
//    calendar nor one of its holidays (FCA Glossary "business day": not a
//    Saturday, Sunday, Christmas Day, Good Friday or a bank holiday in that
//    part of the UK).
//  * Close of a day: DUE_TIME_CLOSE_OF_BUSINESS = the calendar's business
//    hours close on that date (or the end of the day without business
//    hours); DUE_TIME_END_OF_DAY = local midnight starting the next date.
//  * Counting N days (business or calendar) from a start instant: the local
//    date of the start is day 0 and never counts ("the Nth business day
//    following the day on which it is received"). Day k is the k-th later
//    date that counts. The deadline falls due on day N at the close of that
//    day, or at the start's local wall-clock time (DUE_TIME_SAME_LOCAL_TIME;
//    a wall time skipped by a DST change maps to the instant of the change,
//    a repeated one to its first occurrence).
//    "By close of the 3rd business day after receipt" (FCA DISP 1.5.1R) is
//    therefore: receipt Monday 10:00 -> due Thursday at close of business;
//    receipt Friday 18:00 -> due Wednesday at close (Friday is day 0 even
//    after hours, unless the start rule moves the start to Monday, in which
//    case it is Thursday).
//  * Start rule NEXT_BUSINESS_DAY_IF_OUTSIDE_HOURS: a receipt inside
//    business hours on a business day starts the clock at once; any other
//    receipt starts it when business hours next open.
//  * Pauses ([start, end) intervals during which the clock does not run):
//      - elapsed units (hours): the due time moves later by the paused time
//        that falls before it (a pause that starts after the due time does
//        not move it);
//      - day units (business days, calendar days, weeks): a day counts only
//        if the clock is running just before its close (for business days
//        the close of business hours, for calendar days local midnight),
//        whatever the deadline's due time. A pause from Tuesday 10:00 to Thursday 15:00 therefore
//        removes Tuesday and Wednesday; one from Tuesday 10:00 to 15:00
//        removes nothing. Days wholly inside a regulator pause window never
//        count.
//  * Calendar months (windows only): same day of month N months later,
//    clamped to the month's last day; never paused.
#ifndef REDRESS_SERVER_DOMAIN_CALENDAR_H_
#define REDRESS_SERVER_DOMAIN_CALENDAR_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "redress/v1/policy.pb.h"

namespace redress::domain {

// A half-open interval [start, end) of absolute time.
struct TimeInterval {
  absl::Time start;
  absl::Time end;
};

// Parses "YYYY-MM-DD" (exactly that shape, a real date).
std::optional<absl::CivilDay> ParseLocalDate(absl::string_view text);
// Parses "HH:MM" (00:00..23:59) into minutes after midnight.
std::optional<int> ParseLocalTimeOfDay(absl::string_view text);

// A validated calendar with fast lookups. Cheap to copy.
class BusinessCalendar {
 public:
  // Validates `proto` and loads its time zone. INVALID_ARGUMENT names the
  // field, prefixed by `field_path` (e.g. "calendars[2]"):
  //   "calendars[2].holidays[5].date: not a YYYY-MM-DD date: \"2026-02-30\"".
  static absl::StatusOr<BusinessCalendar> Create(const redress::v1::Calendar& proto,
                                                 absl::string_view field_path = "calendar");

  const std::string& id() const { return proto_.id(); }
  const redress::v1::Calendar& proto() const { return proto_; }
  const absl::TimeZone& time_zone() const { return tz_; }
  bool has_business_hours() const { return open_minute_.has_value(); }

  bool IsWeekend(absl::CivilDay day) const;
  // The holiday's name, or nullptr when `day` is not a holiday.
  const std::string* HolidayName(absl::CivilDay day) const;
  // Not a weekend day and not a holiday. Outside first_year..last_year only
  // weekends are known; the arithmetic below refuses such days instead.
  bool IsBusinessDay(absl::CivilDay day) const;
  // OK, or FAILED_PRECONDITION when the calendar's holiday data does not
  // cover `day`'s year.
  absl::Status CheckCovered(absl::CivilDay day) const;

  absl::CivilDay LocalDay(absl::Time t) const;
  absl::Time StartOfDay(absl::CivilDay day) const;  // local 00:00
  absl::Time EndOfDay(absl::CivilDay day) const;    // local 00:00 of day + 1
  // Business hours open / close on `day` (00:00 / end of day without hours).
  absl::Time OpenOf(absl::CivilDay day) const;
  absl::Time CloseOf(absl::CivilDay day) const;
  // On a business day and open <= local time < close.
  bool IsWithinBusinessHours(absl::Time t) const;

  // "2026-04-03 17:00 BST" (seconds shown only when not zero).
  std::string FormatLocal(absl::Time t) const;

 private:
  redress::v1::Calendar proto_;
  absl::TimeZone tz_;
  bool weekend_[8] = {};  // indexed by ISO weekday 1..7
  std::map<absl::CivilDay, std::string> holidays_;
  std::optional<int> open_minute_;
  std::optional<int> close_minute_;
};

// Sorts, drops empty intervals and merges overlapping or touching ones.
std::vector<TimeInterval> NormalizeIntervals(std::vector<TimeInterval> intervals);

// Whether `t` lies inside one of `pauses` (normalized).
bool IsPausedAt(absl::Time t, absl::Span<const TimeInterval> pauses);

// Time in [a, b) not covered by `pauses` (normalized). Zero if b <= a.
absl::Duration RunningTimeBetween(absl::Time a, absl::Time b,
                                  absl::Span<const TimeInterval> pauses);
// Paused time in [a, b).
absl::Duration PausedTimeBetween(absl::Time a, absl::Time b,
                                 absl::Span<const TimeInterval> pauses);

// The instant at which the clock, started at `start`, has run for
// `running` (>= 0) outside `pauses` (normalized). With no pauses this is
// start + running. A pause already in effect at `start` delays the start.
absl::Time AddRunningTime(absl::Time start, absl::Duration running,
                          absl::Span<const TimeInterval> pauses);

// The clock start under `rule` for something received at `receipt`.
// FAILED_PRECONDITION when the calendar's data does not cover the days
// examined.
absl::StatusOr<absl::Time> ApplyStartRule(const BusinessCalendar& cal, absl::Time receipt,
                                          redress::v1::StartRule rule);

// The result of counting days.
struct DayCount {
  absl::Time due;
  absl::CivilDay due_day;
  // Days that would have counted but did not because the clock was paused
  // at their close.
  int paused_days = 0;
  std::optional<absl::CivilDay> first_paused_day;
  std::optional<absl::CivilDay> last_paused_day;
};

// Adds `n` (>= 0) business days to `start` as defined above; `due_time` is
// SAME_LOCAL_TIME, END_OF_DAY or CLOSE_OF_BUSINESS (UNSPECIFIED means
// CLOSE_OF_BUSINESS). `pauses` normalized.
absl::StatusOr<DayCount> AddBusinessDays(const BusinessCalendar& cal, absl::Time start, int n,
                                         redress::v1::DueTime due_time,
                                         absl::Span<const TimeInterval> pauses);

// Adds `n` (>= 0) calendar days (weeks: 7 * n). `due_time` is
// SAME_LOCAL_TIME or END_OF_DAY (UNSPECIFIED means END_OF_DAY).
absl::StatusOr<DayCount> AddCalendarDays(const BusinessCalendar& cal, absl::Time start, int n,
                                         redress::v1::DueTime due_time,
                                         absl::Span<const TimeInterval> pauses);

// Adds `n` (>= 0) calendar months; `due_time` as for calendar days.
absl::Time AddCalendarMonths(const BusinessCalendar& cal, absl::Time start, int n,
                             redress::v1::DueTime due_time);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_CALENDAR_H_
