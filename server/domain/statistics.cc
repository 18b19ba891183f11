#include "server/domain/statistics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "server/domain/lifecycle.h"
#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using C = v1::Complaint;
using E = v1::ComplaintEvent;

constexpr int kBucketDays[] = {1, 3, 7, 14, 28, 42, 56, 84, 0};

std::string ChannelName(v1::Channel c) {
  std::string n = v1::Channel_Name(c);
  if (absl::StartsWith(n, "CHANNEL_")) n = n.substr(8);
  return n.empty() ? "UNKNOWN" : n;
}

void SetSummary(std::vector<absl::Duration> v, v1::DurationSummary* out) {
  out->set_count(static_cast<int64_t>(v.size()));
  if (v.empty()) return;
  std::sort(v.begin(), v.end());
  absl::Duration sum;
  for (auto d : v) sum += d;
  const auto rank = [&](double p) {
    size_t idx = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[idx == 0 ? 0 : idx - 1];
  };
  *out->mutable_mean() = ToDurationProto(sum / static_cast<int64_t>(v.size()));
  *out->mutable_p50() = ToDurationProto(rank(0.5));
  *out->mutable_p90() = ToDurationProto(rank(0.9));
}

void AddCounts(const std::map<std::string, int64_t>& m,
               google::protobuf::RepeatedPtrField<v1::StatisticsCount>* out) {
  for (const auto& [k, n] : m) {
    auto* c = out->Add();
    c->set_key(k);
    c->set_count(n);
  }
}

bool FirmSide(v1::DeadlineKind k) {
  return k == v1::DEADLINE_KIND_ACKNOWLEDGEMENT || k == v1::DEADLINE_KIND_HOLDING_RESPONSE ||
         k == v1::DEADLINE_KIND_FINAL_RESPONSE;
}

double Ratio(int64_t a, int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; }

struct Group {
  v1::ComplaintGroupStatistics stats;
  std::map<std::string, int64_t> redress;  // currency -> minor units
  void Finish() {
    for (const auto& [cur, amount] : redress) {
      auto* m = stats.add_redress_paid();
      m->set_currency_code(cur);
      m->set_amount_minor(amount);
    }
  }
};

struct Week {
  std::map<std::string, int64_t> by_channel;
  int64_t closed = 0, met = 0, breached = 0, nps_n = 0, promoters = 0, detractors = 0;
};

double Nps(int64_t promoters, int64_t detractors, int64_t n) {
  return n == 0 ? 0.0 : 100.0 * static_cast<double>(promoters - detractors) / n;
}

}  // namespace

