#include "clients/cli/requests.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "clients/cli/clocks.h"
#include "clients/cli/enums.h"
#include "clients/cli/uuid.h"
#include "google/protobuf/util/time_util.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;

#define REDRESSCTL_CONCAT_INNER(a, b) a##b
#define REDRESSCTL_CONCAT(a, b) REDRESSCTL_CONCAT_INNER(a, b)
// lhs = *expr, or return expr's error status.
#define REDRESSCTL_ASSIGN_OR_RETURN(lhs, expr)                        \
  auto REDRESSCTL_CONCAT(statusor_, __LINE__) = (expr);              \
  if (!REDRESSCTL_CONCAT(statusor_, __LINE__).ok())                  \
    return REDRESSCTL_CONCAT(statusor_, __LINE__).status();          \
  lhs = std::move(*REDRESSCTL_CONCAT(statusor_, __LINE__))

absl::Status InvalidFlag(const std::string& flag, const std::string& value,
                         const std::string& expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value \"", value, "\" for --", flag, ": expected ", expected));
}

absl::StatusOr<int32_t> ParseNonNegativeInt32(const std::string& flag, const std::string& text) {
  int32_t v = 0;
  if (!absl::SimpleAtoi(text, &v) || v < 0) {
    return InvalidFlag(flag, text, "a non-negative integer");
  }
  return v;
}

absl::StatusOr<int64_t> ParseNonNegativeInt64(const std::string& flag, const std::string& text) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(text, &v) || v < 0) {
    return InvalidFlag(flag, text, "a non-negative integer");
  }
  return v;
}


absl::StatusOr<v1::Channel> ChannelFlag(const Invocation& inv, const std::string& flag) {
  REDRESSCTL_ASSIGN_OR_RETURN(std::string text, RequiredValue(inv, flag));
  return ParseEnum<v1::Channel>(flag, text);
}

absl::StatusOr<v1::Level> LevelFlag(const Invocation& inv, const std::string& flag) {
  REDRESSCTL_ASSIGN_OR_RETURN(std::string text, RequiredValue(inv, flag));
  return ParseEnum<v1::Level>(flag, text);
}

}  // namespace

absl::StatusOr<std::pair<std::string, std::string>> ParseLabel(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return InvalidFlag("label", text, "KEY=VALUE");
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

absl::StatusOr<v1::Attachment> ParseAttachment(const std::string& text) {
  static const std::set<std::string> kKeys = {"file_name", "content_type", "size",
                                              "size_bytes", "sha256", "uri"};
  const std::string expected =
      "file_name=..,content_type=..,size=..,sha256=..,uri=.. (comma-separated key=value)";
  // Split into key=value fields; a piece without a known key continues the
  // previous value.
  std::vector<std::pair<std::string, std::string>> fields;
  for (absl::string_view piece_view : absl::StrSplit(text, ',')) {
    std::string piece(piece_view);
    size_t eq = piece.find('=');
    std::string key;
    if (eq != std::string::npos) {
      key = absl::AsciiStrToLower(
          absl::StrReplaceAll(absl::StripAsciiWhitespace(piece.substr(0, eq)), {{"-", "_"}}));
    }
    if (eq != std::string::npos && kKeys.contains(key)) {
      fields.emplace_back(key, piece.substr(eq + 1));
    } else if (!fields.empty()) {
      absl::StrAppend(&fields.back().second, ",", piece);
    } else {
      return InvalidFlag("attachment", text, expected);
    }
  }
  v1::Attachment a;
  std::set<std::string> seen;
  for (const auto& [key, value] : fields) {
    std::string canonical = key == "size_bytes" ? "size" : key;
    if (!seen.insert(canonical).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value \"", text, "\" for --attachment: ", canonical, " given twice"));
    }
    if (canonical == "file_name") a.set_file_name(value);
    if (canonical == "content_type") a.set_content_type(value);
    if (canonical == "sha256") a.set_sha256(value);
    if (canonical == "uri") a.set_uri(value);
    if (canonical == "size") {
      int64_t size = 0;
      if (!absl::SimpleAtoi(value, &size) || size < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "invalid value \"", text, "\" for --attachment: size must be a non-negative integer"));
      }
      a.set_size_bytes(size);
    }
  }
  return a;
}

absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(const std::string& flag,
                                                           const std::string& text) {
  google::protobuf::Timestamp ts;
  if (!google::protobuf::util::TimeUtil::FromString(text, &ts)) {
    return InvalidFlag(flag, text, "an RFC 3339 time such as 2026-01-31T09:30:00Z");
  }
  return ts;
}

absl::StatusOr<v1::SubmitComplaintRequest> BuildSubmitRequest(const Invocation& inv) {
  v1::SubmitComplaintRequest req;
  v1::Complaint* c = req.mutable_complaint();
  v1::Complainant* who = c->mutable_complainant();
  REDRESSCTL_ASSIGN_OR_RETURN(std::string display_name, RequiredValue(inv, "name"));
  who->set_display_name(display_name);
  if (auto v = inv.Value("email")) who->set_email(*v);
  if (auto v = inv.Value("phone")) who->set_phone(*v);
  if (auto v = inv.Value("customer-id")) who->set_customer_id(*v);
  if (inv.Value("preferred-channel").has_value()) {
    REDRESSCTL_ASSIGN_OR_RETURN(v1::Channel preferred, ChannelFlag(inv, "preferred-channel"));
    who->set_preferred_channel(preferred);
  }
  REDRESSCTL_ASSIGN_OR_RETURN(v1::Channel channel, ChannelFlag(inv, "channel"));
  c->set_channel(channel);
  if (auto v = inv.Value("product")) c->set_product(*v);
  if (auto v = inv.Value("category")) c->set_category(*v);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string description, RequiredValue(inv, "description"));
  c->set_description(description);
  if (auto v = inv.Value("remedy")) c->set_remedy_sought(*v);
  if (auto v = inv.Value("occurred")) {
    REDRESSCTL_ASSIGN_OR_RETURN(*c->mutable_occurrence_time(), ParseTimestamp("occurred", *v));
  }
  if (auto v = inv.Value("external-ref")) c->set_external_reference(*v);
  for (const std::string& text : inv.Values("label")) {
    REDRESSCTL_ASSIGN_OR_RETURN(auto label, ParseLabel(text));
    if (c->labels().contains(label.first)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--label ", label.first, " given more than once"));
    }
    (*c->mutable_labels())[label.first] = label.second;
  }
  for (const std::string& text : inv.Values("attachment")) {
    REDRESSCTL_ASSIGN_OR_RETURN(*c->add_attachments(), ParseAttachment(text));
  }
  std::optional<std::string> id = inv.Value("request-id");
  req.set_request_id(id.has_value() ? *id : NewUuidV4());
  return req;
}

absl::StatusOr<v1::GetComplaintRequest> BuildGetRequest(const Invocation& inv) {
  v1::GetComplaintRequest req;
  req.set_name(inv.name);
  return req;
}

absl::StatusOr<v1::ListComplaintsRequest> BuildListRequest(const Invocation& inv) {
  v1::ListComplaintsRequest req;
  if (auto v = inv.Value("filter")) req.set_filter(*v);
  if (auto v = inv.Value("page-size")) {
    REDRESSCTL_ASSIGN_OR_RETURN(int32_t size, ParseNonNegativeInt32("page-size", *v));
    req.set_page_size(size);
  }
  if (auto v = inv.Value("page-token")) req.set_page_token(*v);
  REDRESSCTL_ASSIGN_OR_RETURN(v1::ComplaintView view, ListViewFlag(inv));
  req.set_view(view);
  return req;
}

absl::StatusOr<v1::ListComplaintEventsRequest> BuildHistoryRequest(const Invocation& inv) {
  v1::ListComplaintEventsRequest req;
  req.set_parent(inv.name);
  if (auto v = inv.Value("page-size")) {
    REDRESSCTL_ASSIGN_OR_RETURN(int32_t size, ParseNonNegativeInt32("page-size", *v));
    req.set_page_size(size);
  }
  return req;
}

