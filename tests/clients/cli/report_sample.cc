// Writes the HTML report of the test fixture (report_fixture.h) to argv[1],
// for report_render_test.sh. Exit status 0 on success, 2 on bad usage, 1 on a
// write error.
#include <iostream>
#include <string>

#include "clients/cli/report.h"
#include "tests/clients/cli/report_fixture.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: report_sample OUT.html\n";
    return 2;
  }
  redress::cli::ReportOptions options;
  options.title = "Complaint-handling report (test fixture)";
  options.selection = "received from 2026-10-19T00:00:00Z to 2026-11-16T00:00:00Z";
  absl::Status s = redress::cli::WriteFileAtomically(
      argv[1], redress::cli::RenderReportHtml(
                   redress::cli::report_fixture::SampleStatistics(), options));
  if (!s.ok()) {
    std::cerr << "report_sample: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
