#include "server/domain/calendar.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/domain/status_macros.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;

// Longest stretch of days the counting loops walk (about 80 years): a
// guard against runaway loops, far beyond any real deadline plus pauses.
constexpr int kMaxDaysWalked = 30000;

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int IsoWeekday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday: return 1;
    case absl::Weekday::tuesday: return 2;
    case absl::Weekday::wednesday: return 3;
    case absl::Weekday::thursday: return 4;
    case absl::Weekday::friday: return 5;
    case absl::Weekday::saturday: return 6;
    case absl::Weekday::sunday: return 7;
  }
  return 0;
}

bool ValidId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

absl::Status Invalid(absl::string_view path, absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ".", field, ": ", what));
}

// The instant on `day` at the wall-clock time of `start` (sub-second part
// kept).
absl::Time SameLocalTimeOn(const BusinessCalendar& cal, absl::Time start, absl::CivilDay day) {
  const absl::CivilSecond cs = absl::ToCivilSecond(start, cal.time_zone());
  const absl::Duration sub = start - absl::FromUnixSeconds(absl::ToUnixSeconds(start));
  return absl::FromCivil(
             absl::CivilSecond(day.year(), day.month(), day.day(), cs.hour(), cs.minute(),
                               cs.second()),
             cal.time_zone()) +
         sub;
}

absl::Time DueOn(const BusinessCalendar& cal, absl::Time start, absl::CivilDay day,
                 v1::DueTime due_time) {
  switch (due_time) {
    case v1::DUE_TIME_SAME_LOCAL_TIME: return SameLocalTimeOn(cal, start, day);
    case v1::DUE_TIME_CLOSE_OF_BUSINESS: return cal.CloseOf(day);
    default: return cal.EndOfDay(day);
  }
}

absl::Status TooLong(absl::Time start) {
  return absl::FailedPreconditionError(
      absl::StrCat("deadline arithmetic from ", absl::FormatTime(start),
                   " walked more than ", kMaxDaysWalked, " days (pauses without end?)"));
}

// Shared day-counting loop: `counts(day)` says whether a day is eligible
// (business day / any day); `close(day)` is the instant at which the clock
// must be running for the day to count.
template <typename Eligible, typename Close>
absl::StatusOr<DayCount> CountDays(const BusinessCalendar& cal, absl::Time start, int n,
                                   v1::DueTime due_time, absl::Span<const TimeInterval> pauses,
                                   bool check_coverage, Eligible eligible, Close close) {
  if (n < 0) return absl::InvalidArgumentError(absl::StrCat("day count must be >= 0, got ", n));
  DayCount r;
  absl::CivilDay d = cal.LocalDay(start);
  int counted = 0;
  int walked = 0;
  while (counted < n) {
    d += 1;
    if (++walked > kMaxDaysWalked) return TooLong(start);
    if (check_coverage) REDRESS_RETURN_IF_ERROR(cal.CheckCovered(d));
    if (!eligible(d)) continue;
    if (IsPausedAt(close(d) - absl::Microseconds(1), pauses)) {
      ++r.paused_days;
      if (!r.first_paused_day) r.first_paused_day = d;
      r.last_paused_day = d;
      continue;
    }
    ++counted;
  }
  r.due_day = d;
  r.due = DueOn(cal, start, d, due_time);
  return r;
}

}  // namespace

std::optional<absl::CivilDay> ParseLocalDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const absl::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return std::nullopt;
  const int yy = std::stoi(std::string(y)), mm = std::stoi(std::string(m)),
            dd = std::stoi(std::string(d));
  const absl::CivilDay day(yy, mm, dd);
  if (day.year() != yy || day.month() != mm || day.day() != dd) return std::nullopt;
  return day;
}

