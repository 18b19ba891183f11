#include "clients/cli/output.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "clients/cli/clocks.h"
#include "clients/cli/enums.h"
#include "clients/cli/terminal_text.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "google/protobuf/util/time_util.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;

using KeyValues = std::vector<std::pair<std::string, std::string>>;

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }
std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string OneLine(const std::string& s) {
  return absl::StrReplaceAll(s, {{"\r\n", " "}, {"\n", " "}, {"\r", " "}, {"\t", " "}});
}

// Label of a set enum value; "-" for the zero (unspecified) value.
template <typename E>
std::string EnumCell(E value) {
  return static_cast<int>(value) == 0 ? "-" : EnumLabel(value);
}

std::string KeyValueBlock(const KeyValues& rows) {
  size_t width = 0;
  for (const auto& [key, value] : rows) width = std::max(width, key.size());
  std::string out;
  const std::string continuation(width + 2, ' ');
  for (const auto& [key, value] : rows) {
    // Text from the server is untrusted: no control character reaches the
    // terminal raw (terminal_text.h); a newline continues the value.
    std::string v = TerminalSafe(absl::StrReplaceAll(value, {{"\r\n", "\n"}, {"\t", " "}}), "\n");
    absl::StrAppend(&out, key, ":", std::string(width - key.size() + 1, ' '),
                    absl::StrReplaceAll(v, {{"\n", "\n" + continuation}}), "\n");
  }
  return out;
}

void AddIfSet(KeyValues* rows, const std::string& key, const std::string& value) {
  if (!value.empty()) rows->emplace_back(key, value);
}

void AddTimeIfSet(KeyValues* rows, const std::string& key, bool has,
                  const google::protobuf::Timestamp& ts) {
  if (has) rows->emplace_back(key, FormatTimestamp(ts));
}

absl::StatusOr<std::string> JsonWithArray(const google::protobuf::Message& message,
                                          const std::string& field, bool empty) {
  absl::StatusOr<std::string> json = ToJson(message);
  if (!json.ok() || !empty) return json;
  // The printer leaves empty repeated fields out: put the empty array in.
  std::string body(absl::StripTrailingAsciiWhitespace(*json));
  std::string array = absl::StrCat("\"", field, "\": []");
  if (body == "{}" || body == "{\n}") return absl::StrCat("{\n ", array, "\n}\n");
  if (absl::StartsWith(body, "{\n")) {
    return absl::StrCat("{\n ", array, ",\n", body.substr(2), "\n");
  }
  return absl::StrCat("{", array, ",", body.substr(1), "\n");
}

}  // namespace

std::string FormatRpcError(grpc::StatusCode code, const std::string& message,
                           const std::string& binary_details) {
  std::string out = absl::StrCat("error: ", StatusCodeName(code), ": ", TerminalSafe(message), "\n");
  google::rpc::Status details;
  if (binary_details.empty() || !details.ParseFromString(binary_details)) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (!any.Is<google::rpc::BadRequest>() || !any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) {
      absl::StrAppend(&out, "field_violation: ", TerminalSafe(v.field()), ": ",
                      TerminalSafe(v.description()), "\n");
    }
  }
  return out;
}

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: break;
  }
  return absl::StrCat("CODE_", static_cast<int>(code));
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "-";
  return google::protobuf::util::TimeUtil::ToString(ts);
}

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back(header);
  for (const auto& row : rows) {
    std::vector<std::string> r;
    for (const std::string& cell : row) r.push_back(OrDash(TerminalSafe(OneLine(cell))));
    r.resize(header.size(), "-");
    cells.push_back(std::move(r));
  }
  std::vector<size_t> width(header.size(), 0);
  for (const auto& r : cells) {
    for (size_t i = 0; i < header.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : cells) {
    std::string line;
    for (size_t i = 0; i < header.size(); ++i) {
      absl::StrAppend(&line, r[i]);
      if (i + 1 < header.size()) line.append(width[i] - r[i].size() + 2, ' ');
    }
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(line), "\n");
  }
  return out;
}