v1::ComplaintStatistics ComputeStatistics(absl::Span<const ComplaintFacts> complaints,
                                          absl::Time now) {
  v1::ComplaintStatistics out;
  *out.mutable_compute_time() = ToTimestamp(now);
  out.set_complaint_count(static_cast<int64_t>(complaints.size()));

  std::map<std::string, int64_t> by_state, by_channel, by_category;
  std::vector<absl::Duration> first_contact, response, handle, allowance;
  Group totals;
  std::map<std::string, Group> categories;
  std::map<v1::DeadlineKind, std::pair<int64_t, int64_t>> compliance;  // met, breached
  std::map<absl::Time, Week> weeks;
  std::vector<int64_t> buckets(std::size(kBucketDays), 0);
  int64_t escalated = 0, disputed = 0, reopened = 0;
  int64_t csat_n = 0, csat_sum = 0, nps_n = 0, promoters = 0, detractors = 0;

  for (const ComplaintFacts& f : complaints) {
    const C& c = *f.complaint;
    const absl::Time receipt = FromTimestamp(c.create_time());
    by_state[StateName(c.state())]++;
    by_channel[ChannelName(c.channel())]++;
    by_category[c.category()]++;

    std::optional<absl::Time> contact, responded, closed;
    bool was_disputed = false, was_reopened = false;
    for (const E& e : f.events) {
      const absl::Time t = FromTimestamp(e.event_time());
      if (!contact && (e.type() == E::TYPE_ACKNOWLEDGED || e.type() == E::TYPE_HOLDING_RESPONSE_SENT ||
                       e.type() == E::TYPE_RESPONDED)) {
        contact = t;
      }
      if (!responded && e.type() == E::TYPE_RESPONDED) responded = t;
      if (!closed && e.to_state() == C::STATE_CLOSED) closed = t;
      if (e.type() == E::TYPE_DISPUTE_OPENED) was_disputed = true;
      if (e.type() == E::TYPE_REOPENED) was_reopened = true;
    }
    if (contact) first_contact.push_back(*contact - receipt);
    if (responded) response.push_back(*responded - receipt);
    if (closed) handle.push_back(*closed - receipt);
    if (c.escalation_level() > 0) ++escalated;
    if (was_disputed) ++disputed;
    if (was_reopened) ++reopened;

    // Absolute week of receipt: Monday 00:00 UTC.
    const absl::CivilDay day = absl::ToCivilDay(receipt, absl::UTCTimeZone());
    const int dow = (static_cast<int>(absl::GetWeekday(day)) + 7) % 7;  // Monday = 0
    const absl::Time week_start = absl::FromCivil(day - dow, absl::UTCTimeZone());
    Week& w = weeks[week_start];
    w.by_channel[ChannelName(c.channel())]++;

    for (Group* g : {&totals, &categories[c.category()]}) {
      auto& s = g->stats;
      s.set_received_count(s.received_count() + 1);
      if (IsOpen(c.state())) s.set_open_count(s.open_count() + 1);
      if (c.state() == C::STATE_WITHDRAWN) s.set_withdrawn_count(s.withdrawn_count() + 1);
      if (c.has_response()) {
        s.set_responded_count(s.responded_count() + 1);
        const auto d = c.response().decision();
        if (d == v1::Response::DECISION_UPHELD || d == v1::Response::DECISION_PARTIALLY_UPHELD) {
          s.set_upheld_count(s.upheld_count() + 1);
        }
        if (c.response().has_redress_amount() &&
            !c.response().redress_amount().currency_code().empty()) {
          g->redress[c.response().redress_amount().currency_code()] +=
              c.response().redress_amount().amount_minor();
        }
      }
      if (closed) {
        const absl::Duration took = *closed - receipt;
        s.set_closed_count(s.closed_count() + 1);
        absl::Time three_days = receipt + absl::Hours(72);
        if (f.calendar != nullptr) {
          auto due = AddBusinessDays(*f.calendar, receipt, 3, v1::DUE_TIME_CLOSE_OF_BUSINESS, {});
          if (due.ok()) three_days = due->due;
        }
        if (*closed <= three_days) {
          s.set_closed_within_3_business_days_count(s.closed_within_3_business_days_count() + 1);
        }
        if (took <= absl::Hours(24 * 28)) {
          s.set_closed_within_4_weeks_count(s.closed_within_4_weeks_count() + 1);
        } else if (took <= absl::Hours(24 * 56)) {
          s.set_closed_4_to_8_weeks_count(s.closed_4_to_8_weeks_count() + 1);
        } else {
          s.set_closed_after_8_weeks_count(s.closed_after_8_weeks_count() + 1);
        }
      }
    }
    if (closed) {
      ++w.closed;
      const absl::Duration took = *closed - receipt;
      for (size_t i = 0; i < std::size(kBucketDays); ++i) {
        if (kBucketDays[i] == 0 || took <= absl::Hours(24 * kBucketDays[i])) {
          ++buckets[i];
          break;
        }
      }
      for (const v1::Deadline& d : f.deadlines) {
        if (d.kind() == v1::DEADLINE_KIND_FINAL_RESPONSE && d.cycle() == 1) {
          allowance.push_back(FromTimestamp(d.due_time()) - FromTimestamp(d.start_time()));
        }
      }
    }
    for (const v1::Deadline& d : f.deadlines) {
      if (!FirmSide(d.kind())) continue;
      if (d.state() == v1::Deadline::STATE_MET) {
        ++compliance[d.kind()].first;
        ++w.met;
      } else if (d.state() == v1::Deadline::STATE_BREACHED) {
        ++compliance[d.kind()].second;
        ++w.breached;
      }
    }
    if (c.has_satisfaction()) {
      const auto& s = c.satisfaction();
      if (s.has_csat_score()) {
        ++csat_n;
        csat_sum += s.csat_score();
      }
      if (s.has_nps_score()) {
        ++nps_n;
        ++w.nps_n;
        if (s.nps_score() >= 9) ++promoters, ++w.promoters;
        if (s.nps_score() <= 6) ++detractors, ++w.detractors;
      }
    }
  }

  AddCounts(by_state, out.mutable_by_state());
  AddCounts(by_channel, out.mutable_by_channel());
  AddCounts(by_category, out.mutable_by_category());
  SetSummary(first_contact, out.mutable_first_response_time());
  SetSummary(response, out.mutable_response_time());
  SetSummary(handle, out.mutable_handle_time());
  totals.Finish();
  *out.mutable_totals() = totals.stats;
  for (auto& [name, g] : categories) {
    g.Finish();
    g.stats.set_category(name);
    *out.add_categories() = g.stats;
  }
  const auto& t = out.totals();
  out.set_closed_within_3_business_days_ratio(
      Ratio(t.closed_within_3_business_days_count(), t.closed_count()));
  out.set_closed_within_8_weeks_ratio(Ratio(
      t.closed_within_4_weeks_count() + t.closed_4_to_8_weeks_count(), t.closed_count()));
  out.set_upheld_ratio(Ratio(t.upheld_count(), t.responded_count()));
  const int64_t n = static_cast<int64_t>(complaints.size());
  out.set_escalation_ratio(Ratio(escalated, n));
  out.set_dispute_ratio(Ratio(disputed, n));
  out.set_reopen_ratio(Ratio(reopened, n));
  int64_t met = 0, breached = 0;
  for (const auto& [kind, mb] : compliance) {
    auto* dc = out.add_deadline_compliance();
    dc->set_kind(kind);
    dc->set_met_count(mb.first);
    dc->set_breached_count(mb.second);
    dc->set_compliance_ratio(Ratio(mb.first, mb.first + mb.second));
    met += mb.first;
    breached += mb.second;
  }
  out.set_deadline_compliance_ratio(Ratio(met, met + breached));
  out.set_csat_responses(csat_n);
  out.set_csat_mean(csat_n == 0 ? 0.0 : static_cast<double>(csat_sum) / csat_n);
  out.set_nps_responses(nps_n);
  out.set_nps_promoters(promoters);
  out.set_nps_detractors(detractors);
  out.set_nps(Nps(promoters, detractors, nps_n));
  for (size_t i = 0; i < std::size(kBucketDays); ++i) {
    auto* b = out.add_resolution_histogram();
    b->set_max_days(kBucketDays[i]);
    b->set_count(buckets[i]);
  }
  if (!allowance.empty()) {
    std::sort(allowance.begin(), allowance.end());
    *out.mutable_final_response_allowance_p50() =
        ToDurationProto(allowance[(allowance.size() + 1) / 2 - 1]);
  }
  for (const auto& [start, w] : weeks) {
    auto* ws = out.add_weeks();
    *ws->mutable_week_start_time() = ToTimestamp(start);
    AddCounts(w.by_channel, ws->mutable_received_by_channel());
    ws->set_closed_count(w.closed);
    ws->set_deadlines_met_count(w.met);
    ws->set_deadlines_breached_count(w.breached);
    ws->set_nps_responses(w.nps_n);
    ws->set_nps(Nps(w.promoters, w.detractors, w.nps_n));
  }
  return out;
}

}  // namespace redress::domain
