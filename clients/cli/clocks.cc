#include "clients/cli/clocks.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/enums.h"
#include "clients/cli/output.h"
#include "clients/cli/report.h"
#include "clients/cli/requests.h"
#include "clients/cli/uuid.h"
#include "google/protobuf/util/time_util.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using google::protobuf::util::TimeUtil;

absl::Status InvalidFlag(const std::string& flag, const std::string& value,
                         const std::string& expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value \"", value, "\" for --", flag, ": expected ", expected));
}


// An integer flag in [lo, hi], if given.
absl::StatusOr<std::optional<int32_t>> IntInRange(const Invocation& inv, const std::string& flag,
                                                  int32_t lo, int32_t hi) {
  std::optional<std::string> v = inv.Value(flag);
  if (!v.has_value()) return std::optional<int32_t>();
  int32_t n = 0;
  if (!absl::SimpleAtoi(*v, &n) || n < lo || n > hi) {
    return InvalidFlag(flag, *v, absl::StrCat("an integer from ", lo, " to ", hi));
  }
  return std::optional<int32_t>(n);
}

absl::StatusOr<std::optional<v1::Channel>> OptionalChannel(const Invocation& inv,
                                                           const std::string& flag) {
  std::optional<std::string> v = inv.Value(flag);
  if (!v.has_value()) return std::optional<v1::Channel>();
  absl::StatusOr<v1::Channel> c = ParseEnum<v1::Channel>(flag, *v);
  if (!c.ok()) return c.status();
  return std::optional<v1::Channel>(*c);
}

bool Running(v1::Deadline::State s) {
  return s == v1::Deadline::STATE_ON_TRACK || s == v1::Deadline::STATE_AT_RISK ||
         s == v1::Deadline::STATE_PAUSED;
}

bool FirmSide(v1::DeadlineKind k) {
  return k == v1::DEADLINE_KIND_ACKNOWLEDGEMENT || k == v1::DEADLINE_KIND_HOLDING_RESPONSE ||
         k == v1::DEADLINE_KIND_FINAL_RESPONSE;
}

std::string Count(int64_t n) { return absl::StrCat(n); }

std::string Summary(const v1::DurationSummary& d) {
  if (d.count() == 0) return "no data";
  return absl::StrCat("p50 ", FormatDurationShort(d.p50()), ", p90 ",
                      FormatDurationShort(d.p90()), ", mean ", FormatDurationShort(d.mean()),
                      " (n=", d.count(), ")");
}

std::string CountList(const google::protobuf::RepeatedPtrField<v1::StatisticsCount>& counts) {
  std::string out;
  for (const v1::StatisticsCount& c : counts) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", c.key().empty() ? "(none)" : c.key(), " ",
                    c.count());
  }
  return out.empty() ? "-" : out;
}

}  // namespace

absl::StatusOr<v1::RequestInformationRequest> BuildRequestInfoRequest(const Invocation& inv) {
  v1::RequestInformationRequest req;
  SetTarget(inv, &req);
  absl::StatusOr<std::string> info = RequiredValue(inv, "information");
  if (!info.ok()) return info.status();
  req.set_information(*info);
  absl::StatusOr<std::optional<v1::Channel>> channel = OptionalChannel(inv, "channel");
  if (!channel.ok()) return channel.status();
  if (channel->has_value()) req.set_channel(**channel);
  return req;
}

absl::StatusOr<v1::ReceiveInformationRequest> BuildReceiveInfoRequest(const Invocation& inv) {
  v1::ReceiveInformationRequest req;
  SetTarget(inv, &req);
  if (auto v = inv.Value("summary")) req.set_summary(*v);
  return req;
}

absl::StatusOr<v1::SendHoldingResponseRequest> BuildHoldingResponseRequest(
    const Invocation& inv) {
  v1::SendHoldingResponseRequest req;
  SetTarget(inv, &req);
  absl::StatusOr<std::string> text = RequiredValue(inv, "text");
  if (!text.ok()) return text.status();
  req.set_text(*text);
  if (auto v = inv.Value("expected")) {
    absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp("expected", *v);
    if (!ts.ok()) return ts.status();
    *req.mutable_expected_response_time() = *ts;
  }
  absl::StatusOr<std::optional<v1::Channel>> channel = OptionalChannel(inv, "channel");
  if (!channel.ok()) return channel.status();
  if (channel->has_value()) req.set_channel(**channel);
  return req;
}

