// The HTML and CSV report rendered from a hand-built ComplaintStatistics:
// numbers where they belong, escaping, no network references, well-formed
// markup (the page is written as well-formed XML, so every <svg> is too).
#include "clients/cli/report.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/cli/report_fixture.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using ::redress::cli::report_fixture::kNastyCategory;
using ::redress::cli::report_fixture::SampleStatistics;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Checks that `doc` is well-formed XML-ish markup: tags balance, attributes
// are quoted, '&' only starts a character reference, '<' only starts a tag.
// Skips <!DOCTYPE ...> and the CSS inside <style>. Returns the error or "".
std::string CheckWellFormed(const std::string& doc, int* svg_count = nullptr) {
  std::vector<std::string> stack;
  size_t i = 0;
  int svgs = 0;
  while (i < doc.size()) {
    const char c = doc[i];
    if (c == '&') {
      size_t semi = doc.find(';', i);
      if (semi == std::string::npos || semi - i > 8) return absl::StrCat("bare & at ", i);
      std::string ref = doc.substr(i + 1, semi - i - 1);
      if (ref != "amp" && ref != "lt" && ref != "gt" && ref != "quot" && ref != "#39") {
        return absl::StrCat("unknown reference &", ref, "; at ", i);
      }
      i = semi + 1;
      continue;
    }
    if (c == '>') return absl::StrCat("bare > at ", i);
    if (c != '<') {
      ++i;
      continue;
    }
    if (doc.compare(i, 2, "<!") == 0) {
      i = doc.find('>', i) + 1;
      continue;
    }
    const size_t end = doc.find('>', i);
    if (end == std::string::npos) return absl::StrCat("unterminated tag at ", i);
    std::string tag = doc.substr(i + 1, end - i - 1);
    if (tag.find('<') != std::string::npos) return absl::StrCat("'<' inside tag at ", i);
    if (!tag.empty() && tag[0] == '/') {
      std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) {
        return absl::StrCat("</", name, "> closes <", stack.empty() ? "" : stack.back(), "> at ",
                            i);
      }
      stack.pop_back();
      i = end + 1;
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.pop_back();
    const std::string name = tag.substr(0, tag.find_first_of(" \n"));
    if (name.empty()) return absl::StrCat("empty tag at ", i);
    // Attributes: name="value" pairs only.
    std::string attrs = tag.substr(name.size());
    size_t q = 0;
    while (q < attrs.size()) {
      if (attrs[q] == ' ' || attrs[q] == '\n') {
        ++q;
        continue;
      }
      size_t eq = attrs.find('=', q);
      if (eq == std::string::npos || eq + 1 >= attrs.size() || attrs[eq + 1] != '"') {
        return absl::StrCat("unquoted attribute in <", name, "> at ", i);
      }
      size_t close = attrs.find('"', eq + 2);
      if (close == std::string::npos) return absl::StrCat("unterminated attribute at ", i);
      q = close + 1;
    }
    if (name == "svg") ++svgs;
    i = end + 1;
    if (self_closing) continue;
    if (name == "style") {
      size_t close = doc.find("</style>", i);
      if (close == std::string::npos) return "unterminated <style>";
      i = close + 8;
      continue;
    }
    stack.push_back(name);
  }
  if (!stack.empty()) return absl::StrCat("unclosed <", stack.back(), ">");
  if (svg_count != nullptr) *svg_count = svgs;
  return "";
}

// The text of the first element whose start tag contains `marker`, up to
// its matching close tag `close`.
std::string Element(const std::string& html, const std::string& marker,
                    const std::string& close) {
  size_t start = html.find(marker);
  if (start == std::string::npos) return "";
  start = html.rfind('<', start);
  size_t end = html.find(close, start);
  return end == std::string::npos ? "" : html.substr(start, end + close.size() - start);
}

