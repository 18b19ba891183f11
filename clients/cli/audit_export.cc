#include "clients/cli/audit_export.h"

#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/cli/enums.h"
#include "clients/cli/json.h"
#include "clients/cli/requests.h"
#include "clients/cli/uuid.h"
#include "google/protobuf/util/json_util.h"
#include "server/domain/event_hash.h"
#include "server/domain/time_util.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;

constexpr char kFormat[] = "redress-audit-trail/1";

std::string ComplaintOf(const std::string& event_name) {
  size_t pos = event_name.find("/events/");
  return pos == std::string::npos ? event_name : event_name.substr(0, pos);
}

std::string JsonList(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out = "[";
  for (int i = 0; i < items.size(); ++i) {
    if (i > 0) out += ",";
    out += JsonString(items[i]);
  }
  return out + "]";
}

absl::Status NoHeader() {
  return absl::FailedPreconditionError("the export stream did not start with a header");
}

}  // namespace

std::string Rfc3339Micros(int64_t unix_micros) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", absl::FromUnixMicros(unix_micros),
                          absl::UTCTimeZone());
}

std::string ExportFilterJson(const v1::ExportAuditTrailRequest& request) {
  v1::ExportAuditTrailRequest filter = request;
  filter.clear_include_personal_data();
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(filter, &json, options).ok()) return "{}";
  return json;
}

void JsonlExportWriter::Line(const std::string& json) {
  out_ << json << '\n';
  ++lines_;
}

absl::Status JsonlExportWriter::Add(const v1::ExportAuditTrailResponse& item) {
  using R = v1::ExportAuditTrailResponse;
  if (item.record_case() == R::kHeader) {
    if (header_seen_) return absl::FailedPreconditionError("the export stream repeats its header");
    header_seen_ = true;
    const v1::ExportHeader& h = item.header();
    complete_ = h.complete();
    std::string personal = h.personal_data();
    if (personal.empty()) personal = include_personal_data_ ? "included" : "redacted";
    Line(absl::StrCat(R"({"record":"header","format":")", kFormat, R"(","export_time":)",
                      JsonString(Rfc3339Micros(domain::ToUnixMicros(h.export_time()))),
                      R"(,"filter":)", filter_json_, R"(,"personal_data":)", JsonString(personal),
                      R"(,"complete":)", complete_ ? "true" : "false", "}"));
    return absl::OkStatus();
  }
  if (!header_seen_) return NoHeader();
  switch (item.record_case()) {
    case R::kEntry: {
      const v1::LedgerEntry& entry = item.entry();
      const v1::ComplaintEvent& e = entry.event();
      std::string line = absl::StrCat(
          R"({"record":"event","ledger_index":)", entry.ledger_index(),
          R"(,"complaint":)", JsonString(ComplaintOf(e.name())), R"(,"sequence":)", e.sequence(),
          R"(,"type":)", JsonString(domain::EventTypeName(e.type())),
          R"(,"from_state":)", static_cast<int>(e.from_state()),
          R"(,"to_state":)", static_cast<int>(e.to_state()), R"(,"actor":)",
          JsonString(e.actor()),
          e.actor_kind() == v1::ComplaintEvent::ACTOR_KIND_UNSPECIFIED
              ? ""
              : absl::StrCat(R"(,"actor_kind":)",
                             e.actor_kind() == v1::ComplaintEvent::ACTOR_KIND_SYSTEM
                                 ? R"("SYSTEM")"
                                 : R"("PRINCIPAL")"),
          R"(,"request_id":)", JsonString(e.request_id()),
          R"(,"event_time_us":)", domain::ToUnixMicros(e.event_time()), R"(,"payload":)",
          JsonString(e.payload()), R"(,"prev_hash":)", JsonString(e.prev_hash()),
          R"(,"hash":)", JsonString(e.hash()));
      if (!complete_) absl::StrAppend(&line, R"(,"inclusion_proof":)", JsonList(entry.inclusion_proof()));
      Line(line + "}");
      ++events_;
      return absl::OkStatus();
    }
    case R::kComplainant: {
      const v1::ComplainantRecord& c = item.complainant();
      Line(absl::StrCat(R"({"record":"complainant","complaint":)", JsonString(c.complaint()),
                        R"(,"display_name":)", JsonString(c.display_name()), R"(,"email":)",
                        JsonString(c.email()), R"(,"phone":)", JsonString(c.phone()),
                        R"(,"customer_id":)", JsonString(c.customer_id()), "}"));
      ++complaints_;
      return absl::OkStatus();
    }
    case R::kCheckpoint:
      if (consistency_from_ > 0) {
        held_.push_back(item.checkpoint());
      } else {
        WriteCheckpoint(item.checkpoint());
      }
      return absl::OkStatus();
    case R::kConsistency:
      if (consistency_from_ > 0) {
        return absl::FailedPreconditionError(
            "the export stream carries consistency proofs; --consistency-from cannot be added");
      }
      WriteConsistency(item.consistency());
      return absl::OkStatus();
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("the export stream has an item of unknown kind (field ",
                       static_cast<int>(item.record_case()), ")"));
  }
}

