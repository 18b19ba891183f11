#include "server/domain/validation.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/field_violation.h"
#include "server/domain/ids.h"
#include "server/domain/request_validators.h"
#include "server/domain/status_macros.h"
#include "server/domain/unicode_text.h"

namespace redress::domain {
namespace {

using redress::v1::Channel;
using redress::v1::Level;

// Every error below: INVALID_ARGUMENT "<field>: <reason>" with the field
// violation attached (server/domain/field_violation.h).
absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return InvalidField(field, reason);
}

bool IsValidUtf8(absl::string_view s) {
  uint32_t cp;
  for (size_t i = 0; i < s.size();) {
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

enum class Lines { kSingle, kMulti };

// Text checks shared by every string field: length in bytes; well-formed
// UTF-8 (no overlong forms, surrogates or code points above U+10FFFF); no
// control character of Unicode category Cc (C0, DEL and C1, U+0080-U+009F),
// except tab, CR and LF in multi-line text; no bidirectional embedding,
// override or isolate control (U+202A-U+202E, U+2066-U+2069) in any text.
// The message names the refused code point: "text: contains a control
// character (U+009B)".
absl::Status CheckText(absl::string_view field, absl::string_view v, size_t max, bool required,
                       Lines lines) {
  if (v.empty()) return required ? Invalid(field, "required") : absl::OkStatus();
  if (v.size() > max) return Invalid(field, absl::StrCat("longer than ", max, " bytes"));
  if (!IsValidUtf8(v)) return Invalid(field, "not valid UTF-8");
  for (size_t i = 0; i < v.size();) {
    uint32_t cp = 0;
    const size_t len = DecodeUtf8(v, i, &cp);
    i += len;
    if (IsControlCodePoint(cp)) {
      if (lines == Lines::kMulti && (cp == '\n' || cp == '\r' || cp == '\t')) continue;
      return Invalid(field, absl::StrCat("contains a control character (", CodePointName(cp), ")"));
    }
    if (IsBidiControlCodePoint(cp)) {
      return Invalid(field, absl::StrCat("contains a bidirectional control character (",
                                         CodePointName(cp), ")"));
    }
  }
  if (required && absl::StripAsciiWhitespace(v).empty()) return Invalid(field, "required");
  return absl::OkStatus();
}

// True if `s` may be quoted in an error message: valid UTF-8 without
// control or bidirectional control characters.
bool IsEchoable(absl::string_view s) {
  uint32_t cp;
  for (size_t i = 0; i < s.size();) {
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0 || IsControlCodePoint(cp) || IsBidiControlCodePoint(cp)) return false;
    i += len;
  }
  return true;
}

absl::Status CheckChannel(absl::string_view field, Channel c, bool required) {
  if (!redress::v1::Channel_IsValid(c)) return Invalid(field, "unknown value");
  if (required && c == redress::v1::CHANNEL_UNSPECIFIED) return Invalid(field, "required");
  return absl::OkStatus();
}

absl::Status CheckLevel(absl::string_view field, Level l) {
  if (!redress::v1::Level_IsValid(l)) return Invalid(field, "unknown value");
  if (l == redress::v1::LEVEL_UNSPECIFIED) return Invalid(field, "required");
  return absl::OkStatus();
}

bool IsEmailShape(absl::string_view e) {
  const size_t at = e.find('@');
  if (at == absl::string_view::npos || at == 0 || at != e.rfind('@')) return false;
  const absl::string_view domain = e.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == absl::string_view::npos ||
      domain.front() == '.' || domain.back() == '.') {
    return false;
  }
  for (char c : e) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == '"' ||
        c == ',' || c == ';') {
      return false;
    }
  }
  return true;
}

bool IsPhoneShape(absl::string_view p) {
  if (p.size() < 3 || p.size() > 32) return false;
  int digits = 0;
  for (char c : p) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 3;
}

// ISO 4217 active alphabetic codes commonly used for redress payments. A
// shape check alone would accept "XYZ"; an unknown currency is a data error.
constexpr absl::string_view kCurrencies[] = {
    "AED", "ARS", "AUD", "BGN", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK",
    "EGP", "EUR", "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KES", "KRW",
    "KWD", "MAD", "MXN", "MYR", "NGN", "NOK", "NZD", "PEN", "PHP", "PKR", "PLN", "QAR",
    "RON", "RSD", "SAR", "SEK", "SGD", "THB", "TRY", "TWD", "UAH", "USD", "VND", "ZAR"};

