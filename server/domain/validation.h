// Request validation: every field of every request against its documented
// limits. Pure functions, thread-safe.
//
// Error contract: INVALID_ARGUMENT with a message "<field.path>: <reason>",
// e.g. "complaint.complainant.email: not an e-mail address". Validation never
// depends on stored state (that is the lifecycle's job).
#ifndef REDRESS_SERVER_DOMAIN_VALIDATION_H_
#define REDRESS_SERVER_DOMAIN_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint_service.pb.h"

namespace redress::domain {

// Documented limits (also in the proto comments).
inline constexpr size_t kMaxNameLength = 256;         // display names, products
inline constexpr size_t kMaxShortText = 4096;         // reasons, comments
inline constexpr size_t kMaxLongText = 65536;         // descriptions, notes
inline constexpr size_t kMaxLabels = 64;
inline constexpr size_t kMaxAttachments = 100;
inline constexpr size_t kMaxActorLength = 128;

// Common fields of mutating requests.
absl::Status ValidateRequestId(absl::string_view request_id);
absl::Status ValidateEtag(absl::string_view etag);

// The acting principal: 1-128 printable ASCII characters, no spaces.
absl::Status ValidateActor(absl::string_view actor);

// Actors Redress itself acts as ("system:deadline-sweeper") are named in
// this namespace. It is reserved: no caller may name itself so (metadata,
// access configuration), and the trail records such events with
// ACTOR_KIND_SYSTEM (compliance-docs/audit-trail.md).
inline constexpr char kSystemActorPrefix[] = "system:";
// Whether `actor` is in the reserved namespace (compared ignoring case).
bool IsSystemActorName(absl::string_view actor);

// `now` bounds timestamps (e.g. occurrence_time may not be in the future).
absl::Status Validate(const redress::v1::SubmitComplaintRequest& r, absl::Time now);
absl::Status Validate(const redress::v1::AcknowledgeComplaintRequest& r);
absl::Status Validate(const redress::v1::AssessComplaintRequest& r);
absl::Status Validate(const redress::v1::AssignComplaintRequest& r);
absl::Status Validate(const redress::v1::StartInvestigationRequest& r);
absl::Status Validate(const redress::v1::AddComplaintNoteRequest& r);
absl::Status Validate(const redress::v1::EscalateComplaintRequest& r);
absl::Status Validate(const redress::v1::RespondToComplaintRequest& r);
absl::Status Validate(const redress::v1::RecordComplainantDecisionRequest& r);
absl::Status Validate(const redress::v1::OpenDisputeRequest& r);
absl::Status Validate(const redress::v1::ResolveDisputeRequest& r);
absl::Status Validate(const redress::v1::CloseComplaintRequest& r);
absl::Status Validate(const redress::v1::WithdrawComplaintRequest& r);
absl::Status Validate(const redress::v1::ReopenComplaintRequest& r);
absl::Status Validate(const redress::v1::EraseComplainantDataRequest& r);
absl::Status Validate(const redress::v1::RequestInformationRequest& r);
absl::Status Validate(const redress::v1::ReceiveInformationRequest& r);
absl::Status Validate(const redress::v1::SendHoldingResponseRequest& r, absl::Time now);
absl::Status Validate(const redress::v1::ExtendDeadlineRequest& r);
absl::Status Validate(const redress::v1::RecomputeDeadlinesRequest& r);
absl::Status Validate(const redress::v1::RecordSatisfactionRequest& r);
absl::Status Validate(const redress::v1::GetComplaintStatisticsRequest& r);

// Page size of list requests: negative is INVALID_ARGUMENT; 0 -> `dflt`;
// above 1000 -> 1000 (AIP-158 coercion). Returns the effective size.
absl::StatusOr<int> EffectivePageSize(int requested, int dflt);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_VALIDATION_H_