absl::StatusOr<v1::AcknowledgeComplaintRequest> BuildAckRequest(const Invocation& inv) {
  v1::AcknowledgeComplaintRequest req;
  SetTarget(inv, &req);
  if (inv.Value("channel").has_value()) {
    REDRESSCTL_ASSIGN_OR_RETURN(v1::Channel channel, ChannelFlag(inv, "channel"));
    req.set_channel(channel);
  }
  if (auto v = inv.Value("message")) req.set_message(*v);
  return req;
}

absl::StatusOr<v1::AssessComplaintRequest> BuildAssessRequest(const Invocation& inv) {
  v1::AssessComplaintRequest req;
  SetTarget(inv, &req);
  v1::Assessment* a = req.mutable_assessment();
  REDRESSCTL_ASSIGN_OR_RETURN(v1::Level severity, LevelFlag(inv, "severity"));
  REDRESSCTL_ASSIGN_OR_RETURN(v1::Level priority, LevelFlag(inv, "priority"));
  REDRESSCTL_ASSIGN_OR_RETURN(v1::Level complexity, LevelFlag(inv, "complexity"));
  REDRESSCTL_ASSIGN_OR_RETURN(v1::Level impact, LevelFlag(inv, "impact"));
  a->set_severity(severity);
  a->set_priority(priority);
  a->set_complexity(complexity);
  a->set_impact(impact);
  a->set_immediate_action_required(inv.Switch("immediate-action"));
  a->set_health_safety_issue(inv.Switch("health-safety"));
  if (auto v = inv.Value("rationale")) a->set_rationale(*v);
  return req;
}

absl::StatusOr<v1::AssignComplaintRequest> BuildAssignRequest(const Invocation& inv) {
  v1::AssignComplaintRequest req;
  SetTarget(inv, &req);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string assignee, RequiredValue(inv, "assignee"));
  req.set_assignee(assignee);
  return req;
}

absl::StatusOr<v1::StartInvestigationRequest> BuildInvestigateRequest(const Invocation& inv) {
  v1::StartInvestigationRequest req;
  SetTarget(inv, &req);
  if (auto v = inv.Value("plan")) req.set_plan(*v);
  return req;
}

absl::StatusOr<v1::AddComplaintNoteRequest> BuildNoteRequest(const Invocation& inv) {
  v1::AddComplaintNoteRequest req;
  SetTarget(inv, &req);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string text, RequiredValue(inv, "text"));
  req.set_text(text);
  REDRESSCTL_ASSIGN_OR_RETURN(
      v1::AddComplaintNoteRequest::Visibility visibility,
      ParseEnum<v1::AddComplaintNoteRequest::Visibility>(
          "visibility", inv.Value("visibility").value_or("internal"), EnumStyle::kLowerDashed));
  req.set_visibility(visibility);
  return req;
}

absl::StatusOr<v1::EscalateComplaintRequest> BuildEscalateRequest(const Invocation& inv) {
  v1::EscalateComplaintRequest req;
  SetTarget(inv, &req);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string reason, RequiredValue(inv, "reason"));
  req.set_reason(reason);
  return req;
}

absl::StatusOr<v1::RespondToComplaintRequest> BuildRespondRequest(const Invocation& inv) {
  v1::RespondToComplaintRequest req;
  SetTarget(inv, &req);
  v1::Response* r = req.mutable_response();
  REDRESSCTL_ASSIGN_OR_RETURN(std::string decision_text, RequiredValue(inv, "decision"));
  REDRESSCTL_ASSIGN_OR_RETURN(
      v1::Response::Decision decision,
      ParseEnum<v1::Response::Decision>("decision", decision_text, EnumStyle::kLowerDashed));
  r->set_decision(decision);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string text, RequiredValue(inv, "text"));
  r->set_text(text);
  REDRESSCTL_ASSIGN_OR_RETURN(v1::Channel via, ChannelFlag(inv, "via"));
  r->set_communicated_via(via);
  if (auto v = inv.Value("remedy")) r->set_remedy_offered(*v);
  std::optional<std::string> amount = inv.Value("amount");
  std::optional<std::string> currency = inv.Value("currency");
  if (amount.has_value() != currency.has_value()) {
    return absl::InvalidArgumentError(amount.has_value() ? "--amount requires --currency"
                                                         : "--currency requires --amount");
  }
  if (amount.has_value()) {
    REDRESSCTL_ASSIGN_OR_RETURN(int64_t minor, ParseNonNegativeInt64("amount", *amount));
    r->mutable_redress_amount()->set_amount_minor(minor);
    r->mutable_redress_amount()->set_currency_code(*currency);
  }
  return req;
}

