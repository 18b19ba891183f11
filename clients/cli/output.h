// Rendering responses for the terminal (`--output table`) and for programs
// (`--output json`, protobuf JSON with the proto field names). Nothing here
// returns a raw control character taken from a response: text is escaped
// with TerminalSafe / TerminalSafeJson (terminal_text.h).
#ifndef REDRESS_CLIENTS_CLI_OUTPUT_H_
#define REDRESS_CLIENTS_CLI_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/support/status_code_enum.h"
#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/complaint_service.pb.h"

namespace redress::cli {

// "FAILED_PRECONDITION" etc.; "CODE_<n>" for a number gRPC does not define.
std::string StatusCodeName(grpc::StatusCode code);

// What redressctl prints on stderr for a failed call: "error: CODE: message"
// and, for every field violation in the google.rpc.BadRequest detail of the
// status (grpc-status-details-bin, AIP-193), a line
// "field_violation: <field>: <description>". Each line ends in a newline;
// control characters in the server's text are escaped (terminal_text.h).
// Undecodable details are ignored.
std::string FormatRpcError(grpc::StatusCode code, const std::string& message,
                           const std::string& binary_details);

// RFC 3339 in UTC ("2026-01-31T09:30:00Z"); "-" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);

// Rows under a header, columns left-aligned and separated by two spaces; no
// trailing blanks. Newlines and tabs in cells become spaces, other control
// characters visible escapes ("\u009b", terminal_text.h); empty cells "-".
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// A Complaint as an aligned key/value block: the main fields always, then the
// assessment, response, decision, dispute and closure fields that are set.
// A newline in a value continues it on the next line, indented; tabs become
// spaces; other control characters are escaped as in FormatTable.
std::string ComplaintTable(const redress::v1::Complaint& complaint);

// NAME REFERENCE STATE CHANNEL CATEGORY ASSIGNEE CREATED.
std::string ComplaintListTable(const redress::v1::ListComplaintsResponse& response);

// SEQ TIME TYPE FROM TO ACTOR HASH (first 12 hex characters).
std::string EventTable(const redress::v1::ListComplaintEventsResponse& response);

// Protobuf JSON (proto field names, indented), ending in a newline. Control
// and bidirectional control characters in strings are always JSON escapes
// (TerminalSafeJson: the printer itself leaves U+2066-U+2069 raw).
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

// Like ToJson, but the repeated field (complaints / events) is always present,
// as [] when empty, so that scripts can index it.
absl::StatusOr<std::string> ListJson(const redress::v1::ListComplaintsResponse& response);
absl::StatusOr<std::string> HistoryJson(const redress::v1::ListComplaintEventsResponse& response);
absl::StatusOr<std::string> CheckpointListJson(
    const redress::v1::ListCheckpointsResponse& response);
absl::StatusOr<std::string> SweepJson(const redress::v1::SweepRetentionResponse& response);

// TREE_SIZE SEALED KEY_ID ROOT_HASH (the full hash: auditors compare it).
std::string CheckpointTable(const redress::v1::ListCheckpointsResponse& response);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_OUTPUT_H_
