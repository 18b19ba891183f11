// `redressctl report`: ComplaintStatistics rendered as one self-contained
// HTML page (inline CSS and SVG charts drawn here; no scripts, no network
// references) and as a regulator-return style CSV (FCA DISP 1.10 shape: one
// row per category and a total). Pure functions; thread-safe.
#ifndef REDRESS_CLIENTS_CLI_REPORT_H_
#define REDRESS_CLIENTS_CLI_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "redress/v1/complaint_service.pb.h"

namespace redress::cli {

struct ReportOptions {
  std::string title = "Complaint-handling report";
  // What was selected, e.g. "received 2026-01-01T00:00:00Z to ...; category
  // billing"; shown under the title. Empty: "all complaints".
  std::string selection;
};

// The HTML page. Every text from the data (categories, currencies, keys) is
// escaped. Charts: weekly volume by channel (stacked bars), time to
// resolution (histogram with the median final-response allowance marked),
// weekly deadline compliance (line), weekly NPS (bars); then the headline
// figures (clocks.h HeadlineRows) and the DISP 1.10 table.
std::string RenderReportHtml(const redress::v1::ComplaintStatistics& stats,
                             const ReportOptions& options);

// The CSV (RFC 4180, CRLF line ends): header, one row per category (sorted as
// the server sorts them), then a row with row_type "total". Columns:
// row_type, category, then GroupHeader's figures. Fields that a spreadsheet
// would read as a formula (= + - @ first) are prefixed with '.
std::string RenderReportCsv(const redress::v1::ComplaintStatistics& stats);

// The currency codes of every redress_paid in the totals and categories,
// sorted and distinct.
std::vector<std::string> Currencies(const redress::v1::ComplaintStatistics& stats);

// The figure columns of a ComplaintGroupStatistics: received, open, closed,
// withdrawn, closed_within_3_business_days, closed_within_4_weeks,
// closed_4_to_8_weeks, closed_after_8_weeks, responded, upheld, upheld_pct,
// then redress_paid_<CUR> per currency (major units).
std::vector<std::string> GroupHeader(const std::vector<std::string>& currencies);
std::vector<std::string> GroupCells(const redress::v1::ComplaintGroupStatistics& g,
                                    const std::vector<std::string>& currencies);

// Minor units as a decimal in major units with the ISO 4217 exponent of the
// currency (2 unless known to be 0 or 3): ("GBP", 4250) -> "42.50",
// ("JPY", 500) -> "500", ("GBP", -5) -> "-0.05".
std::string FormatMinorUnits(absl::string_view currency, int64_t minor);

// "12.5%" (one decimal) of a ratio in [0, 1].
std::string Percent(double ratio);

// &, <, >, " and ' as character references.
std::string HtmlEscape(absl::string_view s);

// What a statistics request selects, for the report's subtitle: "received
// from 2026-01-01T00:00:00Z to ...; category billing; channel EMAIL; policy
// fca-disp"; "All complaints" when nothing is filtered.
std::string StatisticsSelection(const redress::v1::GetComplaintStatisticsRequest& request);

// Not pure (report_file.cc): writes `content` to PATH.tmp, fsyncs it and
// renames it to `path`, so a reader never sees a half-written report. On
// error the temporary file is removed; UNAVAILABLE names the path.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view content);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_REPORT_H_