absl::StatusOr<v1::ExtendDeadlineRequest> BuildExtendDeadlineRequest(const Invocation& inv) {
  v1::ExtendDeadlineRequest req;
  SetTarget(inv, &req);
  v1::DeadlineExtension* ext = req.mutable_extension();
  absl::StatusOr<std::string> kind_text = RequiredValue(inv, "kind");
  if (!kind_text.ok()) return kind_text.status();
  absl::StatusOr<v1::DeadlineKind> kind =
      ParseEnum<v1::DeadlineKind>("kind", *kind_text, EnumStyle::kLowerDashed);
  if (!kind.ok()) return kind.status();
  ext->set_kind(*kind);
  absl::StatusOr<std::string> amount_text = RequiredValue(inv, "amount");
  if (!amount_text.ok()) return amount_text.status();
  int32_t amount = 0;
  if (!absl::SimpleAtoi(*amount_text, &amount) || amount <= 0) {
    return InvalidFlag("amount", *amount_text, "a positive integer");
  }
  ext->set_amount(amount);
  absl::StatusOr<std::string> reason = RequiredValue(inv, "reason");
  if (!reason.ok()) return reason.status();
  ext->set_reason(*reason);
  return req;
}

absl::StatusOr<v1::RecomputeDeadlinesRequest> BuildRecomputeDeadlinesRequest(
    const Invocation& inv) {
  v1::RecomputeDeadlinesRequest req;
  SetTarget(inv, &req);
  absl::StatusOr<std::string> reason = RequiredValue(inv, "reason");
  if (!reason.ok()) return reason.status();
  req.set_reason(*reason);
  return req;
}

absl::StatusOr<v1::RecordSatisfactionRequest> BuildSatisfactionRequest(const Invocation& inv) {
  v1::RecordSatisfactionRequest req;
  SetTarget(inv, &req);
  absl::StatusOr<std::optional<int32_t>> csat = IntInRange(inv, "csat", 1, 5);
  if (!csat.ok()) return csat.status();
  absl::StatusOr<std::optional<int32_t>> nps = IntInRange(inv, "nps", 0, 10);
  if (!nps.ok()) return nps.status();
  if (!csat->has_value() && !nps->has_value()) {
    return absl::InvalidArgumentError("give --csat, --nps or both");
  }
  v1::Satisfaction* s = req.mutable_satisfaction();
  if (csat->has_value()) s->set_csat_score(**csat);
  if (nps->has_value()) s->set_nps_score(**nps);
  if (auto v = inv.Value("comment")) s->set_comment(*v);
  return req;
}

absl::StatusOr<v1::GetComplaintStatisticsRequest> BuildStatisticsRequest(const Invocation& inv) {
  v1::GetComplaintStatisticsRequest req;
  if (auto v = inv.Value("from")) {
    absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp("from", *v);
    if (!ts.ok()) return ts.status();
    *req.mutable_start_time() = *ts;
  }
  if (auto v = inv.Value("to")) {
    absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp("to", *v);
    if (!ts.ok()) return ts.status();
    *req.mutable_end_time() = *ts;
  }
  if (req.has_start_time() && req.has_end_time() && !(req.start_time() < req.end_time())) {
    return absl::InvalidArgumentError("--from must be before --to");
  }
  if (auto v = inv.Value("category")) req.set_category(*v);
  absl::StatusOr<std::optional<v1::Channel>> channel = OptionalChannel(inv, "channel");
  if (!channel.ok()) return channel.status();
  if (channel->has_value()) req.set_channel(**channel);
  if (auto v = inv.Value("policy")) req.set_policy_id(*v);
  return req;
}

absl::StatusOr<v1::ComplaintView> ListViewFlag(const Invocation& inv) {
  std::optional<std::string> v = inv.Value("view");
  if (!v.has_value()) return v1::COMPLAINT_VIEW_UNSPECIFIED;
  return ParseEnum<v1::ComplaintView>("view", *v, EnumStyle::kLowerDashed);
}

std::string FormatDurationShort(const google::protobuf::Duration& d) {
  int64_t total = d.seconds();
  const bool negative = total < 0 || (total == 0 && d.nanos() < 0);
  uint64_t s = total < 0 ? static_cast<uint64_t>(-(total + 1)) + 1 : static_cast<uint64_t>(total);
  const uint64_t days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60;
  std::string out;
  if (days > 0) {
    out = hours > 0 ? absl::StrCat(days, "d ", hours, "h") : absl::StrCat(days, "d");
  } else if (hours > 0) {
    out = minutes > 0 ? absl::StrCat(hours, "h ", minutes, "m") : absl::StrCat(hours, "h");
  } else if (minutes > 0) {
    out = absl::StrCat(minutes, "m");
  } else {
    out = absl::StrCat(s, "s");
  }
  return negative ? absl::StrCat("-", out) : out;
}