void JsonlExportWriter::WriteCheckpoint(const v1::SignedCheckpoint& c) {
  Line(absl::StrCat(R"({"record":"checkpoint","tree_size":)", c.tree_size(), R"(,"root_hash":)",
                    JsonString(c.root_hash()), R"(,"seal_time_us":)", c.seal_time_us(),
                    R"(,"key_id":)", JsonString(c.key_id()), R"(,"signature":)",
                    JsonString(c.signature()), "}"));
  ++checkpoints_;
}

void JsonlExportWriter::WriteConsistency(const v1::ConsistencyProof& c) {
  Line(absl::StrCat(R"({"record":"consistency","first":)", c.first(), R"(,"second":)",
                    c.second(), R"(,"proof":)", JsonList(c.proof()), "}"));
}

absl::Status JsonlExportWriter::Finish() {
  if (!header_seen_) return NoHeader();
  if (consistency_from_ > 0) {
    if (held_.empty()) {
      return absl::FailedPreconditionError(
          "--consistency-from: the export has no checkpoint to link to");
    }
    const int64_t last = held_.back().tree_size();
    if (consistency_from_ > last) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--consistency-from ", consistency_from_,
          " is beyond the export's last checkpoint (tree_size ", last, ")"));
    }
    std::optional<v1::ConsistencyProof> proof;
    if (consistency_from_ < last) {
      absl::StatusOr<v1::ConsistencyProof> fetched = fetch_(consistency_from_, last);
      if (!fetched.ok()) return fetched.status();
      if (fetched->first() != consistency_from_ || fetched->second() != last) {
        return absl::FailedPreconditionError(
            "GetConsistencyProof answered for other tree sizes than asked");
      }
      proof = std::move(*fetched);
      bool present = false;
      for (const auto& c : held_) present = present || c.tree_size() == consistency_from_;
      if (!present) {
        auto at = held_.begin();
        while (at != held_.end() && at->tree_size() < consistency_from_) ++at;
        held_.insert(at, proof->first_checkpoint());
      }
    }
    for (const auto& c : held_) WriteCheckpoint(c);
    if (proof.has_value()) WriteConsistency(*proof);
  }
  Line(absl::StrCat(R"({"record":"footer","event_count":)", events_, R"(,"line_count":)",
                    lines_ + 1, "}"));
  return absl::OkStatus();
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