// The contents of the <td>/<th> cells of one table row.
std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  size_t i = 0;
  while (true) {
    size_t open = std::string::npos;
    for (const char* tag : {"<td>", "<td ", "<th>", "<th "}) open = std::min(open, row.find(tag, i));
    if (open == std::string::npos) break;
    size_t gt = row.find('>', open);
    size_t close = row.find("</t", gt);
    cells.push_back(row.substr(gt + 1, close - gt - 1));
    i = close + 1;
  }
  return cells;
}

TEST(ReportHtmlTest, IsWellFormedAndSelfContained) {
  const std::string html = RenderReportHtml(SampleStatistics(), ReportOptions());
  int svgs = 0;
  EXPECT_EQ(CheckWellFormed(html, &svgs), "");
  EXPECT_EQ(svgs, 4);
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>\n<html")) << html.substr(0, 40);
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("//")));  // no protocol-relative references either
}

TEST(ReportHtmlTest, EscapesCategoryNames) {
  const std::string html = RenderReportHtml(SampleStatistics(), ReportOptions());
  EXPECT_THAT(html, Not(HasSubstr(kNastyCategory)));
  EXPECT_THAT(html, Not(HasSubstr("<debit>")));
  const std::string escaped = "cards &lt;debit&gt; &amp; &quot;credit&quot;, &#39;other&#39;";
  EXPECT_THAT(html, HasSubstr(absl::StrCat("<td>", escaped, "</td>")));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("data-category=\"", escaped, "\"")));

  ReportOptions options;
  options.title = "Q4 <draft> & co";
  options.selection = "category \"x\"";
  const std::string titled = RenderReportHtml(SampleStatistics(), options);
  EXPECT_THAT(titled, HasSubstr("<title>Q4 &lt;draft&gt; &amp; co</title>"));
  EXPECT_THAT(titled, HasSubstr("<h1>Q4 &lt;draft&gt; &amp; co</h1>"));
  EXPECT_THAT(titled, HasSubstr("category &quot;x&quot;"));
  EXPECT_EQ(CheckWellFormed(titled), "");
}

TEST(ReportHtmlTest, Disp110TableHasTheGroupFigures) {
  const std::string html = RenderReportHtml(SampleStatistics(), ReportOptions());
  const std::string header = Element(html, "id=\"disp\"", "</tr>");
  EXPECT_THAT(Cells(header),
              ElementsAre("Category", "Received", "Open", "Closed", "Withdrawn",
                          "Closed \u2264 3 business days", "Closed \u2264 4 weeks",
                          "Closed 4\u20138 weeks", "Closed &gt; 8 weeks", "Responded", "Upheld",
                          "Upheld %", "Redress GBP", "Redress JPY"));
  EXPECT_THAT(Cells(Element(html, "data-category=\"billing\"", "</tr>")),
              ElementsAre("billing", "5", "1", "4", "0", "1", "2", "1", "1", "4", "3", "75.0",
                          "125.50", "0"));
  EXPECT_THAT(Cells(Element(html, "data-category=\"service\"", "</tr>")),
              ElementsAre("service", "3", "1", "2", "0", "1", "2", "0", "0", "2", "0", "0.0",
                          "0.00", "0"));
  EXPECT_THAT(Cells(Element(html, "data-total=\"1\"", "</tr>")),
              ElementsAre("Total", "12", "4", "7", "1", "2", "5", "1", "1", "8", "4", "50.0",
                          "175.50", "3000"));
}