std::string ComplaintTable(const v1::Complaint& c) {
  KeyValues rows = {
      {"name", OrDash(c.name())},
      {"reference", OrDash(c.reference())},
      {"state", EnumCell(c.state())},
      {"etag", OrDash(c.etag())},
      {"channel", EnumCell(c.channel())},
      {"category", OrDash(c.category())},
  };
  AddIfSet(&rows, "product", c.product());
  rows.emplace_back("assignee", OrDash(c.assignee()));
  rows.emplace_back("escalation level", absl::StrCat(c.escalation_level()));
  rows.emplace_back("created", FormatTimestamp(c.create_time()));
  rows.emplace_back("updated", FormatTimestamp(c.update_time()));
  rows.emplace_back("complainant", OrDash(c.complainant().display_name()));
  AddIfSet(&rows, "external reference", c.external_reference());
  if (c.event_count() > 0) rows.emplace_back("events", absl::StrCat(c.event_count()));

  if (c.has_assessment()) {
    const v1::Assessment& a = c.assessment();
    rows.emplace_back("severity", EnumCell(a.severity()));
    rows.emplace_back("priority", EnumCell(a.priority()));
    rows.emplace_back("complexity", EnumCell(a.complexity()));
    rows.emplace_back("impact", EnumCell(a.impact()));
    rows.emplace_back("immediate action", YesNo(a.immediate_action_required()));
    rows.emplace_back("health and safety", YesNo(a.health_safety_issue()));
    AddIfSet(&rows, "rationale", a.rationale());
    AddIfSet(&rows, "assessor", a.assessor());
    AddTimeIfSet(&rows, "assessed", a.has_assess_time(), a.assess_time());
  }
  if (c.has_response()) {
    const v1::Response& r = c.response();
    rows.emplace_back("decision", EnumCell(r.decision()));
    AddIfSet(&rows, "response", r.text());
    AddIfSet(&rows, "remedy offered", r.remedy_offered());
    if (r.has_redress_amount()) {
      rows.emplace_back("redress amount",
                        absl::StrCat(r.redress_amount().currency_code(), " ",
                                     r.redress_amount().amount_minor(), " (minor units)"));
    }
    rows.emplace_back("communicated via", EnumCell(r.communicated_via()));
    if (r.summary_resolution()) rows.emplace_back("summary resolution", "yes");
    AddIfSet(&rows, "responder", r.responder());
    AddTimeIfSet(&rows, "responded", r.has_respond_time(), r.respond_time());
  }
  if (c.has_complainant_decision()) {
    const v1::ComplainantDecision& d = c.complainant_decision();
    rows.emplace_back("complainant decision", EnumCell(d.outcome()));
    AddIfSet(&rows, "decision comment", d.comment());
    AddTimeIfSet(&rows, "decided", d.has_decide_time(), d.decide_time());
  }
  if (c.has_dispute()) {
    const v1::Dispute& d = c.dispute();
    rows.emplace_back("dispute", EnumCell(d.kind()));
    AddIfSet(&rows, "dispute body", d.body());
    AddIfSet(&rows, "dispute reference", d.external_reference());
    AddIfSet(&rows, "dispute reason", d.reason());
    AddTimeIfSet(&rows, "dispute opened", d.has_open_time(), d.open_time());
    if (d.outcome() != v1::Dispute::OUTCOME_UNSPECIFIED) {
      rows.emplace_back("dispute outcome", EnumCell(d.outcome()));
    }
    AddIfSet(&rows, "dispute outcome text", d.outcome_text());
    AddTimeIfSet(&rows, "dispute resolved", d.has_resolve_time(), d.resolve_time());
  }
  AddIfSet(&rows, "closure reason", c.closure_reason());
  AddTimeIfSet(&rows, "closed", c.has_close_time(), c.close_time());
  for (auto& row : ClockRows(c)) rows.push_back(std::move(row));
  return absl::StrCat(KeyValueBlock(rows), DeadlineSection(c));
}

std::string ComplaintListTable(const v1::ListComplaintsResponse& response) {
  // With deadlines (view FULL), the next deadline of each complaint too.
  bool with_deadlines = false;
  for (const v1::Complaint& c : response.complaints()) with_deadlines |= !c.deadlines().empty();
  std::vector<std::vector<std::string>> rows;
  for (const v1::Complaint& c : response.complaints()) {
    rows.push_back({c.name(), c.reference(), EnumCell(c.state()), EnumCell(c.channel()),
                    c.category(), c.assignee(), FormatTimestamp(c.create_time())});
    if (with_deadlines) rows.back().push_back(NextDeadlineCell(c));
  }
  std::vector<std::string> header = {"NAME",     "REFERENCE", "STATE",  "CHANNEL",
                                     "CATEGORY", "ASSIGNEE",  "CREATED"};
  if (with_deadlines) header.push_back("NEXT DEADLINE");
  return FormatTable(header, rows);
}

std::string EventTable(const v1::ListComplaintEventsResponse& response) {
  std::vector<std::vector<std::string>> rows;
  for (const v1::ComplaintEvent& e : response.events()) {
    rows.push_back({absl::StrCat(e.sequence()), FormatTimestamp(e.event_time()),
                    EnumCell(e.type()), EnumCell(e.from_state()), EnumCell(e.to_state()),
                    e.actor(), e.hash().substr(0, 12)});
  }
  return FormatTable({"SEQ", "TIME", "TYPE", "FROM", "TO", "ACTOR", "HASH"}, rows);
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("JSON encoding failed: ", status.ToString()));
  }
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  // The printer escapes C0 and C1 controls but leaves e.g. the bidi isolates
  // U+2066-U+2069 raw: escape whatever it left (the same JSON value).
  return TerminalSafeJson(json);
}

absl::StatusOr<std::string> CheckpointListJson(const v1::ListCheckpointsResponse& response) {
  return JsonWithArray(response, "checkpoints", response.checkpoints().empty());
}

absl::StatusOr<std::string> SweepJson(const v1::SweepRetentionResponse& response) {
  return JsonWithArray(response, "complaints", response.complaints().empty());
}

std::string CheckpointTable(const v1::ListCheckpointsResponse& response) {
  std::vector<std::vector<std::string>> rows;
  for (const v1::SignedCheckpoint& c : response.checkpoints()) {
    rows.push_back({absl::StrCat(c.tree_size()),
                    FormatTimestamp(google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
                        c.seal_time_us())),
                    c.key_id(), c.root_hash()});
  }
  return FormatTable({"TREE_SIZE", "SEALED", "KEY_ID", "ROOT_HASH"}, rows);
}

absl::StatusOr<std::string> ListJson(const v1::ListComplaintsResponse& response) {
  return JsonWithArray(response, "complaints", response.complaints().empty());
}

absl::StatusOr<std::string> HistoryJson(const v1::ListComplaintEventsResponse& response) {
  return JsonWithArray(response, "events", response.events().empty());
}

}  // namespace redress::cli
