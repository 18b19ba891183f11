// A hand-built ComplaintStatistics for the report tests (report_test.cc and
// the headless-browser render test via report_sample.cc). Figures are
// consistent with each other: 12 complaints in 3 categories over 4 weeks
// (the third week has none), 7 closed.
#ifndef REDRESS_TESTS_CLIENTS_CLI_REPORT_FIXTURE_H_
#define REDRESS_TESTS_CLIENTS_CLI_REPORT_FIXTURE_H_

#include <cstdint>
#include <string>

#include "redress/v1/complaint_service.pb.h"

namespace redress::cli::report_fixture {

// A category name that needs escaping in HTML and quoting in CSV.
inline constexpr char kNastyCategory[] = "cards <debit> & \"credit\", 'other'";

inline void AddCount(google::protobuf::RepeatedPtrField<redress::v1::StatisticsCount>* out,
                     const std::string& key, int64_t n) {
  auto* c = out->Add();
  c->set_key(key);
  c->set_count(n);
}

inline void SetSummary(redress::v1::DurationSummary* d, int64_t count, int64_t mean_s,
                       int64_t p50_s, int64_t p90_s) {
  d->set_count(count);
  d->mutable_mean()->set_seconds(mean_s);
  d->mutable_p50()->set_seconds(p50_s);
  d->mutable_p90()->set_seconds(p90_s);
}

inline redress::v1::ComplaintGroupStatistics Group(const std::string& category, int64_t received,
                                                   int64_t open, int64_t closed,
                                                   int64_t withdrawn, int64_t within3,
                                                   int64_t within4w, int64_t w4to8,
                                                   int64_t after8, int64_t responded,
                                                   int64_t upheld) {
  redress::v1::ComplaintGroupStatistics g;
  g.set_category(category);
  g.set_received_count(received);
  g.set_open_count(open);
  g.set_closed_count(closed);
  g.set_withdrawn_count(withdrawn);
  g.set_closed_within_3_business_days_count(within3);
  g.set_closed_within_4_weeks_count(within4w);
  g.set_closed_4_to_8_weeks_count(w4to8);
  g.set_closed_after_8_weeks_count(after8);
  g.set_responded_count(responded);
  g.set_upheld_count(upheld);
  return g;
}

inline void AddMoney(redress::v1::ComplaintGroupStatistics* g, const std::string& currency,
                     int64_t minor) {
  auto* m = g->add_redress_paid();
  m->set_currency_code(currency);
  m->set_amount_minor(minor);
}

inline redress::v1::ComplaintStatistics SampleStatistics() {
  namespace v1 = ::redress::v1;
  v1::ComplaintStatistics s;
  s.mutable_compute_time()->set_seconds(1795000000);  // 2026-11-18T...
  s.set_complaint_count(12);
  AddCount(s.mutable_by_state(), "CLOSED", 7);
  AddCount(s.mutable_by_state(), "INVESTIGATING", 3);
  AddCount(s.mutable_by_state(), "RECEIVED", 1);
  AddCount(s.mutable_by_state(), "WITHDRAWN", 1);
  AddCount(s.mutable_by_channel(), "EMAIL", 6);
  AddCount(s.mutable_by_channel(), "PHONE", 4);
  AddCount(s.mutable_by_channel(), "WEB", 2);
  AddCount(s.mutable_by_category(), "billing", 5);
  AddCount(s.mutable_by_category(), kNastyCategory, 4);
  AddCount(s.mutable_by_category(), "service", 3);
  SetSummary(s.mutable_first_response_time(), 11, 5400, 3600, 90000);
  SetSummary(s.mutable_response_time(), 8, 864000, 691200, 2419200);
  SetSummary(s.mutable_handle_time(), 7, 1036800, 777600, 3888000);

  // Categories sorted as the server sorts them (byte order).
  v1::ComplaintGroupStatistics billing = Group("billing", 5, 1, 4, 0, 1, 2, 1, 1, 4, 3);
  AddMoney(&billing, "GBP", 12550);
  v1::ComplaintGroupStatistics cards = Group(kNastyCategory, 4, 2, 1, 1, 0, 1, 0, 0, 2, 1);
  AddMoney(&cards, "GBP", 5000);
  AddMoney(&cards, "JPY", 3000);
  v1::ComplaintGroupStatistics service = Group("service", 3, 1, 2, 0, 1, 2, 0, 0, 2, 0);
  *s.add_categories() = billing;
  *s.add_categories() = cards;
  *s.add_categories() = service;
  v1::ComplaintGroupStatistics totals = Group("", 12, 4, 7, 1, 2, 5, 1, 1, 8, 4);
  AddMoney(&totals, "GBP", 17550);
  AddMoney(&totals, "JPY", 3000);
  *s.mutable_totals() = totals;

  s.set_closed_within_3_business_days_ratio(2.0 / 7);
  s.set_closed_within_8_weeks_ratio(6.0 / 7);
  s.set_upheld_ratio(4.0 / 8);
  s.set_escalation_ratio(2.0 / 12);
  s.set_dispute_ratio(1.0 / 12);
  s.set_reopen_ratio(0);
  auto* ack = s.add_deadline_compliance();
  ack->set_kind(v1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  ack->set_met_count(10);
  ack->set_breached_count(1);
  ack->set_compliance_ratio(10.0 / 11);
  auto* fin = s.add_deadline_compliance();
  fin->set_kind(v1::DEADLINE_KIND_FINAL_RESPONSE);
  fin->set_met_count(6);
  fin->set_breached_count(1);
  fin->set_compliance_ratio(6.0 / 7);
  s.set_deadline_compliance_ratio(16.0 / 18);
  s.set_csat_responses(5);
  s.set_csat_mean(3.8);
  s.set_nps_responses(6);
  s.set_nps_promoters(3);
  s.set_nps_detractors(1);
  s.set_nps(100.0 * (3 - 1) / 6);
  const int days[] = {1, 3, 7, 14, 28, 42, 56, 84, 0};
  const int64_t counts[] = {1, 1, 0, 2, 1, 0, 1, 1, 0};
  for (int i = 0; i < 9; ++i) {
    auto* b = s.add_resolution_histogram();
    b->set_max_days(days[i]);
    b->set_count(counts[i]);
  }
  s.mutable_final_response_allowance_p50()->set_seconds(56 * 86400);

  // Weeks of 2026-10-19, 10-26, (11-02 empty), 11-09. Monday 00:00 UTC.
  const int64_t week0 = 1792368000;  // 2026-10-19T00:00:00Z
  struct W {
    int offset;
    int64_t email, phone, web, closed, met, breached, nps_n;
    double nps;
  } weeks[] = {
      {0, 3, 2, 0, 4, 7, 1, 3, 33.3},
      {1, 2, 1, 1, 2, 6, 0, 2, 50.0},
      {3, 1, 1, 1, 1, 3, 1, 1, -100.0},
  };
  for (const W& w : weeks) {
    auto* ws = s.add_weeks();
    ws->mutable_week_start_time()->set_seconds(week0 + w.offset * 7 * 86400);
    if (w.email > 0) AddCount(ws->mutable_received_by_channel(), "EMAIL", w.email);
    if (w.phone > 0) AddCount(ws->mutable_received_by_channel(), "PHONE", w.phone);
    if (w.web > 0) AddCount(ws->mutable_received_by_channel(), "WEB", w.web);
    ws->set_closed_count(w.closed);
    ws->set_deadlines_met_count(w.met);
    ws->set_deadlines_breached_count(w.breached);
    ws->set_nps_responses(w.nps_n);
    ws->set_nps(w.nps);
  }
  return s;
}

}  // namespace redress::cli::report_fixture

#endif  // REDRESS_TESTS_CLIENTS_CLI_REPORT_FIXTURE_H_