bool IsKnownCurrency(absl::string_view c) {
  for (absl::string_view k : kCurrencies) {
    if (k == c) return true;
  }
  return false;
}

bool IsLabelKey(absl::string_view k) {
  if (k.empty() || k.size() > 63 || !absl::ascii_islower(static_cast<unsigned char>(k[0]))) {
    return false;
  }
  for (char c : k) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsCategory(absl::string_view c) {
  for (char ch : c) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' ||
          ch == '.' || ch == '/' || ch == ' ')) {
      return false;
    }
  }
  return true;
}

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::Status CheckTimestamp(absl::string_view field, const google::protobuf::Timestamp& t) {
  // 1900-01-01 .. 9999-12-31, nanos in range.
  if (t.nanos() < 0 || t.nanos() > 999999999 || t.seconds() < -2208988800LL ||
      t.seconds() > 253402300799LL) {
    return Invalid(field, "out of range");
  }
  return absl::OkStatus();
}

absl::Status CheckName(absl::string_view name) {
  return ParseComplaintName(name, "name").status();
}

// Fields every mutating request by name carries.
template <typename R>
absl::Status CheckCommon(const R& r) {
  if (auto s = CheckName(r.name()); !s.ok()) return s;
  if (auto s = ValidateEtag(r.etag()); !s.ok()) return s;
  return ValidateRequestId(r.request_id());
}


}  // namespace

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.empty()) return absl::OkStatus();
  if (!IsUuid(request_id)) return Invalid("request_id", "must be a UUID");
  if (request_id == "00000000-0000-0000-0000-000000000000") {
    return Invalid("request_id", "must not be the nil UUID");
  }
  return absl::OkStatus();
}

absl::Status ValidateEtag(absl::string_view etag) {
  if (etag.size() > 64) return Invalid("etag", "longer than 64 bytes");
  for (char c : etag) {
    if (c < 0x21 || c > 0x7e) return Invalid("etag", "not a valid etag");
  }
  return absl::OkStatus();
}

absl::Status ValidateCategoryFilter(absl::string_view category) {
  if (category.size() > 128) return Invalid("category", "longer than 128 bytes");
  if (!IsCategory(category)) {
    return Invalid("category", "may hold only letters, digits, space and _ - . /");
  }
  return absl::OkStatus();
}

bool IsSystemActorName(absl::string_view actor) {
  return absl::StartsWithIgnoreCase(actor, kSystemActorPrefix);
}

absl::Status ValidateActor(absl::string_view actor) {
  if (actor.empty()) return Invalid("actor", "required");
  if (actor.size() > kMaxActorLength) return Invalid("actor", "longer than 128 bytes");
  for (char c : actor) {
    if (c < 0x21 || c > 0x7e) return Invalid("actor", "must be printable ASCII without spaces");
  }
  return absl::OkStatus();
}

