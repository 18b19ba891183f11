// Building ComplaintService request messages from a parsed command line.
// Pure; every error is a usage error naming the offending flag.
#ifndef REDRESS_CLIENTS_CLI_REQUESTS_H_
#define REDRESS_CLIENTS_CLI_REQUESTS_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "clients/cli/flags.h"
#include "clients/cli/uuid.h"
#include "google/protobuf/timestamp.pb.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/complaint_service.pb.h"

namespace redress::cli {

// `key=value` of --label (split at the first '=').
absl::StatusOr<std::pair<std::string, std::string>> ParseLabel(const std::string& text);

// `file_name=..,content_type=..,size=..,sha256=..,uri=..` of --attachment.
// Keys may come in any order and be left out; a comma not followed by a known
// key belongs to the previous value (URIs may contain commas).
absl::StatusOr<redress::v1::Attachment> ParseAttachment(const std::string& text);

// An RFC 3339 time, e.g. 2026-01-31T09:30:00Z or 2026-01-31T10:30:00+01:00.
absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(const std::string& flag,
                                                           const std::string& text);

// One builder per subcommand. Mutating requests get --etag and --request-id;
// without --request-id a new random UUID v4 is used.
absl::StatusOr<redress::v1::SubmitComplaintRequest> BuildSubmitRequest(const Invocation& inv);
absl::StatusOr<redress::v1::GetComplaintRequest> BuildGetRequest(const Invocation& inv);
absl::StatusOr<redress::v1::ListComplaintsRequest> BuildListRequest(const Invocation& inv);
absl::StatusOr<redress::v1::ListComplaintEventsRequest> BuildHistoryRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::AcknowledgeComplaintRequest> BuildAckRequest(const Invocation& inv);
absl::StatusOr<redress::v1::AssessComplaintRequest> BuildAssessRequest(const Invocation& inv);
absl::StatusOr<redress::v1::AssignComplaintRequest> BuildAssignRequest(const Invocation& inv);
absl::StatusOr<redress::v1::StartInvestigationRequest> BuildInvestigateRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::AddComplaintNoteRequest> BuildNoteRequest(const Invocation& inv);
absl::StatusOr<redress::v1::EscalateComplaintRequest> BuildEscalateRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::RespondToComplaintRequest> BuildRespondRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::RecordComplainantDecisionRequest> BuildDecideRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::OpenDisputeRequest> BuildDisputeRequest(const Invocation& inv);
absl::StatusOr<redress::v1::ResolveDisputeRequest> BuildResolveDisputeRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::CloseComplaintRequest> BuildCloseRequest(const Invocation& inv);
absl::StatusOr<redress::v1::WithdrawComplaintRequest> BuildWithdrawRequest(
    const Invocation& inv);
absl::StatusOr<redress::v1::ReopenComplaintRequest> BuildReopenRequest(const Invocation& inv);

// Sets name, etag and request_id (default: a new UUID v4) of a mutating
// request from NAME, --etag and --request-id.
template <typename Request>
void SetTarget(const Invocation& inv, Request* req) {
  req->set_name(inv.name);
  if (std::optional<std::string> etag = inv.Value("etag")) req->set_etag(*etag);
  std::optional<std::string> id = inv.Value("request-id");
  req->set_request_id(id.has_value() ? *id : NewUuidV4());
}

// The value of a required flag (presence is checked by the parser; this is
// a second line of defence for callers that build an Invocation by hand).
absl::StatusOr<std::string> RequiredValue(const Invocation& inv, const std::string& flag);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_REQUESTS_H_