absl::Status CsvExportWriter::Add(const v1::ExportAuditTrailResponse& item) {
  using R = v1::ExportAuditTrailResponse;
  if (item.record_case() == R::kHeader) {
    if (header_seen_) return absl::FailedPreconditionError("the export stream repeats its header");
    header_seen_ = true;
    out_ << "ledger_index,complaint,sequence,type,from_state,to_state,actor,request_id,"
            "event_time,payload,prev_hash,hash\r\n";
    return absl::OkStatus();
  }
  if (!header_seen_) return NoHeader();
  if (item.record_case() == R::kComplainant) ++complaints_;
  if (item.record_case() == R::kCheckpoint) ++checkpoints_;
  if (item.record_case() != R::kEntry) return absl::OkStatus();
  const v1::ComplaintEvent& e = item.entry().event();
  std::vector<std::string> cells = {
      absl::StrCat(item.entry().ledger_index()),
      ComplaintOf(e.name()),
      absl::StrCat(e.sequence()),
      domain::EventTypeName(e.type()),
      absl::StrCat(static_cast<int>(e.from_state())),
      absl::StrCat(static_cast<int>(e.to_state())),
      e.actor(),
      e.request_id(),
      Rfc3339Micros(domain::ToUnixMicros(e.event_time())),
      e.payload(),
      e.prev_hash(),
      e.hash(),
  };
  for (std::string& c : cells) c = CsvField(c);
  out_ << absl::StrJoin(cells, ",") << "\r\n";
  ++events_;
  return absl::OkStatus();
}

absl::Status CsvExportWriter::Finish() {
  if (!header_seen_) return NoHeader();
  return absl::OkStatus();
}

absl::StatusOr<v1::ExportAuditTrailRequest> BuildExportRequest(const Invocation& inv) {
  v1::ExportAuditTrailRequest req;
  if (auto v = inv.Value("from")) {
    absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp("from", *v);
    if (!ts.ok()) return ts.status();
    *req.mutable_start_time() = *ts;
  }
  if (auto v = inv.Value("to")) {
    absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp("to", *v);
    if (!ts.ok()) return ts.status();
    *req.mutable_end_time() = *ts;
  }
  for (const std::string& c : inv.Values("complaint")) {
    absl::StatusOr<std::string> name = NormalizeComplaintName(c);
    if (!name.ok()) return absl::InvalidArgumentError(absl::StrCat("--complaint: ", name.status().message()));
    req.add_complaints(*name);
  }
  if (auto v = inv.Value("state")) {
    absl::StatusOr<v1::Complaint::State> s = ParseEnum<v1::Complaint::State>("state", *v);
    if (!s.ok()) return s.status();
    req.set_state(*s);
  }
  if (auto v = inv.Value("category")) req.set_category(*v);
  req.set_include_personal_data(inv.Switch("include-personal-data"));
  return req;
}

absl::StatusOr<ExportFormat> ExportFormatFlag(const Invocation& inv) {
  std::string f = inv.Value("format").value_or("jsonl");
  if (f == "jsonl") return ExportFormat::kJsonl;
  if (f == "csv") return ExportFormat::kCsv;
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value \"", f, "\" for --format: expected jsonl or csv"));
}

absl::StatusOr<v1::EraseComplainantDataRequest> BuildEraseRequest(const Invocation& inv) {
  v1::EraseComplainantDataRequest req;
  req.set_name(inv.name);
  if (auto v = inv.Value("etag")) req.set_etag(*v);
  std::optional<std::string> id = inv.Value("request-id");
  req.set_request_id(id.has_value() ? *id : NewUuidV4());
  std::optional<std::string> reason = inv.Value("reason");
  if (!reason.has_value()) return absl::InvalidArgumentError("missing required flag --reason");
  req.set_reason(*reason);
  return req;
}

absl::StatusOr<v1::SweepRetentionRequest> BuildSweepRequest(const Invocation& inv) {
  v1::SweepRetentionRequest req;
  req.set_dry_run(inv.Switch("dry-run"));
  return req;
}

absl::StatusOr<v1::ListCheckpointsRequest> BuildListCheckpointsRequest(const Invocation& inv) {
  v1::ListCheckpointsRequest req;
  if (auto v = inv.Value("page-size")) {
    int32_t size = 0;
    if (!absl::SimpleAtoi(*v, &size) || size < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value \"", *v, "\" for --page-size: expected a non-negative integer"));
    }
    req.set_page_size(size);
  }
  return req;
}

}  // namespace redress::cli