absl::Status Validate(const redress::v1::SubmitComplaintRequest& r, absl::Time now) {
  REDRESS_RETURN_IF_ERROR(ValidateRequestId(r.request_id()));
  if (!r.has_complaint()) return Invalid("complaint", "required");
  const auto& c = r.complaint();
  if (!c.has_complainant()) return Invalid("complaint.complainant", "required");
  const auto& p = c.complainant();
  REDRESS_RETURN_IF_ERROR(CheckText("complaint.complainant.display_name", p.display_name(),
                                    kMaxNameLength, true, Lines::kSingle));
  REDRESS_RETURN_IF_ERROR(
      CheckText("complaint.complainant.email", p.email(), 254, false, Lines::kSingle));
  if (!p.email().empty() && !IsEmailShape(p.email())) {
    return Invalid("complaint.complainant.email", "not an e-mail address");
  }
  REDRESS_RETURN_IF_ERROR(
      CheckText("complaint.complainant.phone", p.phone(), 32, false, Lines::kSingle));
  if (!p.phone().empty() && !IsPhoneShape(p.phone())) {
    return Invalid("complaint.complainant.phone", "not a telephone number");
  }
  REDRESS_RETURN_IF_ERROR(CheckText("complaint.complainant.customer_id", p.customer_id(), 128,
                                    false, Lines::kSingle));
  REDRESS_RETURN_IF_ERROR(
      CheckChannel("complaint.complainant.preferred_channel", p.preferred_channel(), false));
  REDRESS_RETURN_IF_ERROR(CheckChannel("complaint.channel", c.channel(), true));
  REDRESS_RETURN_IF_ERROR(
      CheckText("complaint.product", c.product(), kMaxNameLength, false, Lines::kSingle));
  REDRESS_RETURN_IF_ERROR(CheckText("complaint.category", c.category(), 128, false, Lines::kSingle));
  if (!IsCategory(c.category())) {
    return Invalid("complaint.category", "may hold only letters, digits, space and _ - . /");
  }
  REDRESS_RETURN_IF_ERROR(
      CheckText("complaint.description", c.description(), kMaxLongText, true, Lines::kMulti));
  REDRESS_RETURN_IF_ERROR(
      CheckText("complaint.remedy_sought", c.remedy_sought(), kMaxShortText, false, Lines::kMulti));
  if (c.has_occurrence_time()) {
    REDRESS_RETURN_IF_ERROR(CheckTimestamp("complaint.occurrence_time", c.occurrence_time()));
    if (absl::FromUnixSeconds(c.occurrence_time().seconds()) > now + absl::Minutes(5)) {
      return Invalid("complaint.occurrence_time", "in the future");
    }
  }
  REDRESS_RETURN_IF_ERROR(CheckText("complaint.external_reference", c.external_reference(),
                                    kMaxNameLength, false, Lines::kSingle));
  if (c.labels_size() > static_cast<int>(kMaxLabels)) {
    return Invalid("complaint.labels", "more than 64 labels");
  }
  for (const auto& [k, v] : c.labels()) {
    if (!IsLabelKey(k)) {
      return Invalid(absl::StrCat("complaint.labels[", IsEchoable(k) && k.size() < 80 ? k : "?", "]"),
                     "key must match [a-z][a-z0-9_-]{0,62}");
    }
    REDRESS_RETURN_IF_ERROR(CheckText(absl::StrCat("complaint.labels[", k, "]"), v, kMaxNameLength,
                                      false, Lines::kSingle));
  }
  if (c.attachments_size() > static_cast<int>(kMaxAttachments)) {
    return Invalid("complaint.attachments", "more than 100 attachments");
  }
  for (int i = 0; i < c.attachments_size(); ++i) {
    const auto& a = c.attachments(i);
    const std::string f = absl::StrCat("complaint.attachments[", i, "]");
    REDRESS_RETURN_IF_ERROR(
        CheckText(f + ".file_name", a.file_name(), kMaxNameLength, true, Lines::kSingle));
    if (absl::StrContains(a.file_name(), "/") || absl::StrContains(a.file_name(), "\\")) {
      return Invalid(f + ".file_name", "must not contain a path separator");
    }
    REDRESS_RETURN_IF_ERROR(
        CheckText(f + ".content_type", a.content_type(), 128, false, Lines::kSingle));
    if (a.size_bytes() < 0) return Invalid(f + ".size_bytes", "must be >= 0");
    if (!IsLowerHex64(a.sha256())) {
      return Invalid(f + ".sha256", "must be 64 lower-case hex characters");
    }
    REDRESS_RETURN_IF_ERROR(CheckText(f + ".uri", a.uri(), 2048, false, Lines::kSingle));
  }
  return absl::OkStatus();
}

absl::Status Validate(const redress::v1::AcknowledgeComplaintRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  REDRESS_RETURN_IF_ERROR(CheckChannel("channel", r.channel(), false));
  return CheckText("message", r.message(), kMaxShortText, false, Lines::kMulti);
}

absl::Status Validate(const redress::v1::AssessComplaintRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  if (!r.has_assessment()) return Invalid("assessment", "required");
  const auto& a = r.assessment();
  REDRESS_RETURN_IF_ERROR(CheckLevel("assessment.severity", a.severity()));
  REDRESS_RETURN_IF_ERROR(CheckLevel("assessment.priority", a.priority()));
  REDRESS_RETURN_IF_ERROR(CheckLevel("assessment.complexity", a.complexity()));
  REDRESS_RETURN_IF_ERROR(CheckLevel("assessment.impact", a.impact()));
  return CheckText("assessment.rationale", a.rationale(), kMaxShortText, false, Lines::kMulti);
}

absl::Status Validate(const redress::v1::AssignComplaintRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  if (r.assignee().empty()) return Invalid("assignee", "required");
  for (char c : r.assignee()) {
    if (c < 0x21 || c > 0x7e) return Invalid("assignee", "must be printable ASCII without spaces");
  }
  if (r.assignee().size() > kMaxActorLength) return Invalid("assignee", "longer than 128 bytes");
  return absl::OkStatus();
}

absl::Status Validate(const redress::v1::StartInvestigationRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  return CheckText("plan", r.plan(), kMaxShortText, false, Lines::kMulti);
}