std::string FormatAmount(int32_t amount, v1::TimeUnit unit) {
  const char* name = "";
  switch (unit) {
    case v1::TIME_UNIT_HOURS: name = amount == 1 ? "hour" : "hours"; break;
    case v1::TIME_UNIT_CALENDAR_DAYS: name = amount == 1 ? "calendar day" : "calendar days"; break;
    case v1::TIME_UNIT_BUSINESS_DAYS: name = amount == 1 ? "business day" : "business days"; break;
    case v1::TIME_UNIT_WEEKS: name = amount == 1 ? "week" : "weeks"; break;
    case v1::TIME_UNIT_CALENDAR_MONTHS: name = amount == 1 ? "month" : "months"; break;
    default: return amount == 0 ? "-" : absl::StrCat(amount);
  }
  return absl::StrCat(amount, " ", name);
}

std::string RemainingCell(const v1::Deadline& d) {
  const google::protobuf::Duration& r = d.time_remaining();
  google::protobuf::Duration abs = r;
  const bool negative = r.seconds() < 0 || (r.seconds() == 0 && r.nanos() < 0);
  if (negative) {
    abs.set_seconds(-r.seconds());
    abs.set_nanos(-r.nanos());
  }
  const std::string amount = FormatDurationShort(abs);
  if (d.has_satisfy_time()) return absl::StrCat(amount, negative ? " late" : " early");
  if (Running(d.state())) return absl::StrCat(amount, negative ? " overdue" : " left");
  if (d.state() == v1::Deadline::STATE_BREACHED) return absl::StrCat(amount, " overdue");
  return "-";
}

std::string PolicyCell(const v1::PolicyRef& p) {
  if (p.id().empty()) return "-";
  std::string out = absl::StrCat(p.id(), " v", p.version());
  if (!p.calendar_id().empty()) absl::StrAppend(&out, ", calendar ", p.calendar_id());
  return out;
}

std::vector<std::pair<std::string, std::string>> ClockRows(const v1::Complaint& c) {
  std::vector<std::pair<std::string, std::string>> rows;
  if (c.has_policy()) rows.emplace_back("policy", PolicyCell(c.policy()));
  if (c.awaiting_information()) rows.emplace_back("awaiting information", "yes");
  if (c.has_satisfaction()) {
    const v1::Satisfaction& s = c.satisfaction();
    std::string v;
    if (s.has_csat_score()) v = absl::StrCat("CSAT ", s.csat_score(), "/5");
    if (s.has_nps_score()) absl::StrAppend(&v, v.empty() ? "" : ", ", "NPS ", s.nps_score(), "/10");
    if (!s.comment().empty()) absl::StrAppend(&v, " \"", s.comment(), "\"");
    rows.emplace_back("satisfaction", v.empty() ? "-" : v);
  }
  return rows;
}

std::string DeadlineSection(const v1::Complaint& c) {
  if (c.deadlines().empty()) return "";
  std::vector<std::vector<std::string>> rows;
  for (const v1::Deadline& d : c.deadlines()) {
    rows.push_back({EnumLabel(d.kind()), absl::StrCat(d.cycle()), EnumLabel(d.state()),
                    FormatTimestamp(d.due_time()), RemainingCell(d),
                    FormatAmount(d.amount(), d.unit())});
  }
  return absl::StrCat("\ndeadlines:\n",
                      FormatTable({"KIND", "CYCLE", "STATE", "DUE", "REMAINING", "RULE"}, rows));
}

std::string NextDeadlineCell(const v1::Complaint& c) {
  const v1::Deadline* best = nullptr;
  const v1::Deadline* breached = nullptr;
  for (const v1::Deadline& d : c.deadlines()) {
    if (!FirmSide(d.kind())) continue;
    if (Running(d.state())) {
      if (best == nullptr || d.due_time() < best->due_time()) best = &d;
    } else if (d.state() == v1::Deadline::STATE_BREACHED && !d.has_satisfy_time()) {
      if (breached == nullptr || d.due_time() < breached->due_time()) breached = &d;
    }
  }
  if (best == nullptr) best = breached;
  if (best == nullptr) return "-";
  return absl::StrCat(EnumLabel(best->kind()), " ", FormatTimestamp(best->due_time()), " ",
                      EnumLabel(best->state()));
}