std::optional<int> ParseLocalTimeOfDay(absl::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const absl::string_view h = text.substr(0, 2), m = text.substr(3, 2);
  if (!AllDigits(h) || !AllDigits(m)) return std::nullopt;
  const int hh = std::stoi(std::string(h)), mm = std::stoi(std::string(m));
  if (hh > 23 || mm > 59) return std::nullopt;
  return hh * 60 + mm;
}

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(const v1::Calendar& proto,
                                                          absl::string_view path) {
  BusinessCalendar cal;
  cal.proto_ = proto;
  if (!ValidId(proto.id())) {
    return Invalid(path, "id",
                   absl::StrCat("must be 1-64 lower-case letters, digits or '-', got \"",
                                proto.id(), "\""));
  }
  if (proto.time_zone().empty()) return Invalid(path, "time_zone", "required");
  if (!absl::LoadTimeZone(proto.time_zone(), &cal.tz_)) {
    return Invalid(path, "time_zone",
                   absl::StrCat("unknown IANA time zone \"", proto.time_zone(),
                                "\" (is the tzdata package installed?)"));
  }
  for (int i = 0; i < proto.weekend_days_size(); ++i) {
    const int w = proto.weekend_days(i);
    if (w < 1 || w > 7) {
      return Invalid(path, absl::StrCat("weekend_days[", i, "]"), "must be MONDAY..SUNDAY");
    }
    if (cal.weekend_[w]) {
      return Invalid(path, absl::StrCat("weekend_days[", i, "]"),
                     absl::StrCat("repeated ", v1::Weekday_Name(proto.weekend_days(i))));
    }
    cal.weekend_[w] = true;
  }
  if (proto.has_business_hours()) {
    const auto open = ParseLocalTimeOfDay(proto.business_hours().open());
    const auto close = ParseLocalTimeOfDay(proto.business_hours().close());
    if (!open) {
      return Invalid(path, "business_hours.open",
                     absl::StrCat("not an HH:MM time: \"", proto.business_hours().open(), "\""));
    }
    if (!close) {
      return Invalid(path, "business_hours.close",
                     absl::StrCat("not an HH:MM time: \"", proto.business_hours().close(), "\""));
    }
    if (*close <= *open) return Invalid(path, "business_hours.close", "must be after open");
    cal.open_minute_ = open;
    cal.close_minute_ = close;
  }
  const int first = proto.first_year(), last = proto.last_year();
  const bool unbounded = first == 0 && last == 0;
  if (!unbounded && (first < 1900 || last > 9999 || first > last)) {
    return Invalid(path, "last_year",
                   absl::StrCat("first_year..last_year must be a range within 1900..9999, got ",
                                first, "..", last));
  }
  if (unbounded && proto.holidays_size() > 0) {
    return Invalid(path, "first_year", "required (with last_year) when holidays are listed");
  }
  for (int i = 0; i < proto.holidays_size(); ++i) {
    const auto& h = proto.holidays(i);
    const std::string f = absl::StrCat("holidays[", i, "]");
    const auto day = ParseLocalDate(h.date());
    if (!day) {
      return Invalid(path, absl::StrCat(f, ".date"),
                     absl::StrCat("not a YYYY-MM-DD date: \"", h.date(), "\""));
    }
    if (day->year() < first || day->year() > last) {
      return Invalid(path, absl::StrCat(f, ".date"),
                     absl::StrCat(h.date(), " is outside first_year..last_year ", first, "..",
                                  last));
    }
    if (h.name().empty()) return Invalid(path, absl::StrCat(f, ".name"), "required");
    if (!cal.holidays_.emplace(*day, h.name()).second) {
      return Invalid(path, absl::StrCat(f, ".date"), absl::StrCat("repeated date ", h.date()));
    }
  }
  return cal;
}

bool BusinessCalendar::IsWeekend(absl::CivilDay day) const { return weekend_[IsoWeekday(day)]; }

const std::string* BusinessCalendar::HolidayName(absl::CivilDay day) const {
  const auto it = holidays_.find(day);
  return it == holidays_.end() ? nullptr : &it->second;
}

bool BusinessCalendar::IsBusinessDay(absl::CivilDay day) const {
  return !IsWeekend(day) && HolidayName(day) == nullptr;
}

absl::Status BusinessCalendar::CheckCovered(absl::CivilDay day) const {
  if (proto_.first_year() == 0 && proto_.last_year() == 0) return absl::OkStatus();
  if (day.year() >= proto_.first_year() && day.year() <= proto_.last_year()) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "calendar ", id(), " lists holidays for ", proto_.first_year(), "-", proto_.last_year(),
      " only; ", absl::FormatCivilTime(day), " is outside (add that year's holidays)"));
}

absl::CivilDay BusinessCalendar::LocalDay(absl::Time t) const {
  return absl::ToCivilDay(t, tz_);
}

absl::Time BusinessCalendar::StartOfDay(absl::CivilDay day) const {
  return absl::FromCivil(day, tz_);
}

absl::Time BusinessCalendar::EndOfDay(absl::CivilDay day) const {
  return absl::FromCivil(day + 1, tz_);
}

absl::Time BusinessCalendar::OpenOf(absl::CivilDay day) const {
  if (!open_minute_) return StartOfDay(day);
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(),
                                           *open_minute_ / 60, *open_minute_ % 60, 0),
                         tz_);
}

absl::Time BusinessCalendar::CloseOf(absl::CivilDay day) const {
  if (!close_minute_) return EndOfDay(day);
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(),
                                           *close_minute_ / 60, *close_minute_ % 60, 0),
                         tz_);
}

bool BusinessCalendar::IsWithinBusinessHours(absl::Time t) const {
  const absl::CivilDay d = LocalDay(t);
  return IsBusinessDay(d) && t >= OpenOf(d) && t < CloseOf(d);
}

std::string BusinessCalendar::FormatLocal(absl::Time t) const {
  const absl::CivilSecond cs = absl::ToCivilSecond(t, tz_);
  const bool whole_minute = cs.second() == 0 && t == absl::FromUnixSeconds(absl::ToUnixSeconds(t));
  return absl::FormatTime(whole_minute ? "%Y-%m-%d %H:%M %Z" : "%Y-%m-%d %H:%M:%E*S %Z", t, tz_);
}