TEST(ReportHtmlTest, HeadlineFiguresAndTiles) {
  const std::string html = RenderReportHtml(SampleStatistics(), ReportOptions());
  EXPECT_THAT(html, HasSubstr("id=\"tile-complaints\"><div class=\"tile-value\">12<"));
  EXPECT_THAT(html, HasSubstr("id=\"tile-closed\"><div class=\"tile-value\">7<"));
  EXPECT_THAT(html, HasSubstr("id=\"tile-nps\"><div class=\"tile-value\">+33.3<"));
  EXPECT_THAT(html, HasSubstr("id=\"tile-csat\"><div class=\"tile-value\">3.80<"));
  EXPECT_THAT(html, HasSubstr("id=\"tile-deadlines-met\"><div class=\"tile-value\">88.9%<"));
  EXPECT_THAT(html, HasSubstr("id=\"tile-closed-8-weeks\"><div class=\"tile-value\">85.7%<"));
  const std::string headline = Element(html, "id=\"headline\"", "</table>");
  EXPECT_THAT(headline, HasSubstr("<td>closed within 3 business days</td><td>2 of 7 (28.6%)</td>"));
  EXPECT_THAT(headline, HasSubstr("<td>upheld (fully or partly)</td><td>4 of 8 responded (50.0%)"));
  EXPECT_THAT(headline, HasSubstr("<td>redress offered</td><td>GBP 175.50, JPY 3000</td>"));
  EXPECT_THAT(headline, HasSubstr("<td>escalated</td><td>16.7%</td>"));
  EXPECT_THAT(headline, HasSubstr("<td>disputed</td><td>8.3%</td>"));
  EXPECT_THAT(headline, HasSubstr("<td>reopened</td><td>0.0%</td>"));
  EXPECT_THAT(headline, HasSubstr("<td>FINAL_RESPONSE met</td><td>6 of 7 (85.7%)</td>"));
  EXPECT_THAT(headline, HasSubstr("<td>ACKNOWLEDGEMENT met</td><td>10 of 11 (90.9%)</td>"));
  EXPECT_THAT(headline, HasSubstr("<td>CSAT</td><td>3.80 / 5 (n=5)</td>"));
  EXPECT_THAT(headline,
              HasSubstr("<td>NPS</td><td>+33.3 (n=6: 3 promoters, 1 detractors)</td>"));
  EXPECT_THAT(headline, HasSubstr("<td>by state</td><td>CLOSED 7, INVESTIGATING 3, RECEIVED 1, "
                                  "WITHDRAWN 1</td>"));
  // Durations: first response p50 1h, p90 1d 1h; handle time p50 9d, p90 45d.
  const std::string durations = Element(html, "id=\"durations\"", "</table>");
  EXPECT_THAT(Cells(Element(durations, "<td>first response</td>", "</tr>")),
              ElementsAre("first response", "11", "1h", "1d 1h", "1h 30m"));
  EXPECT_THAT(Cells(Element(durations, "<td>closure (handle time)</td>", "</tr>")),
              ElementsAre("closure (handle time)", "7", "9d", "45d", "12d"));
  EXPECT_THAT(Cells(Element(html, "data-kind=\"FINAL_RESPONSE\"", "</tr>")),
              ElementsAre("FINAL_RESPONSE", "6", "1", "85.7%"));
  EXPECT_THAT(Cells(Element(html, "id=\"by-channel\"", "</table>")),
              ElementsAre("Channel", "Complaints", "EMAIL", "6", "PHONE", "4", "WEB", "2"));
}