std::vector<HeadlineRow> HeadlineRows(const v1::ComplaintStatistics& s) {
  std::vector<HeadlineRow> rows;
  auto add = [&rows](std::string section, std::string label, std::string value) {
    rows.push_back({std::move(section), std::move(label), std::move(value)});
  };
  const v1::ComplaintGroupStatistics& t = s.totals();
  add("Volume", "complaints", Count(s.complaint_count()));
  add("Volume", "by state", CountList(s.by_state()));
  add("Volume", "by channel", CountList(s.by_channel()));
  add("Volume", "by category", CountList(s.by_category()));
  add("Timeliness", "first response", Summary(s.first_response_time()));
  add("Timeliness", "response", Summary(s.response_time()));
  add("Timeliness", "handle time (to closure)", Summary(s.handle_time()));
  add("Timeliness", "closed within 3 business days",
      absl::StrCat(t.closed_within_3_business_days_count(), " of ", t.closed_count(), " (",
                   Percent(s.closed_within_3_business_days_ratio()), ")"));
  add("Timeliness", "closed within 8 weeks",
      absl::StrCat(t.closed_within_4_weeks_count() + t.closed_4_to_8_weeks_count(), " of ",
                   t.closed_count(), " (", Percent(s.closed_within_8_weeks_ratio()), ")"));
  add("Timeliness", "DISP 1.10 closed <=4 weeks / 4-8 weeks / >8 weeks",
      absl::StrCat(t.closed_within_4_weeks_count(), " / ", t.closed_4_to_8_weeks_count(), " / ",
                   t.closed_after_8_weeks_count()));
  add("Outcomes", "upheld (fully or partly)",
      absl::StrCat(t.upheld_count(), " of ", t.responded_count(), " responded (",
                   Percent(s.upheld_ratio()), ")"));
  std::string redress;
  for (const v1::Money& m : t.redress_paid()) {
    absl::StrAppend(&redress, redress.empty() ? "" : ", ", m.currency_code(), " ",
                    FormatMinorUnits(m.currency_code(), m.amount_minor()));
  }
  add("Outcomes", "redress offered", redress.empty() ? "-" : redress);
  add("Outcomes", "escalated", Percent(s.escalation_ratio()));
  add("Outcomes", "disputed", Percent(s.dispute_ratio()));
  add("Outcomes", "reopened", Percent(s.reopen_ratio()));
  for (const v1::DeadlineCompliance& d : s.deadline_compliance()) {
    add("Deadlines", absl::StrCat(EnumLabel(d.kind()), " met"),
        absl::StrCat(d.met_count(), " of ", d.met_count() + d.breached_count(), " (",
                     Percent(d.compliance_ratio()), ")"));
  }
  add("Deadlines", "all firm-side deadlines met", Percent(s.deadline_compliance_ratio()));
  if (s.has_final_response_allowance_p50()) {
    add("Deadlines", "median final-response allowance",
        FormatDurationShort(s.final_response_allowance_p50()));
  }
  add("Satisfaction", "CSAT",
      s.csat_responses() == 0
          ? "no answers"
          : absl::StrFormat("%.2f / 5 (n=%d)", s.csat_mean(), s.csat_responses()));
  add("Satisfaction", "NPS",
      s.nps_responses() == 0
          ? "no answers"
          : absl::StrFormat("%+.1f (n=%d: %d promoters, %d detractors)", s.nps(),
                            s.nps_responses(), s.nps_promoters(), s.nps_detractors()));
  return rows;
}

std::string StatisticsTable(const v1::ComplaintStatistics& s) {
  std::vector<std::vector<std::string>> rows;
  for (const HeadlineRow& r : HeadlineRows(s)) rows.push_back({r.section, r.label, r.value});
  std::string out = absl::StrCat("computed: ", FormatTimestamp(s.compute_time()), "\n\n",
                                 FormatTable({"SECTION", "FIGURE", "VALUE"}, rows));
  const std::vector<std::string> currencies = Currencies(s);
  std::vector<std::string> header = {"CATEGORY"};
  for (std::string h : GroupHeader(currencies)) {
    for (char& ch : h) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    header.push_back(std::move(h));
  }
  std::vector<std::vector<std::string>> groups;
  for (const v1::ComplaintGroupStatistics& g : s.categories()) {
    std::vector<std::string> row = {g.category().empty() ? "(none)" : g.category()};
    for (std::string& cell : GroupCells(g, currencies)) row.push_back(std::move(cell));
    groups.push_back(std::move(row));
  }
  std::vector<std::string> total = {"TOTAL"};
  for (std::string& cell : GroupCells(s.totals(), currencies)) total.push_back(std::move(cell));
  groups.push_back(std::move(total));
  absl::StrAppend(&out, "\nDISP 1.10 by category:\n", FormatTable(header, groups));
  return out;
}

}  // namespace redress::cli
