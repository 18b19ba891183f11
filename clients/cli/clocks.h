// redressctl and the regulatory clocks (issue #4): request builders for the
// clock, satisfaction and statistics commands, and the terminal rendering of
// a complaint's deadlines and of ComplaintStatistics. Pure (no I/O, no gRPC)
// and thread-safe; builder errors are usage errors naming the flag.
#ifndef REDRESS_CLIENTS_CLI_CLOCKS_H_
#define REDRESS_CLIENTS_CLI_CLOCKS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cli/flags.h"
#include "google/protobuf/duration.pb.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "redress/v1/deadline.pb.h"

namespace redress::cli {

absl::StatusOr<redress::v1::RequestInformationRequest> BuildRequestInfoRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::ReceiveInformationRequest> BuildReceiveInfoRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::SendHoldingResponseRequest> BuildHoldingResponseRequest(
    const Invocation& inv);
// --kind is a DeadlineKind without its prefix (final-response, FINAL_RESPONSE);
// --amount a positive integer.
absl::StatusOr<redress::v1::ExtendDeadlineRequest> BuildExtendDeadlineRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::RecomputeDeadlinesRequest> BuildRecomputeDeadlinesRequest(
    const Invocation& inv);
// At least one of --csat (1-5) and --nps (0-10).
absl::StatusOr<redress::v1::RecordSatisfactionRequest> BuildSatisfactionRequest(
    const Invocation& inv);
// --from/--to (RFC 3339; --from before --to), --category, --channel, --policy.
absl::StatusOr<redress::v1::GetComplaintStatisticsRequest> BuildStatisticsRequest(
    const Invocation& inv);
// --view basic|full of `list`; COMPLAINT_VIEW_UNSPECIFIED when absent.
absl::StatusOr<redress::v1::ComplaintView> ListViewFlag(const Invocation& inv);

// A duration for people: "45m", "5h 12m", "3d 4h", "-1d 2h" (minutes are
// dropped from a day or more; seconds are dropped unless under a minute).
std::string FormatDurationShort(const google::protobuf::Duration& d);

// "8 weeks", "15 business days", "24 hours".
std::string FormatAmount(int32_t amount, redress::v1::TimeUnit unit);

// What time_remaining means for the deadline's state: "7d 23h left",
// "2d 1h overdue", "3h early" (satisfied in time), "1d late" (satisfied
// late); "-" for windows that closed and deadlines no longer required.
std::string RemainingCell(const redress::v1::Deadline& d);

// "fca-psd2 v1, calendar gb-eaw"; "-" when unset.
std::string PolicyCell(const redress::v1::PolicyRef& p);

// The clock rows of a complaint (policy, awaiting information, satisfaction)
// for its key/value block; empty when none is set.
std::vector<std::pair<std::string, std::string>> ClockRows(const redress::v1::Complaint& c);

// The complaint's deadlines as a table (KIND CYCLE STATE DUE REMAINING RULE),
// preceded by a blank line and "deadlines:"; empty when there are none.
std::string DeadlineSection(const redress::v1::Complaint& c);

// The next firm-side deadline still running (ON_TRACK, AT_RISK or PAUSED;
// earliest due first), as "FINAL_RESPONSE 2026-12-01T17:00:00Z AT_RISK";
// otherwise a BREACHED one; "-" when none.
std::string NextDeadlineCell(const redress::v1::Complaint& c);

// The headline figures of ComplaintStatistics, in report order, as
// (section, label, value) rows. Shared by `stats` and the HTML report.
struct HeadlineRow {
  std::string section;
  std::string label;
  std::string value;
};
std::vector<HeadlineRow> HeadlineRows(const redress::v1::ComplaintStatistics& s);

// `stats` in table output: the headline rows, then the DISP 1.10 table.
std::string StatisticsTable(const redress::v1::ComplaintStatistics& s);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_CLOCKS_H_
