#include "clients/cli/report.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli/clocks.h"
#include "clients/cli/enums.h"
#include "clients/cli/output.h"
#include "google/protobuf/util/time_util.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using google::protobuf::util::TimeUtil;

constexpr int64_t kWeekSeconds = 7 * 86400;
// Gaps between weeks are filled with empty weeks up to this many weeks.
constexpr size_t kMaxFilledWeeks = 520;

// Chart geometry (pixels of the viewBox).
constexpr double kWidth = 960, kHeight = 300;
constexpr double kLeft = 56, kRight = 24, kTop = 24, kBottom = 56;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;

// Okabe-Ito colours (distinguishable with colour-vision deficiencies).
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                    "#D55E00", "#F0E442", "#444444", "#999999"};
constexpr const char* kChannelOrder[] = {"WEB",       "EMAIL",  "PHONE", "CHAT", "SOCIAL_MEDIA",
                                         "IN_PERSON", "LETTER", "API"};
constexpr char kGood[] = "#009E73";
constexpr char kBad[] = "#D55E00";
constexpr char kMarker[] = "#C0392B";

std::string Num(double v) {
  std::string s = absl::StrFormat("%.1f", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string Date(const google::protobuf::Timestamp& ts) {
  return TimeUtil::ToString(ts).substr(0, 10);
}

// A "nice" axis maximum and step for values up to `max` (at least 1).
std::pair<double, double> NiceAxis(double max) {
  if (max <= 0) return {1, 1};
  const double raw = max / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  step = std::max(step, 1.0);
  return {std::ceil(max / step) * step, step};
}

struct WeekSlot {
  google::protobuf::Timestamp start;
  const v1::WeeklyStatistics* week = nullptr;  // null: no complaint received that week
};

std::vector<WeekSlot> WeekSlots(const v1::ComplaintStatistics& s) {
  std::vector<WeekSlot> slots;
  if (s.weeks().empty()) return slots;
  const int64_t first = s.weeks(0).week_start_time().seconds();
  const int64_t last = s.weeks(s.weeks_size() - 1).week_start_time().seconds();
  const bool fill = last >= first && (last - first) / kWeekSeconds < kMaxFilledWeeks;
  if (!fill) {
    for (const v1::WeeklyStatistics& w : s.weeks()) slots.push_back({w.week_start_time(), &w});
    return slots;
  }
  std::map<int64_t, const v1::WeeklyStatistics*> by_start;
  for (const v1::WeeklyStatistics& w : s.weeks()) by_start[w.week_start_time().seconds()] = &w;
  for (int64_t t = first; t <= last; t += kWeekSeconds) {
    WeekSlot slot;
    slot.start.set_seconds(t);
    auto it = by_start.find(t);
    if (it != by_start.end()) slot.week = it->second;
    slots.push_back(slot);
  }
  // Weeks not on the 7-day grid (not expected from the server) are kept.
  if (by_start.size() != s.weeks().size()) return slots;
  size_t placed = 0;
  for (const WeekSlot& slot : slots) placed += slot.week != nullptr;
  if (placed != by_start.size()) {
    slots.clear();
    for (const v1::WeeklyStatistics& w : s.weeks()) slots.push_back({w.week_start_time(), &w});
  }
  return slots;
}

std::string SvgOpen(const std::string& id, const std::string& label) {
  return absl::StrCat("<svg id=\"", id, "\" class=\"chart\" viewBox=\"0 0 ", Num(kWidth), " ",
                      Num(kHeight), "\" width=\"", Num(kWidth), "\" height=\"", Num(kHeight),
                      "\" role=\"img\" aria-label=\"", HtmlEscape(label), "\">\n");
}

std::string Text(double x, double y, const std::string& text, const std::string& anchor = "middle",
                 const std::string& cls = "") {
  return absl::StrCat("<text x=\"", Num(x), "\" y=\"", Num(y), "\" text-anchor=\"", anchor, "\"",
                      cls.empty() ? "" : absl::StrCat(" class=\"", cls, "\""), ">",
                      HtmlEscape(text), "</text>\n");
}

std::string Line(double x1, double y1, double x2, double y2, const std::string& cls) {
  return absl::StrCat("<line x1=\"", Num(x1), "\" y1=\"", Num(y1), "\" x2=\"", Num(x2),
                      "\" y2=\"", Num(y2), "\" class=\"", cls, "\"/>\n");
}

// Horizontal grid lines and labels for a y axis from `lo` to `hi`.
std::string YAxis(double lo, double hi, double step, const std::string& suffix) {
  std::string out;
  for (double v = lo; v <= hi + step / 1000; v += step) {
    const double y = kTop + kPlotH - (v - lo) / (hi - lo) * kPlotH;
    absl::StrAppend(&out, Line(kLeft, y, kLeft + kPlotW, y, v == 0 ? "axis" : "grid"),
                    Text(kLeft - 6, y + 4, absl::StrCat(Num(v), suffix), "end", "tick"));
  }
  return out;
}

// Week labels under the slots, thinned to at most ~10.
std::string WeekLabels(const std::vector<WeekSlot>& slots, double slot_w) {
  std::string out;
  const size_t every = std::max<size_t>(1, (slots.size() + 9) / 10);
  for (size_t i = 0; i < slots.size(); i += every) {
    absl::StrAppend(&out, Text(kLeft + (i + 0.5) * slot_w, kTop + kPlotH + 18,
                               Date(slots[i].start), "middle", "tick"));
  }
  absl::StrAppend(&out, Text(kLeft + kPlotW / 2, kHeight - 10, "week of receipt (Monday, UTC)",
                             "middle", "axis-title"));
  return out;
}

std::string NoData(const std::string& why) {
  return Text(kLeft + kPlotW / 2, kTop + kPlotH / 2, why, "middle", "nodata");
}

std::string VolumeChart(const v1::ComplaintStatistics& s, const std::vector<WeekSlot>& slots) {
  std::string out = SvgOpen("chart-volume", "Complaints received per week, by channel");
  // Channels in a fixed order (stable colours), unknown ones after.
  std::vector<std::string> channels;
  std::set<std::string> seen;
  for (const v1::WeeklyStatistics& w : s.weeks()) {
    for (const v1::StatisticsCount& c : w.received_by_channel()) seen.insert(c.key());
  }
  for (const char* c : kChannelOrder) {
    if (seen.erase(c) > 0) channels.push_back(c);
  }
  for (const std::string& c : seen) channels.push_back(c);
  std::map<std::string, std::string> colour;
  for (size_t i = 0; i < channels.size(); ++i) {
    colour[channels[i]] = kPalette[std::min(i, std::size(kPalette) - 1)];
  }
  int64_t max_total = 0;
  for (const WeekSlot& slot : slots) {
    if (slot.week == nullptr) continue;
    int64_t total = 0;
    for (const v1::StatisticsCount& c : slot.week->received_by_channel()) total += c.count();
    max_total = std::max(max_total, total);
  }
  if (slots.empty() || max_total == 0) {
    absl::StrAppend(&out, YAxis(0, 1, 1, ""), NoData("No complaints received in the period."),
                    "</svg>\n");
    return out;
  }
  const auto [top, step] = NiceAxis(static_cast<double>(max_total));
  absl::StrAppend(&out, YAxis(0, top, step, ""));
  const double slot_w = kPlotW / slots.size();
  const double bar_w = std::clamp(slot_w * 0.7, 1.0, 64.0);
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].week == nullptr) continue;
    const double x = kLeft + i * slot_w + (slot_w - bar_w) / 2;
    double y = kTop + kPlotH;
    int64_t total = 0;
    std::map<std::string, int64_t> counts;
    for (const v1::StatisticsCount& c : slots[i].week->received_by_channel()) {
      counts[c.key()] += c.count();
    }
    for (const std::string& ch : channels) {
      auto it = counts.find(ch);
      if (it == counts.end() || it->second <= 0) continue;
      const double h = it->second / top * kPlotH;
      y -= h;
      total += it->second;
      const std::string date = Date(slots[i].start);
      absl::StrAppend(&out, "<rect x=\"", Num(x), "\" y=\"", Num(y), "\" width=\"", Num(bar_w),
                      "\" height=\"", Num(h), "\" fill=\"", colour[ch], "\" data-week=\"", date,
                      "\" data-channel=\"", HtmlEscape(ch), "\" data-count=\"", it->second,
                      "\"><title>", HtmlEscape(absl::StrCat("week of ", date, ": ", ch, " ",
                                                            it->second)),
                      "</title></rect>\n");
    }
    if (slots.size() <= 30) {
      absl::StrAppend(&out, Text(x + bar_w / 2, y - 4, absl::StrCat(total), "middle", "value"));
    }
  }
  absl::StrAppend(&out, WeekLabels(slots, slot_w));
  // Legend, top right.
  double lx = kLeft + kPlotW;
  for (auto it = channels.rbegin(); it != channels.rend(); ++it) {
    const double w = 26 + 7.5 * it->size();
    lx -= w;
    absl::StrAppend(&out, "<rect x=\"", Num(lx), "\" y=\"4\" width=\"10\" height=\"10\" fill=\"",
                    colour[*it], "\"/>\n", Text(lx + 13, 13, *it, "start", "legend"));
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

std::string BucketLabel(int32_t prev, int32_t max_days) {
  if (max_days == 0) return absl::StrCat(">", prev, " d");
  if (prev == 0) return absl::StrCat("\u2264", max_days, " d");
  return absl::StrCat(prev, "\u2013", max_days, " d");
}

std::string HistogramChart(const v1::ComplaintStatistics& s) {
  std::string out =
      SvgOpen("chart-resolution", "Time from receipt to closure, closed complaints");
  const auto& buckets = s.resolution_histogram();
  int64_t max_count = 0;
  for (const v1::ResolutionBucket& b : buckets) max_count = std::max(max_count, b.count());
  if (buckets.empty() || max_count == 0) {
    absl::StrAppend(&out, YAxis(0, 1, 1, ""), NoData("No complaint has been closed yet."),
                    "</svg>\n");
    return out;
  }
  const auto [top, step] = NiceAxis(static_cast<double>(max_count));
  absl::StrAppend(&out, YAxis(0, top, step, ""));
  const double slot_w = kPlotW / buckets.size();
  const double bar_w = slot_w * 0.8;
  int32_t prev = 0;
  for (int i = 0; i < buckets.size(); ++i) {
    const v1::ResolutionBucket& b = buckets[i];
    const double x = kLeft + i * slot_w + (slot_w - bar_w) / 2;
    const double h = b.count() / top * kPlotH;
    const std::string label = BucketLabel(prev, b.max_days());
    absl::StrAppend(&out, "<rect x=\"", Num(x), "\" y=\"", Num(kTop + kPlotH - h),
                    "\" width=\"", Num(bar_w), "\" height=\"", Num(h), "\" fill=\"", kPalette[0],
                    "\" data-bucket=\"", b.max_days(), "\" data-count=\"", b.count(),
                    "\"><title>", HtmlEscape(absl::StrCat(label, ": ", b.count())),
                    "</title></rect>\n",
                    Text(x + bar_w / 2, kTop + kPlotH - h - 4, absl::StrCat(b.count()), "middle",
                         "value"),
                    Text(kLeft + (i + 0.5) * slot_w, kTop + kPlotH + 18, label, "middle", "tick"));
    if (b.max_days() > 0) prev = b.max_days();
  }
  absl::StrAppend(&out, Text(kLeft + kPlotW / 2, kHeight - 10, "days from receipt to closure",
                             "middle", "axis-title"));
  if (s.has_final_response_allowance_p50()) {
    const double days = (s.final_response_allowance_p50().seconds() +
                         s.final_response_allowance_p50().nanos() / 1e9) /
                        86400.0;
    // Where `days` falls: linear within its bucket; the open last bucket
    // spans one more width of the previous bound.
    double x = kLeft + kPlotW;
    int32_t lo = 0;
    for (int i = 0; i < buckets.size(); ++i) {
      const int32_t hi = buckets[i].max_days() > 0 ? buckets[i].max_days() : 2 * std::max(lo, 1);
      if (days <= hi || i + 1 == buckets.size()) {
        const double frac = std::clamp((days - lo) / std::max(1, hi - lo), 0.0, 1.0);
        x = kLeft + (i + frac) * slot_w;
        break;
      }
      lo = hi;
    }
    const std::string label = absl::StrCat("final-response deadline (median allowance ",
                                           FormatDurationShort(s.final_response_allowance_p50()),
                                           ")");
    absl::StrAppend(&out, "<g id=\"deadline-marker\" data-days=\"", Num(days), "\">\n",
                    Line(x, kTop - 8, x, kTop + kPlotH, "marker"),
                    Text(x > kLeft + kPlotW * 0.6 ? x - 6 : x + 6, kTop - 10 + 14, label,
                         x > kLeft + kPlotW * 0.6 ? "end" : "start", "marker-label"),
                    "</g>\n");
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

// Points of a weekly line; weeks without a value break the line.
std::string WeeklyLine(const std::vector<std::pair<size_t, double>>& points, double slot_w,
                       double lo, double hi, const std::string& colour,
                       const std::vector<std::string>& titles) {
  auto y_of = [&](double v) { return kTop + kPlotH - (v - lo) / (hi - lo) * kPlotH; };
  std::string out;
  std::vector<std::string> run;
  auto flush = [&]() {
    if (run.size() >= 2) {
      absl::StrAppend(&out, "<polyline points=\"", absl::StrJoin(run, " "), "\" fill=\"none\" "
                      "stroke=\"", colour, "\" stroke-width=\"2.5\"/>\n");
    }
    run.clear();
  };
  for (size_t k = 0; k < points.size(); ++k) {
    if (k > 0 && points[k].first != points[k - 1].first + 1) flush();
    const double x = kLeft + (points[k].first + 0.5) * slot_w;
    run.push_back(absl::StrCat(Num(x), ",", Num(y_of(points[k].second))));
  }
  flush();
  for (size_t k = 0; k < points.size(); ++k) {
    const double x = kLeft + (points[k].first + 0.5) * slot_w;
    absl::StrAppend(&out, "<circle cx=\"", Num(x), "\" cy=\"", Num(y_of(points[k].second)),
                    "\" r=\"4\" fill=\"", colour, "\"><title>", HtmlEscape(titles[k]),
                    "</title></circle>\n");
  }
  return out;
}

std::string ComplianceChart(const v1::ComplaintStatistics& s,
                            const std::vector<WeekSlot>& slots) {
  std::string out = SvgOpen("chart-compliance",
                            "Firm-side deadlines met, by week of receipt (met / (met + breached))");
  absl::StrAppend(&out, YAxis(0, 100, 25, "%"));
  std::vector<std::pair<size_t, double>> points;
  std::vector<std::string> titles;
  for (size_t i = 0; i < slots.size(); ++i) {
    const v1::WeeklyStatistics* w = slots[i].week;
    if (w == nullptr) continue;
    const int64_t n = w->deadlines_met_count() + w->deadlines_breached_count();
    if (n == 0) continue;
    const double pct = 100.0 * w->deadlines_met_count() / n;
    points.emplace_back(i, pct);
    titles.push_back(absl::StrCat("week of ", Date(slots[i].start), ": ",
                                  w->deadlines_met_count(), " of ", n, " met (", Num(pct), "%)"));
  }
  if (points.empty()) {
    absl::StrAppend(&out, NoData("No deadline has been met or breached yet."), "</svg>\n");
    return out;
  }
  const double slot_w = kPlotW / slots.size();
  const double overall = 100.0 * s.deadline_compliance_ratio();
  const double oy = kTop + kPlotH - overall / 100 * kPlotH;
  absl::StrAppend(&out, Line(kLeft, oy, kLeft + kPlotW, oy, "reference"),
                  Text(kLeft + kPlotW - 4, oy - 6, absl::StrCat("overall ", Num(overall), "%"),
                       "end", "reference-label"),
                  WeeklyLine(points, slot_w, 0, 100, kGood, titles), WeekLabels(slots, slot_w),
                  "</svg>\n");
  return out;
}

std::string NpsChart(const v1::ComplaintStatistics& s, const std::vector<WeekSlot>& slots) {
  std::string out =
      SvgOpen("chart-nps", "Net Promoter Score by week of receipt (-100 to 100)");
  absl::StrAppend(&out, YAxis(-100, 100, 50, ""));
  bool any = false;
  const double slot_w = slots.empty() ? kPlotW : kPlotW / slots.size();
  const double bar_w = std::clamp(slot_w * 0.6, 1.0, 48.0);
  const double zero = kTop + kPlotH / 2;
  for (size_t i = 0; i < slots.size(); ++i) {
    const v1::WeeklyStatistics* w = slots[i].week;
    if (w == nullptr || w->nps_responses() == 0) continue;
    any = true;
    const double h = std::abs(w->nps()) / 100 * (kPlotH / 2);
    const double x = kLeft + i * slot_w + (slot_w - bar_w) / 2;
    const double y = w->nps() >= 0 ? zero - h : zero;
    const std::string date = Date(slots[i].start);
    absl::StrAppend(&out, "<rect x=\"", Num(x), "\" y=\"", Num(y), "\" width=\"", Num(bar_w),
                    "\" height=\"", Num(std::max(h, 1.0)), "\" fill=\"",
                    w->nps() >= 0 ? kGood : kBad, "\" data-week=\"", date, "\" data-nps=\"",
                    Num(w->nps()), "\" data-responses=\"", w->nps_responses(), "\"><title>",
                    HtmlEscape(absl::StrCat("week of ", date, ": NPS ", Num(w->nps()), " (n=",
                                            w->nps_responses(), ")")),
                    "</title></rect>\n");
    if (slots.size() <= 30) {
      // Above a positive bar; inside the top of a long negative one (below it
      // the week labels would collide).
      const bool inside = w->nps() < 0 && h > 20;
      absl::StrAppend(&out, Text(x + bar_w / 2, w->nps() >= 0 ? y - 4 : inside ? y + 14 : y + h + 14,
                                 Num(w->nps()), "middle", inside ? "value-inverse" : "value"));
    }
  }
  if (!any) {
    absl::StrAppend(&out, NoData("No satisfaction answer with an NPS score yet."), "</svg>\n");
    return out;
  }
  const double oy = zero - s.nps() / 100 * (kPlotH / 2);
  absl::StrAppend(&out, Line(kLeft, oy, kLeft + kPlotW, oy, "reference"),
                  Text(kLeft + kPlotW - 4, oy - 6,
                       absl::StrCat("overall NPS ", Num(s.nps()), " (n=", s.nps_responses(), ")"),
                       "end", "reference-label"),
                  WeekLabels(slots, slot_w), "</svg>\n");
  return out;
}

std::string Tile(const std::string& id, const std::string& label, const std::string& value) {
  return absl::StrCat("<div class=\"tile\" id=\"tile-", id, "\"><div class=\"tile-value\">",
                      HtmlEscape(value), "</div><div class=\"tile-label\">", HtmlEscape(label),
                      "</div></div>\n");
}

std::string CountTable(const std::string& id, const std::string& what,
                       const google::protobuf::RepeatedPtrField<v1::StatisticsCount>& counts) {
  std::string out = absl::StrCat("<table id=\"", id, "\"><thead><tr><th>", HtmlEscape(what),
                                 "</th><th class=\"num\">Complaints</th></tr></thead><tbody>\n");
  for (const v1::StatisticsCount& c : counts) {
    absl::StrAppend(&out, "<tr data-key=\"", HtmlEscape(c.key()), "\"><td>",
                    HtmlEscape(c.key().empty() ? "(none)" : c.key()), "</td><td class=\"num\">",
                    c.count(), "</td></tr>\n");
  }
  if (counts.empty()) absl::StrAppend(&out, "<tr><td colspan=\"2\">none</td></tr>\n");
  absl::StrAppend(&out, "</tbody></table>\n");
  return out;
}

std::string DurationRow(const std::string& what, const v1::DurationSummary& d) {
  auto cell = [&d](const google::protobuf::Duration& v) {
    return d.count() == 0 ? std::string("-") : FormatDurationShort(v);
  };
  return absl::StrCat("<tr><td>", HtmlEscape(what), "</td><td class=\"num\">", d.count(),
                      "</td><td class=\"num\">", cell(d.p50()), "</td><td class=\"num\">",
                      cell(d.p90()), "</td><td class=\"num\">", cell(d.mean()), "</td></tr>\n");
}

// Human column titles for GroupHeader's figure columns.
std::vector<std::string> GroupTitles(const std::vector<std::string>& currencies) {
  std::vector<std::string> t = {"Received",
                                "Open",
                                "Closed",
                                "Withdrawn",
                                "Closed \u2264 3 business days",
                                "Closed \u2264 4 weeks",
                                "Closed 4\u20138 weeks",
                                "Closed > 8 weeks",
                                "Responded",
                                "Upheld",
                                "Upheld %"};
  for (const std::string& c : currencies) t.push_back(absl::StrCat("Redress ", c));
  return t;
}

std::string GroupTable(const v1::ComplaintStatistics& s) {
  const std::vector<std::string> currencies = Currencies(s);
  std::string out = "<table id=\"disp\"><thead><tr><th>Category</th>";
  for (const std::string& t : GroupTitles(currencies)) {
    absl::StrAppend(&out, "<th class=\"num\">", HtmlEscape(t), "</th>");
  }
  absl::StrAppend(&out, "</tr></thead><tbody>\n");
  auto row = [&](const v1::ComplaintGroupStatistics& g, bool total) {
    std::string r = total ? "<tr class=\"total\" data-total=\"1\"><th>Total</th>"
                          : absl::StrCat("<tr data-category=\"", HtmlEscape(g.category()),
                                         "\"><td>",
                                         HtmlEscape(g.category().empty() ? "(none)" : g.category()),
                                         "</td>");
    for (const std::string& cell : GroupCells(g, currencies)) {
      absl::StrAppend(&r, "<td class=\"num\">", HtmlEscape(cell), "</td>");
    }
    absl::StrAppend(&r, "</tr>\n");
    return r;
  };
  for (const v1::ComplaintGroupStatistics& g : s.categories()) absl::StrAppend(&out, row(g, false));
  absl::StrAppend(&out, row(s.totals(), true), "</tbody></table>\n");
  return out;
}

std::string ComplianceTable(const v1::ComplaintStatistics& s) {
  std::string out =
      "<table id=\"compliance\"><thead><tr><th>Deadline</th><th class=\"num\">Met</th>"
      "<th class=\"num\">Breached</th><th class=\"num\">Met %</th></tr></thead><tbody>\n";
  for (const v1::DeadlineCompliance& d : s.deadline_compliance()) {
    absl::StrAppend(&out, "<tr data-kind=\"", EnumLabel(d.kind()), "\"><td>", EnumLabel(d.kind()),
                    "</td><td class=\"num\">", d.met_count(), "</td><td class=\"num\">",
                    d.breached_count(), "</td><td class=\"num\">", Percent(d.compliance_ratio()),
                    "</td></tr>\n");
  }
  absl::StrAppend(&out, "<tr class=\"total\"><th>All firm-side</th><td></td><td></td>"
                        "<td class=\"num\">",
                  Percent(s.deadline_compliance_ratio()), "</td></tr>\n</tbody></table>\n");
  return out;
}

constexpr char kStyle[] = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1d2330; background: #ffffff; margin: 24px 32px; max-width: 1000px; }
h1 { font-size: 26px; margin: 0 0 4px 0; }
h2 { font-size: 18px; margin: 28px 0 8px 0; border-bottom: 1px solid #d7dbe3; padding-bottom: 4px; }
p.sub { color: #5a6272; margin: 0 0 16px 0; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; }
.tile { background: #f1f4f9; border-radius: 6px; padding: 10px 14px; min-width: 100px; }
.tile-value { font-size: 22px; font-weight: 600; }
.tile-label { font-size: 12px; color: #5a6272; }
svg.chart { display: block; max-width: 100%; height: auto; background: #fbfcfe; }
svg .grid { stroke: #e3e7ee; stroke-width: 1; }
svg .axis { stroke: #8a93a3; stroke-width: 1; }
svg .tick { font-size: 11px; fill: #5a6272; }
svg .axis-title { font-size: 12px; fill: #5a6272; }
svg .value { font-size: 11px; fill: #1d2330; }
svg .value-inverse { font-size: 11px; fill: #ffffff; }
svg .legend { font-size: 12px; fill: #1d2330; }
svg .nodata { font-size: 14px; fill: #8a93a3; }
svg .marker { stroke: #C0392B; stroke-width: 2; stroke-dasharray: 6 4; }
svg .marker-label { font-size: 12px; fill: #C0392B; }
svg .reference { stroke: #5a6272; stroke-width: 1; stroke-dasharray: 4 4; }
svg .reference-label { font-size: 11px; fill: #5a6272; }
table { border-collapse: collapse; margin: 6px 0 12px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e7ee; padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f1f4f9; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td, tr.total th { font-weight: 600; border-top: 2px solid #8a93a3; }
.counts { display: flex; flex-wrap: wrap; gap: 24px; }
.note { color: #5a6272; font-size: 12px; }
)css";

}  // namespace

std::string HtmlEscape(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string StatisticsSelection(const v1::GetComplaintStatisticsRequest& r) {
  std::vector<std::string> parts;
  if (r.has_start_time() && r.has_end_time()) {
    parts.push_back(absl::StrCat("received from ", FormatTimestamp(r.start_time()), " to ",
                                 FormatTimestamp(r.end_time())));
  } else if (r.has_start_time()) {
    parts.push_back(absl::StrCat("received from ", FormatTimestamp(r.start_time())));
  } else if (r.has_end_time()) {
    parts.push_back(absl::StrCat("received before ", FormatTimestamp(r.end_time())));
  }
  if (!r.category().empty()) parts.push_back(absl::StrCat("category ", r.category()));
  if (r.channel() != v1::CHANNEL_UNSPECIFIED) {
    parts.push_back(absl::StrCat("channel ", EnumLabel(r.channel())));
  }
  if (!r.policy_id().empty()) parts.push_back(absl::StrCat("policy ", r.policy_id()));
  return parts.empty() ? "All complaints" : absl::StrJoin(parts, "; ");
}

std::string Percent(double ratio) { return absl::StrFormat("%.1f%%", ratio * 100); }

std::string FormatMinorUnits(absl::string_view currency, int64_t minor) {
  static const std::set<std::string> kZero = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                              "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                                              "VND", "VUV", "XAF", "XOF", "XPF"};
  static const std::set<std::string> kThree = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  const std::string code(currency);
  const int exponent = kZero.contains(code) ? 0 : kThree.contains(code) ? 3 : 2;
  const bool negative = minor < 0;
  // Magnitude without overflow for INT64_MIN.
  const uint64_t mag = negative ? static_cast<uint64_t>(-(minor + 1)) + 1 : minor;
  if (exponent == 0) return absl::StrCat(negative ? "-" : "", mag);
  const uint64_t scale = exponent == 3 ? 1000 : 100;
  return absl::StrCat(negative ? "-" : "", mag / scale, ".",
                      absl::StrFormat("%0*d", exponent, static_cast<int>(mag % scale)));
}

std::vector<std::string> Currencies(const v1::ComplaintStatistics& stats) {
  std::set<std::string> codes;
  for (const v1::Money& m : stats.totals().redress_paid()) codes.insert(m.currency_code());
  for (const v1::ComplaintGroupStatistics& g : stats.categories()) {
    for (const v1::Money& m : g.redress_paid()) codes.insert(m.currency_code());
  }
  return {codes.begin(), codes.end()};
}

std::vector<std::string> GroupHeader(const std::vector<std::string>& currencies) {
  std::vector<std::string> h = {"received",
                                "open",
                                "closed",
                                "withdrawn",
                                "closed_within_3_business_days",
                                "closed_within_4_weeks",
                                "closed_4_to_8_weeks",
                                "closed_after_8_weeks",
                                "responded",
                                "upheld",
                                "upheld_pct"};
  for (const std::string& c : currencies) h.push_back(absl::StrCat("redress_paid_", c));
  return h;
}

std::vector<std::string> GroupCells(const v1::ComplaintGroupStatistics& g,
                                    const std::vector<std::string>& currencies) {
  const double upheld =
      g.responded_count() == 0 ? 0.0 : 100.0 * g.upheld_count() / g.responded_count();
  std::vector<std::string> cells = {
      absl::StrCat(g.received_count()),
      absl::StrCat(g.open_count()),
      absl::StrCat(g.closed_count()),
      absl::StrCat(g.withdrawn_count()),
      absl::StrCat(g.closed_within_3_business_days_count()),
      absl::StrCat(g.closed_within_4_weeks_count()),
      absl::StrCat(g.closed_4_to_8_weeks_count()),
      absl::StrCat(g.closed_after_8_weeks_count()),
      absl::StrCat(g.responded_count()),
      absl::StrCat(g.upheld_count()),
      absl::StrFormat("%.1f", upheld),
  };
  for (const std::string& c : currencies) {
    int64_t minor = 0;
    for (const v1::Money& m : g.redress_paid()) {
      if (m.currency_code() == c) minor += m.amount_minor();
    }
    cells.push_back(FormatMinorUnits(c, minor));
  }
  return cells;
}

std::string RenderReportCsv(const v1::ComplaintStatistics& stats) {
  const std::vector<std::string> currencies = Currencies(stats);
  auto field = [](const std::string& s) {
    std::string v = s;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
      v = "'" + v;
    }
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) {
      if (c == '"') q += '"';
      q += c;
    }
    return q + "\"";
  };
  auto line = [&](const std::vector<std::string>& cells, bool quote) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "" : ",", quote ? field(cells[i]) : cells[i]);
    }
    return out + "\r\n";
  };
  std::vector<std::string> header = {"row_type", "category"};
  for (std::string& h : GroupHeader(currencies)) header.push_back(std::move(h));
  std::string out = line(header, true);
  for (const v1::ComplaintGroupStatistics& g : stats.categories()) {
    std::vector<std::string> cells = {"category", field(g.category())};
    for (std::string& c : GroupCells(g, currencies)) cells.push_back(std::move(c));
    absl::StrAppend(&out, line(cells, false));
  }
  std::vector<std::string> total = {"total", ""};
  for (std::string& c : GroupCells(stats.totals(), currencies)) total.push_back(std::move(c));
  absl::StrAppend(&out, line(total, false));
  return out;
}

std::string RenderReportHtml(const v1::ComplaintStatistics& s, const ReportOptions& options) {
  const std::vector<WeekSlot> slots = WeekSlots(s);
  const v1::ComplaintGroupStatistics& t = s.totals();
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
      HtmlEscape(options.title), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<h1>",
      HtmlEscape(options.title), "</h1>\n<p class=\"sub\">",
      HtmlEscape(options.selection.empty() ? "All complaints" : options.selection),
      " \u00b7 computed ", HtmlEscape(FormatTimestamp(s.compute_time())),
      " \u00b7 deadline states as of that time</p>\n");

  absl::StrAppend(
      &out, "<div class=\"tiles\">\n", Tile("complaints", "complaints", absl::StrCat(s.complaint_count())),
      Tile("open", "open", absl::StrCat(t.open_count())),
      Tile("closed", "closed", absl::StrCat(t.closed_count())),
      Tile("closed-8-weeks", "closed within 8 weeks", Percent(s.closed_within_8_weeks_ratio())),
      Tile("deadlines-met", "firm-side deadlines met", Percent(s.deadline_compliance_ratio())),
      Tile("upheld", "upheld", Percent(s.upheld_ratio())),
      Tile("csat", "CSAT (1\u20135)",
           s.csat_responses() == 0 ? "-" : absl::StrFormat("%.2f", s.csat_mean())),
      Tile("nps", "NPS", s.nps_responses() == 0 ? "-" : absl::StrFormat("%+.1f", s.nps())),
      "</div>\n");

  absl::StrAppend(&out, "<h2>Complaints received per week, by channel</h2>\n",
                  VolumeChart(s, slots));
  absl::StrAppend(&out, "<h2>Time to resolution</h2>\n", HistogramChart(s),
                  "<p class=\"note\">Closed complaints by days from receipt to first closure; "
                  "the dashed line is the median final-response allowance "
                  "(due minus start) of those complaints.</p>\n");
  absl::StrAppend(&out, "<h2>Deadline compliance by week of receipt</h2>\n",
                  ComplianceChart(s, slots),
                  "<p class=\"note\">Firm-side deadlines (acknowledgement, holding and final "
                  "response) of the complaints received each week: met / (met + breached).</p>\n");
  absl::StrAppend(&out, "<h2>Net Promoter Score</h2>\n", NpsChart(s, slots),
                  "<p class=\"note\">By week of receipt; promoters score 9\u201310, "
                  "detractors 0\u20136. Overall: ",
                  s.nps_responses() == 0
                      ? std::string("no answers")
                      : absl::StrCat(Num(s.nps()), " from ", s.nps_responses(), " answers (",
                                     s.nps_promoters(), " promoters, ", s.nps_detractors(),
                                     " detractors)"),
                  ".</p>\n");

  absl::StrAppend(&out, "<h2>Headline figures</h2>\n<table id=\"headline\"><thead><tr>"
                        "<th>Section</th><th>Figure</th><th>Value</th></tr></thead><tbody>\n");
  for (const HeadlineRow& r : HeadlineRows(s)) {
    absl::StrAppend(&out, "<tr><td>", HtmlEscape(r.section), "</td><td>", HtmlEscape(r.label),
                    "</td><td>", HtmlEscape(r.value), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");

  absl::StrAppend(&out, "<h2>Handling times</h2>\n<table id=\"durations\"><thead><tr>"
                        "<th>From receipt to</th><th class=\"num\">Complaints</th>"
                        "<th class=\"num\">p50</th><th class=\"num\">p90</th>"
                        "<th class=\"num\">Mean</th></tr></thead><tbody>\n",
                  DurationRow("first response", s.first_response_time()),
                  DurationRow("response", s.response_time()),
                  DurationRow("closure (handle time)", s.handle_time()),
                  "</tbody></table>\n");

  absl::StrAppend(&out, "<h2>Counts</h2>\n<div class=\"counts\">\n",
                  CountTable("by-state", "State", s.by_state()),
                  CountTable("by-channel", "Channel", s.by_channel()),
                  CountTable("by-category", "Category", s.by_category()), "</div>\n");

  absl::StrAppend(&out, "<h2>Deadline compliance by kind</h2>\n", ComplianceTable(s));
  absl::StrAppend(&out, "<h2>FCA DISP 1.10 figures by category</h2>\n", GroupTable(s),
                  "<p class=\"note\">Closure times run from receipt to the first closure. "
                  "Upheld: the latest response upheld the complaint fully or partly. Redress: "
                  "offered in the latest responses, in major units.</p>\n");
  absl::StrAppend(&out, "</body>\n</html>\n");
  return out;
}

}  // namespace redress::cli