absl::StatusOr<v1::RecordComplainantDecisionRequest> BuildDecideRequest(const Invocation& inv) {
  v1::RecordComplainantDecisionRequest req;
  SetTarget(inv, &req);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string outcome_text, RequiredValue(inv, "outcome"));
  REDRESSCTL_ASSIGN_OR_RETURN(v1::ComplainantDecision::Outcome outcome,
                              ParseEnum<v1::ComplainantDecision::Outcome>(
                                  "outcome", outcome_text, EnumStyle::kLowerDashed));
  req.mutable_decision()->set_outcome(outcome);
  if (auto v = inv.Value("comment")) req.mutable_decision()->set_comment(*v);
  return req;
}

absl::StatusOr<v1::OpenDisputeRequest> BuildDisputeRequest(const Invocation& inv) {
  v1::OpenDisputeRequest req;
  SetTarget(inv, &req);
  v1::Dispute* d = req.mutable_dispute();
  REDRESSCTL_ASSIGN_OR_RETURN(std::string kind_text, RequiredValue(inv, "kind"));
  REDRESSCTL_ASSIGN_OR_RETURN(
      v1::Dispute::Kind kind,
      ParseEnum<v1::Dispute::Kind>("kind", kind_text, EnumStyle::kLowerDashed));
  d->set_kind(kind);
  if (auto v = inv.Value("body")) d->set_body(*v);
  if (auto v = inv.Value("external-ref")) d->set_external_reference(*v);
  if (auto v = inv.Value("reason")) d->set_reason(*v);
  return req;
}

absl::StatusOr<v1::ResolveDisputeRequest> BuildResolveDisputeRequest(const Invocation& inv) {
  v1::ResolveDisputeRequest req;
  SetTarget(inv, &req);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string outcome_text, RequiredValue(inv, "outcome"));
  REDRESSCTL_ASSIGN_OR_RETURN(
      v1::Dispute::Outcome outcome,
      ParseEnum<v1::Dispute::Outcome>("outcome", outcome_text, EnumStyle::kLowerDashed));
  req.set_outcome(outcome);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string text, RequiredValue(inv, "text"));
  req.set_outcome_text(text);
  return req;
}

absl::StatusOr<v1::CloseComplaintRequest> BuildCloseRequest(const Invocation& inv) {
  v1::CloseComplaintRequest req;
  SetTarget(inv, &req);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string reason, RequiredValue(inv, "reason"));
  req.set_reason(reason);
  return req;
}

absl::StatusOr<v1::WithdrawComplaintRequest> BuildWithdrawRequest(const Invocation& inv) {
  v1::WithdrawComplaintRequest req;
  SetTarget(inv, &req);
  if (auto v = inv.Value("reason")) req.set_reason(*v);
  return req;
}

absl::StatusOr<v1::ReopenComplaintRequest> BuildReopenRequest(const Invocation& inv) {
  v1::ReopenComplaintRequest req;
  SetTarget(inv, &req);
  REDRESSCTL_ASSIGN_OR_RETURN(std::string reason, RequiredValue(inv, "reason"));
  req.set_reason(reason);
  return req;
}

absl::StatusOr<std::string> RequiredValue(const Invocation& inv, const std::string& flag) {
  std::optional<std::string> v = inv.Value(flag);
  if (!v.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("missing required flag --", flag));
  }
  return *v;
}

}  // namespace redress::cli