TEST(ReportHtmlTest, VolumeChartStacksChannelsPerWeekAndKeepsTheEmptyWeek) {
  const std::string html = RenderReportHtml(SampleStatistics(), ReportOptions());
  const std::string svg = Element(html, "id=\"chart-volume\"", "</svg>");
  ASSERT_FALSE(svg.empty());
  EXPECT_THAT(svg, HasSubstr("data-week=\"2026-10-19\" data-channel=\"EMAIL\" data-count=\"3\""));
  EXPECT_THAT(svg, HasSubstr("data-week=\"2026-10-19\" data-channel=\"PHONE\" data-count=\"2\""));
  EXPECT_THAT(svg, HasSubstr("data-week=\"2026-11-09\" data-channel=\"WEB\" data-count=\"1\""));
  EXPECT_THAT(svg, Not(HasSubstr("data-week=\"2026-11-02\"")));  // no complaints that week
  // 2 + 3 + 3 non-zero channel counts.
  std::vector<std::string> parts = absl::StrSplit(svg, "data-channel=");
  EXPECT_EQ(parts.size(), 9u);
  // Four week slots (the empty week is a gap): labels of the first and last.
  EXPECT_THAT(svg, HasSubstr(">2026-10-19</text>"));
  EXPECT_THAT(svg, HasSubstr(">2026-11-02</text>"));
  EXPECT_THAT(svg, HasSubstr(">2026-11-09</text>"));
  // Bar totals.
  EXPECT_THAT(svg, HasSubstr("class=\"value\">5</text>"));
  EXPECT_THAT(svg, HasSubstr("class=\"value\">4</text>"));
  EXPECT_THAT(svg, HasSubstr("class=\"value\">3</text>"));
  EXPECT_THAT(svg, HasSubstr(">EMAIL</text>"));  // legend
}

TEST(ReportHtmlTest, HistogramMarksTheDeadline) {
  const std::string html = RenderReportHtml(SampleStatistics(), ReportOptions());
  const std::string svg = Element(html, "id=\"chart-resolution\"", "</svg>");
  EXPECT_THAT(svg, HasSubstr("data-bucket=\"14\" data-count=\"2\""));
  EXPECT_THAT(svg, HasSubstr("data-bucket=\"84\" data-count=\"1\""));
  EXPECT_THAT(svg, HasSubstr("data-bucket=\"0\" data-count=\"0\""));
  EXPECT_THAT(svg, HasSubstr(">42\u201356 d</text>"));
  EXPECT_THAT(svg, HasSubstr(">&gt;84 d</text>"));
  EXPECT_THAT(svg, HasSubstr("id=\"deadline-marker\" data-days=\"56\""));
  EXPECT_THAT(svg, HasSubstr("median allowance 56d"));
  // 56 days is the upper edge of the 7th of 9 buckets: x = 56 + 7 * 880 / 9.
  EXPECT_THAT(svg, HasSubstr("<line x1=\"740.4\" y1=\"16\" x2=\"740.4\""));
}

TEST(ReportHtmlTest, ComplianceAndNpsCharts) {
  const std::string html = RenderReportHtml(SampleStatistics(), ReportOptions());
  const std::string compliance = Element(html, "id=\"chart-compliance\"", "</svg>");
  EXPECT_THAT(compliance, HasSubstr("week of 2026-10-19: 7 of 8 met (87.5%)"));
  EXPECT_THAT(compliance, HasSubstr("week of 2026-10-26: 6 of 6 met (100%)"));
  EXPECT_THAT(compliance, HasSubstr("week of 2026-11-09: 3 of 4 met (75%)"));
  EXPECT_THAT(compliance, HasSubstr("overall 88.9%"));
  // The empty week breaks the line: one polyline of two points, one lone point.
  std::vector<std::string> polylines = absl::StrSplit(compliance, "<polyline");
  EXPECT_EQ(polylines.size(), 2u);
  std::vector<std::string> circles = absl::StrSplit(compliance, "<circle");
  EXPECT_EQ(circles.size(), 4u);
  const std::string nps = Element(html, "id=\"chart-nps\"", "</svg>");
  EXPECT_THAT(nps, HasSubstr("data-week=\"2026-10-19\" data-nps=\"33.3\" data-responses=\"3\""));
  EXPECT_THAT(nps, HasSubstr("data-week=\"2026-11-09\" data-nps=\"-100\" data-responses=\"1\""));
  EXPECT_THAT(nps, HasSubstr("overall NPS 33.3 (n=6)"));
}