absl::Status Validate(const redress::v1::AddComplaintNoteRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  REDRESS_RETURN_IF_ERROR(CheckText("text", r.text(), kMaxLongText, true, Lines::kMulti));
  if (!redress::v1::AddComplaintNoteRequest::Visibility_IsValid(r.visibility())) {
    return Invalid("visibility", "unknown value");
  }
  if (r.visibility() == redress::v1::AddComplaintNoteRequest::VISIBILITY_UNSPECIFIED) {
    return Invalid("visibility", "required");
  }
  return absl::OkStatus();
}

absl::Status Validate(const redress::v1::EscalateComplaintRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  return CheckText("reason", r.reason(), kMaxShortText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::RespondToComplaintRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  if (!r.has_response()) return Invalid("response", "required");
  const auto& p = r.response();
  if (!redress::v1::Response::Decision_IsValid(p.decision())) {
    return Invalid("response.decision", "unknown value");
  }
  if (p.decision() == redress::v1::Response::DECISION_UNSPECIFIED) {
    return Invalid("response.decision", "required");
  }
  REDRESS_RETURN_IF_ERROR(
      CheckText("response.remedy_offered", p.remedy_offered(), kMaxShortText, false, Lines::kMulti));
  if (p.has_redress_amount()) {
    const auto& m = p.redress_amount();
    if (!IsKnownCurrency(m.currency_code())) {
      return Invalid("response.redress_amount.currency_code", "not a known ISO 4217 currency code");
    }
    if (m.amount_minor() < 0) return Invalid("response.redress_amount.amount_minor", "must be >= 0");
  }
  REDRESS_RETURN_IF_ERROR(CheckText("response.text", p.text(), kMaxLongText, true, Lines::kMulti));
  return CheckChannel("response.communicated_via", p.communicated_via(), true);
}

absl::Status Validate(const redress::v1::RecordComplainantDecisionRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  if (!r.has_decision()) return Invalid("decision", "required");
  const auto& d = r.decision();
  if (!redress::v1::ComplainantDecision::Outcome_IsValid(d.outcome())) {
    return Invalid("decision.outcome", "unknown value");
  }
  if (d.outcome() == redress::v1::ComplainantDecision::OUTCOME_UNSPECIFIED) {
    return Invalid("decision.outcome", "required");
  }
  return CheckText("decision.comment", d.comment(), kMaxShortText, false, Lines::kMulti);
}

absl::Status Validate(const redress::v1::OpenDisputeRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  if (!r.has_dispute()) return Invalid("dispute", "required");
  const auto& d = r.dispute();
  if (!redress::v1::Dispute::Kind_IsValid(d.kind())) return Invalid("dispute.kind", "unknown value");
  if (d.kind() == redress::v1::Dispute::KIND_UNSPECIFIED) return Invalid("dispute.kind", "required");
  REDRESS_RETURN_IF_ERROR(CheckText("dispute.body", d.body(), kMaxNameLength,
                                    d.kind() == redress::v1::Dispute::KIND_EXTERNAL_ADR,
                                    Lines::kSingle));
  REDRESS_RETURN_IF_ERROR(CheckText("dispute.external_reference", d.external_reference(),
                                    kMaxNameLength, false, Lines::kSingle));
  return CheckText("dispute.reason", d.reason(), kMaxShortText, false, Lines::kMulti);
}

absl::Status Validate(const redress::v1::ResolveDisputeRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  if (!redress::v1::Dispute::Outcome_IsValid(r.outcome())) return Invalid("outcome", "unknown value");
  if (r.outcome() == redress::v1::Dispute::OUTCOME_UNSPECIFIED) return Invalid("outcome", "required");
  return CheckText("outcome_text", r.outcome_text(), kMaxLongText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::CloseComplaintRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  return CheckText("reason", r.reason(), kMaxShortText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::WithdrawComplaintRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  return CheckText("reason", r.reason(), kMaxShortText, false, Lines::kMulti);
}

absl::Status Validate(const redress::v1::ReopenComplaintRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  return CheckText("reason", r.reason(), kMaxShortText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::EraseComplainantDataRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  return CheckText("reason", r.reason(), kMaxShortText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::RequestInformationRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  REDRESS_RETURN_IF_ERROR(CheckChannel("channel", r.channel(), false));
  return CheckText("information", r.information(), kMaxShortText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::ReceiveInformationRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  return CheckText("summary", r.summary(), kMaxShortText, false, Lines::kMulti);
}

absl::Status Validate(const redress::v1::SendHoldingResponseRequest& r, absl::Time now) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  REDRESS_RETURN_IF_ERROR(CheckChannel("channel", r.channel(), false));
  if (r.has_expected_response_time()) {
    REDRESS_RETURN_IF_ERROR(CheckTimestamp("expected_response_time", r.expected_response_time()));
    if (absl::FromUnixSeconds(r.expected_response_time().seconds()) < now - absl::Minutes(5)) {
      return Invalid("expected_response_time", "in the past");
    }
  }
  return CheckText("text", r.text(), kMaxShortText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::ExtendDeadlineRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  if (!r.has_extension()) return Invalid("extension", "required");
  const auto& e = r.extension();
  if (!redress::v1::DeadlineKind_IsValid(e.kind())) return Invalid("extension.kind", "unknown value");
  if (e.kind() == redress::v1::DEADLINE_KIND_UNSPECIFIED) return Invalid("extension.kind", "required");
  if (e.amount() <= 0) return Invalid("extension.amount", "must be > 0");
  return CheckText("extension.reason", e.reason(), kMaxShortText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::RecomputeDeadlinesRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  return CheckText("reason", r.reason(), kMaxShortText, true, Lines::kMulti);
}

absl::Status Validate(const redress::v1::RecordSatisfactionRequest& r) {
  REDRESS_RETURN_IF_ERROR(CheckCommon(r));
  if (!r.has_satisfaction()) return Invalid("satisfaction", "required");
  const auto& s = r.satisfaction();
  if (!s.has_csat_score() && !s.has_nps_score()) {
    return Invalid("satisfaction", "needs csat_score or nps_score");
  }
  if (s.has_csat_score() && (s.csat_score() < 1 || s.csat_score() > 5)) {
    return Invalid("satisfaction.csat_score", "must be 1 to 5");
  }
  if (s.has_nps_score() && (s.nps_score() < 0 || s.nps_score() > 10)) {
    return Invalid("satisfaction.nps_score", "must be 0 to 10");
  }
  return CheckText("satisfaction.comment", s.comment(), kMaxShortText, false, Lines::kMulti);
}

absl::Status Validate(const redress::v1::GetComplaintStatisticsRequest& r) {
  if (r.has_start_time()) REDRESS_RETURN_IF_ERROR(CheckTimestamp("start_time", r.start_time()));
  if (r.has_end_time()) REDRESS_RETURN_IF_ERROR(CheckTimestamp("end_time", r.end_time()));
  if (r.has_start_time() && r.has_end_time() &&
      (r.end_time().seconds() < r.start_time().seconds() ||
       (r.end_time().seconds() == r.start_time().seconds() &&
        r.end_time().nanos() < r.start_time().nanos()))) {
    return Invalid("end_time", "before start_time");
  }
  if (r.category().size() > 128 || !IsCategory(r.category())) {
    return Invalid("category", "not a category (letters, digits, `_ - . /` and spaces, at most 128)");
  }
  REDRESS_RETURN_IF_ERROR(CheckChannel("channel", r.channel(), false));
  if (r.policy_id().size() > kMaxNameLength) return Invalid("policy_id", "longer than 256 bytes");
  for (char c : r.policy_id()) {
    if (c < 0x21 || c > 0x7e) return Invalid("policy_id", "must be printable ASCII without spaces");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> EffectivePageSize(int requested, int dflt) {
  if (requested < 0) return Invalid("page_size", "must not be negative");
  if (requested == 0) return dflt;
  return requested > 1000 ? 1000 : requested;
}

// ValidateFor()'s dispatch (lifecycle.h, request_validators.h): one line per
// mutating request type.
REDRESS_REGISTER_VALIDATOR_AT(redress::v1::SubmitComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::AcknowledgeComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::AssessComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::AssignComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::StartInvestigationRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::AddComplaintNoteRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::EscalateComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::RespondToComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::RecordComplainantDecisionRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::OpenDisputeRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::ResolveDisputeRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::CloseComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::WithdrawComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::ReopenComplaintRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::EraseComplainantDataRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::RequestInformationRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::ReceiveInformationRequest)
REDRESS_REGISTER_VALIDATOR_AT(redress::v1::SendHoldingResponseRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::ExtendDeadlineRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::RecomputeDeadlinesRequest)
REDRESS_REGISTER_VALIDATOR(redress::v1::RecordSatisfactionRequest)

void LinkRegisteredValidators() {}

}  // namespace redress::domain