std::vector<TimeInterval> NormalizeIntervals(std::vector<TimeInterval> intervals) {
  intervals.erase(std::remove_if(intervals.begin(), intervals.end(),
                                 [](const TimeInterval& i) { return i.end <= i.start; }),
                  intervals.end());
  std::sort(intervals.begin(), intervals.end(),
            [](const TimeInterval& a, const TimeInterval& b) { return a.start < b.start; });
  std::vector<TimeInterval> out;
  for (const auto& i : intervals) {
    if (!out.empty() && i.start <= out.back().end) {
      out.back().end = std::max(out.back().end, i.end);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

bool IsPausedAt(absl::Time t, absl::Span<const TimeInterval> pauses) {
  for (const auto& p : pauses) {
    if (p.start <= t && t < p.end) return true;
  }
  return false;
}

absl::Duration PausedTimeBetween(absl::Time a, absl::Time b,
                                 absl::Span<const TimeInterval> pauses) {
  absl::Duration total = absl::ZeroDuration();
  if (b <= a) return total;
  for (const auto& p : pauses) {
    const absl::Time s = std::max(a, p.start), e = std::min(b, p.end);
    if (e > s) total += e - s;
  }
  return total;
}

absl::Duration RunningTimeBetween(absl::Time a, absl::Time b,
                                  absl::Span<const TimeInterval> pauses) {
  if (b <= a) return absl::ZeroDuration();
  return (b - a) - PausedTimeBetween(a, b, pauses);
}

absl::Time AddRunningTime(absl::Time start, absl::Duration running,
                          absl::Span<const TimeInterval> pauses) {
  absl::Time cur = start;
  absl::Duration rem = running;
  for (const auto& p : pauses) {
    if (p.end <= cur) continue;
    const absl::Time ps = std::max(p.start, cur);
    if (ps - cur >= rem) break;  // the clock reaches its target before this pause
    rem -= ps - cur;
    cur = p.end;
  }
  return cur + rem;
}

absl::StatusOr<absl::Time> ApplyStartRule(const BusinessCalendar& cal, absl::Time receipt,
                                          v1::StartRule rule) {
  if (rule != v1::START_RULE_NEXT_BUSINESS_DAY_IF_OUTSIDE_HOURS) return receipt;
  absl::CivilDay d = cal.LocalDay(receipt);
  REDRESS_RETURN_IF_ERROR(cal.CheckCovered(d));
  if (cal.IsBusinessDay(d) && receipt < cal.CloseOf(d)) return std::max(receipt, cal.OpenOf(d));
  for (int walked = 0; walked < kMaxDaysWalked; ++walked) {
    d += 1;
    REDRESS_RETURN_IF_ERROR(cal.CheckCovered(d));
    if (cal.IsBusinessDay(d)) return cal.OpenOf(d);
  }
  return TooLong(receipt);
}

absl::StatusOr<DayCount> AddBusinessDays(const BusinessCalendar& cal, absl::Time start, int n,
                                         v1::DueTime due_time,
                                         absl::Span<const TimeInterval> pauses) {
  if (due_time == v1::DUE_TIME_UNSPECIFIED) due_time = v1::DUE_TIME_CLOSE_OF_BUSINESS;
  return CountDays(
      cal, start, n, due_time, pauses, /*check_coverage=*/true,
      [&](absl::CivilDay d) { return cal.IsBusinessDay(d); },
      [&](absl::CivilDay d) { return cal.CloseOf(d); });
}

absl::StatusOr<DayCount> AddCalendarDays(const BusinessCalendar& cal, absl::Time start, int n,
                                         v1::DueTime due_time,
                                         absl::Span<const TimeInterval> pauses) {
  if (due_time == v1::DUE_TIME_UNSPECIFIED) due_time = v1::DUE_TIME_END_OF_DAY;
  return CountDays(
      cal, start, n, due_time, pauses, /*check_coverage=*/false,
      [](absl::CivilDay) { return true; }, [&](absl::CivilDay d) { return cal.EndOfDay(d); });
}

absl::Time AddCalendarMonths(const BusinessCalendar& cal, absl::Time start, int n,
                             v1::DueTime due_time) {
  if (due_time == v1::DUE_TIME_UNSPECIFIED) due_time = v1::DUE_TIME_END_OF_DAY;
  const absl::CivilDay d0 = cal.LocalDay(start);
  const absl::CivilMonth m = absl::CivilMonth(d0) + n;
  const absl::CivilDay last_of_month = absl::CivilDay(m + 1) - 1;
  const absl::CivilDay day(m.year(), m.month(), std::min(d0.day(), last_of_month.day()));
  return DueOn(cal, start, day, due_time);
}

}  // namespace redress::domain