TEST(ReportHtmlTest, EmptyStatisticsStillRender) {
  v1::ComplaintStatistics empty;
  const std::string html = RenderReportHtml(empty, ReportOptions());
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_THAT(html, HasSubstr("No complaints received in the period."));
  EXPECT_THAT(html, HasSubstr("No complaint has been closed yet."));
  EXPECT_THAT(html, HasSubstr("No deadline has been met or breached yet."));
  EXPECT_THAT(html, HasSubstr("No satisfaction answer with an NPS score yet."));
  EXPECT_THAT(html, HasSubstr("id=\"tile-nps\"><div class=\"tile-value\">-<"));
  EXPECT_THAT(html, Not(HasSubstr("nan")));
  EXPECT_THAT(html, Not(HasSubstr("inf\"")));
}

TEST(ReportCsvTest, OneRowPerCategoryAndATotal) {
  const std::string csv = RenderReportCsv(SampleStatistics());
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n");
  ASSERT_EQ(lines.size(), 6u) << csv;  // header, 3 categories, total, "" after the last CRLF
  EXPECT_EQ(lines[5], "");
  EXPECT_EQ(lines[0],
            "row_type,category,received,open,closed,withdrawn,closed_within_3_business_days,"
            "closed_within_4_weeks,closed_4_to_8_weeks,closed_after_8_weeks,responded,upheld,"
            "upheld_pct,redress_paid_GBP,redress_paid_JPY");
  EXPECT_EQ(lines[1], "category,billing,5,1,4,0,1,2,1,1,4,3,75.0,125.50,0");
  EXPECT_EQ(lines[2],
            "category,\"cards <debit> & \"\"credit\"\", 'other'\",4,2,1,1,0,1,0,0,2,1,50.0,"
            "50.00,3000");
  EXPECT_EQ(lines[3], "category,service,3,1,2,0,1,2,0,0,2,0,0.0,0.00,0");
  EXPECT_EQ(lines[4], "total,,12,4,7,1,2,5,1,1,8,4,50.0,175.50,3000");
}

TEST(ReportCsvTest, NeutralisesFormulaCategories) {
  v1::ComplaintStatistics s;
  s.add_categories()->set_category("=HYPERLINK(\"x\")");
  s.add_categories()->set_category("-1");
  const std::string csv = RenderReportCsv(s);
  EXPECT_THAT(csv, HasSubstr("\r\ncategory,\"'=HYPERLINK(\"\"x\"\")\",0,"));
  EXPECT_THAT(csv, HasSubstr("\r\ncategory,'-1,0,"));
  EXPECT_THAT(csv, HasSubstr("\r\ntotal,,0,0,0,0,0,0,0,0,0,0,0.0\r\n"));
}

TEST(ReportFormatTest, MinorUnits) {
  EXPECT_EQ(FormatMinorUnits("GBP", 4250), "42.50");
  EXPECT_EQ(FormatMinorUnits("GBP", 5), "0.05");
  EXPECT_EQ(FormatMinorUnits("GBP", -5), "-0.05");
  EXPECT_EQ(FormatMinorUnits("JPY", 500), "500");
  EXPECT_EQ(FormatMinorUnits("KWD", 1234), "1.234");
  EXPECT_EQ(FormatMinorUnits("USD", INT64_MIN), "-92233720368547758.08");
  EXPECT_EQ(Percent(2.0 / 7), "28.6%");
  EXPECT_EQ(HtmlEscape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
}

TEST(ReportFormatTest, Selection) {
  v1::GetComplaintStatisticsRequest r;
  EXPECT_EQ(StatisticsSelection(r), "All complaints");
  r.mutable_start_time()->set_seconds(1767225600);  // 2026-01-01
  r.set_category("billing");
  r.set_channel(v1::CHANNEL_EMAIL);
  r.set_policy_id("fca-disp");
  EXPECT_EQ(StatisticsSelection(r),
            "received from 2026-01-01T00:00:00Z; category billing; channel EMAIL; policy "
            "fca-disp");
}

}  // namespace
}  // namespace redress::cli
