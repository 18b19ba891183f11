#include "clients/cli/run.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/action_commands.h"
#include "clients/cli/audit_export.h"
#include "clients/cli/audit_verify.h"
#include "clients/cli/clocks.h"
#include "clients/cli/commands.h"
#include "clients/cli/json.h"
#include "clients/cli/output.h"
#include "clients/cli/report.h"
#include "clients/cli/requests.h"
#include "clients/cli/terminal_text.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "server/version.h"
#include "server/domain/event_hash.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using Stub = v1::ComplaintService::StubInterface;
using AuditStub = v1::AuditService::StubInterface;

constexpr char kActorMetadataKey[] = "x-redress-actor";

constexpr char kServiceConfig[] = R"json({
  "methodConfig": [{
    "name": [{"service": "redress.v1.ComplaintService"},
             {"service": "redress.v1.AuditService", "method": "GetSigningKey"},
             {"service": "redress.v1.AuditService", "method": "ListCheckpoints"},
             {"service": "redress.v1.AuditService", "method": "GetConsistencyProof"},
             {"service": "redress.v1.AuditService", "method": "EraseComplainantData"}],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.2s",
      "maxBackoff": "2s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

class Runner {
 public:
  Runner(const Invocation& inv, Stub& stub, AuditStub* audit, std::ostream& out,
         std::ostream& err)
      : inv_(inv), stub_(stub), audit_(audit), out_(out), err_(err) {}

  int Run();

 private:
  // A context with the actor metadata and the per-call deadline.
  void Prepare(grpc::ClientContext* ctx) const {
    AddCredentials(ctx);
    auto timeout = std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double>(inv_.globals.timeout_seconds));
    ctx->set_deadline(std::chrono::system_clock::now() + timeout);
  }

  void AddCredentials(grpc::ClientContext* ctx) const {
    if (!inv_.globals.actor.empty()) ctx->AddMetadata(kActorMetadataKey, inv_.globals.actor);
    if (!inv_.globals.token.empty()) {
      ctx->AddMetadata("authorization", "Bearer " + inv_.globals.token);
    }
  }

  int UsageError(const absl::Status& status) const {
    err_ << "redressctl: " << status.message() << "\n"
         << "Run 'redressctl " << inv_.command->name << " --help' for usage.\n";
    return kExitUsage;
  }

  int RpcError(const grpc::Status& status) const {
    err_ << FormatRpcError(status.error_code(), status.error_message(), status.error_details());
    return kExitFailure;
  }

  int LocalError(const absl::Status& status) const {
    err_ << "error: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
         << "\n";
    return kExitFailure;
  }

  int PrintJson(const absl::StatusOr<std::string>& json) const {
    if (!json.ok()) return LocalError(json.status());
    out_ << *json;
    return kExitOk;
  }

  int PrintComplaint(const v1::Complaint& complaint) const {
    if (inv_.globals.output == OutputFormat::kJson) return PrintJson(ToJson(complaint));
    out_ << ComplaintTable(complaint);
    return kExitOk;
  }

  // Builds the request, makes one unary call returning a Complaint, prints it.
  template <typename Request, typename Call>
  int Unary(absl::StatusOr<Request> request, Call call) {
    if (!request.ok()) return UsageError(request.status());
    grpc::ClientContext ctx;
    Prepare(&ctx);
    v1::Complaint response;
    grpc::Status status = call(&ctx, *request, &response);
    if (!status.ok()) return RpcError(status);
    return PrintComplaint(response);
  }

  int List();
  int History();
  int Statistics();
  int RunAudit();
  int AuditVerify();
  int AuditExport();
  int AuditPublicKey();
  int AuditCheckpoints();
  int RetentionSweep();

  const Invocation& inv_;
  Stub& stub_;
  AuditStub* audit_;
  std::ostream& out_;
  std::ostream& err_;
};

int Runner::List() {
  absl::StatusOr<v1::ListComplaintsRequest> request = BuildListRequest(inv_);
  if (!request.ok()) return UsageError(request.status());
  const bool all = inv_.Switch("all");
  v1::ListComplaintsResponse result;
  while (true) {
    grpc::ClientContext ctx;
    Prepare(&ctx);
    v1::ListComplaintsResponse page;
    grpc::Status status = stub_.ListComplaints(&ctx, *request, &page);
    if (!status.ok()) return RpcError(status);
    for (v1::Complaint& c : *page.mutable_complaints()) *result.add_complaints() = std::move(c);
    if (!all || page.next_page_token().empty()) {
      result.set_next_page_token(page.next_page_token());
      break;
    }
    if (page.next_page_token() == request->page_token()) {
      return LocalError(absl::InternalError("server returned the same page token twice"));
    }
    request->set_page_token(page.next_page_token());
  }
  if (inv_.globals.output == OutputFormat::kJson) return PrintJson(ListJson(result));
  out_ << ComplaintListTable(result);
  if (!result.next_page_token().empty()) {
    out_ << "\nmore: --page-token " << TerminalSafe(result.next_page_token()) << "\n";
  }
  return kExitOk;
}

// `stats` prints the figures; `report` writes them as HTML (and CSV).
int Runner::Statistics() {
  absl::StatusOr<v1::GetComplaintStatisticsRequest> request = BuildStatisticsRequest(inv_);
  if (!request.ok()) return UsageError(request.status());
  const bool report = inv_.command->name == "report";
  const std::string html_path = inv_.Value("html").value_or("");
  const std::string csv_path = inv_.Value("csv").value_or("");
  if (report && html_path.empty()) {
    return UsageError(absl::InvalidArgumentError("--html must not be empty"));
  }
  if (report && inv_.Value("csv").has_value() && csv_path.empty()) {
    return UsageError(absl::InvalidArgumentError("--csv must not be empty"));
  }
  if (report && csv_path == html_path) {
    return UsageError(absl::InvalidArgumentError("--csv and --html name the same file"));
  }
  grpc::ClientContext ctx;
  Prepare(&ctx);
  v1::ComplaintStatistics stats;
  grpc::Status status = stub_.GetComplaintStatistics(&ctx, *request, &stats);
  if (!status.ok()) return RpcError(status);
  if (!report) {
    if (inv_.globals.output == OutputFormat::kJson) return PrintJson(ToJson(stats));
    out_ << StatisticsTable(stats);
    return kExitOk;
  }
  ReportOptions options;
  if (auto v = inv_.Value("title")) options.title = *v;
  options.selection = StatisticsSelection(*request);
  if (absl::Status s = WriteFileAtomically(html_path, RenderReportHtml(stats, options));
      !s.ok()) {
    return LocalError(s);
  }
  if (!csv_path.empty()) {
    if (absl::Status s = WriteFileAtomically(csv_path, RenderReportCsv(stats)); !s.ok()) {
      return LocalError(s);
    }
  }
  if (inv_.globals.output == OutputFormat::kJson) {
    out_ << "{\n \"html\": " << JsonString(html_path);
    if (!csv_path.empty()) out_ << ",\n \"csv\": " << JsonString(csv_path);
    out_ << ",\n \"complaint_count\": " << stats.complaint_count()
         << ",\n \"category_count\": " << stats.categories_size() << "\n}\n";
  } else {
    out_ << "wrote " << html_path << " (" << stats.complaint_count()
         << (stats.complaint_count() == 1 ? " complaint" : " complaints") << ", "
         << stats.weeks_size() << (stats.weeks_size() == 1 ? " week" : " weeks") << ")\n";
    if (!csv_path.empty()) {
      out_ << "wrote " << csv_path << " (" << stats.categories_size()
           << (stats.categories_size() == 1 ? " category" : " categories") << " and a total)\n";
    }
  }
  return kExitOk;
}

int Runner::History() {
  absl::StatusOr<v1::ListComplaintEventsRequest> request = BuildHistoryRequest(inv_);
  if (!request.ok()) return UsageError(request.status());
  v1::ListComplaintEventsResponse result;
  while (true) {
    grpc::ClientContext ctx;
    Prepare(&ctx);
    v1::ListComplaintEventsResponse page;
    grpc::Status status = stub_.ListComplaintEvents(&ctx, *request, &page);
    if (!status.ok()) return RpcError(status);
    for (v1::ComplaintEvent& e : *page.mutable_events()) *result.add_events() = std::move(e);
    if (page.next_page_token().empty()) break;
    if (page.next_page_token() == request->page_token()) {
      return LocalError(absl::InternalError("server returned the same page token twice"));
    }
    request->set_page_token(page.next_page_token());
  }
  const bool json = inv_.globals.output == OutputFormat::kJson;
  if (json) {
    if (int rc = PrintJson(HistoryJson(result)); rc != kExitOk) return rc;
  } else {
    out_ << EventTable(result);
  }
  if (!inv_.Switch("verify")) return kExitOk;
  std::vector<v1::ComplaintEvent> events(result.events().begin(), result.events().end());
  absl::Status verified = redress::domain::VerifyEventChain(events);
  if (!verified.ok()) return LocalError(verified);
  // Keep stdout valid JSON in JSON mode.
  (json ? err_ : out_) << "chain verified: " << events.size() << (events.size() == 1 ? " event\n" : " events\n");
  return kExitOk;
}

int Runner::AuditVerify() {
  absl::StatusOr<std::string> key = LoadPublicKeyArgument(inv_.Value("public-key").value_or(""));
  if (!key.ok()) return UsageError(key.status());
  if (inv_.command->name == "audit verify") {
    return RunAuditVerify(inv_.args.at(0), *key, out_, err_);
  }
  return RunAuditVerifyConsistency(inv_.args.at(0), inv_.args.at(1), *key, out_, err_);
}

int Runner::AuditExport() {
  absl::StatusOr<v1::ExportAuditTrailRequest> request = BuildExportRequest(inv_);
  if (!request.ok()) return UsageError(request.status());
  absl::StatusOr<ExportFormat> format = ExportFormatFlag(inv_);
  if (!format.ok()) return UsageError(format.status());
  double deadline_seconds = 3600;
  if (auto v = inv_.Value("deadline")) {
    if (!absl::SimpleAtod(*v, &deadline_seconds) || !std::isfinite(deadline_seconds) ||
        deadline_seconds <= 0) {
      return UsageError(absl::InvalidArgumentError(absl::StrCat(
          "invalid value \"", *v, "\" for --deadline: expected a positive number of seconds")));
    }
  }
  const std::string path = inv_.Value("out").value_or("");
  if (path.empty()) return UsageError(absl::InvalidArgumentError("--out must not be empty"));
  const std::string tmp = path + ".tmp";
  std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
  if (!file) {
    return LocalError(absl::UnavailableError(
        absl::StrCat("cannot write ", tmp, ": ", std::strerror(errno))));
  }
  auto discard = [&](int rc) {
    file.close();
    std::remove(tmp.c_str());
    return rc;
  };
  int64_t consistency_from = 0;
  if (auto v = inv_.Value("consistency-from")) {
    if (!absl::SimpleAtoi(*v, &consistency_from) || consistency_from <= 0) {
      return discard(UsageError(absl::InvalidArgumentError(absl::StrCat(
          "invalid value \"", *v, "\" for --consistency-from: expected a positive tree size"))));
    }
    if (*format != ExportFormat::kJsonl) {
      return discard(UsageError(
          absl::InvalidArgumentError("--consistency-from needs --format jsonl")));
    }
  }
  std::unique_ptr<ExportWriter> writer;
  if (*format == ExportFormat::kJsonl) {
    auto jsonl = std::make_unique<JsonlExportWriter>(file, ExportFilterJson(*request),
                                                     request->include_personal_data());
    if (consistency_from > 0) {
      jsonl->AddConsistencyFrom(
          consistency_from,
          [this](int64_t first, int64_t second) -> absl::StatusOr<v1::ConsistencyProof> {
            grpc::ClientContext ctx;
            Prepare(&ctx);
            v1::GetConsistencyProofRequest req;
            req.set_first_tree_size(first);
            req.set_second_tree_size(second);
            v1::ConsistencyProof proof;
            grpc::Status status = audit_->GetConsistencyProof(&ctx, req, &proof);
            if (!status.ok()) {
              return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                                  absl::StrCat("GetConsistencyProof: ", status.error_message()));
            }
            return proof;
          });
    }
    writer = std::move(jsonl);
  } else {
    writer = std::make_unique<CsvExportWriter>(file);
  }

  grpc::ClientContext ctx;
  AddCredentials(&ctx);
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(
                       std::chrono::duration<double>(deadline_seconds)));
  std::unique_ptr<grpc::ClientReaderInterface<v1::ExportAuditTrailResponse>> reader =
      audit_->ExportAuditTrail(&ctx, *request);
  v1::ExportAuditTrailResponse item;
  absl::Status written = absl::OkStatus();
  while (reader->Read(&item)) {
    written = writer->Add(item);
    if (!written.ok()) {
      ctx.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  if (!written.ok()) return discard(LocalError(written));
  if (!status.ok()) return discard(RpcError(status));
  written = writer->Finish();
  if (!written.ok()) return discard(LocalError(written));
  file.flush();
  file.close();
  if (file.fail()) {
    std::remove(tmp.c_str());
    return LocalError(absl::UnavailableError(absl::StrCat("error writing ", tmp)));
  }
  if (int fd = open(tmp.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    fsync(fd);
    close(fd);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::remove(tmp.c_str());
    return LocalError(absl::UnavailableError(
        absl::StrCat("cannot rename ", tmp, " to ", path, ": ", std::strerror(e))));
  }
  if (inv_.globals.output == OutputFormat::kJson) {
    out_ << "{\n \"file\": \"" << path << "\",\n \"events\": " << writer->events()
         << ",\n \"complaints\": " << writer->complaints()
         << ",\n \"checkpoints\": " << writer->checkpoints() << "\n}\n";
  } else {
    out_ << "exported " << writer->events() << (writer->events() == 1 ? " event" : " events")
         << ", " << writer->complaints()
         << (writer->complaints() == 1 ? " complaint" : " complaints") << ", "
         << writer->checkpoints() << (writer->checkpoints() == 1 ? " checkpoint" : " checkpoints")
         << " to " << path << "\n";
  }
  return kExitOk;
}

int Runner::AuditPublicKey() {
  grpc::ClientContext ctx;
  Prepare(&ctx);
  v1::SigningKey key;
  grpc::Status status = audit_->GetSigningKey(&ctx, v1::GetSigningKeyRequest(), &key);
  if (!status.ok()) return RpcError(status);
  if (inv_.globals.output == OutputFormat::kJson) return PrintJson(ToJson(key));
  out_ << key.public_key() << "\n";
  return kExitOk;
}

int Runner::AuditCheckpoints() {
  absl::StatusOr<v1::ListCheckpointsRequest> request = BuildListCheckpointsRequest(inv_);
  if (!request.ok()) return UsageError(request.status());
  v1::ListCheckpointsResponse result;
  while (true) {
    grpc::ClientContext ctx;
    Prepare(&ctx);
    v1::ListCheckpointsResponse page;
    grpc::Status status = audit_->ListCheckpoints(&ctx, *request, &page);
    if (!status.ok()) return RpcError(status);
    for (v1::SignedCheckpoint& c : *page.mutable_checkpoints()) {
      *result.add_checkpoints() = std::move(c);
    }
    if (page.next_page_token().empty()) break;
    if (page.next_page_token() == request->page_token()) {
      return LocalError(absl::InternalError("server returned the same page token twice"));
    }
    request->set_page_token(page.next_page_token());
  }
  if (inv_.globals.output == OutputFormat::kJson) return PrintJson(CheckpointListJson(result));
  out_ << CheckpointTable(result);
  return kExitOk;
}

int Runner::RetentionSweep() {
  absl::StatusOr<v1::SweepRetentionRequest> request = BuildSweepRequest(inv_);
  if (!request.ok()) return UsageError(request.status());
  grpc::ClientContext ctx;
  Prepare(&ctx);
  v1::SweepRetentionResponse response;
  grpc::Status status = audit_->SweepRetention(&ctx, *request, &response);
  if (!status.ok()) return RpcError(status);
  if (inv_.globals.output == OutputFormat::kJson) return PrintJson(SweepJson(response));
  const bool dry = request->dry_run();
  for (const std::string& c : response.complaints()) {
    out_ << (dry ? "due: " : "erased: ") << TerminalSafe(c) << "\n";
  }
  const int n = response.complaints_size();
  out_ << (dry ? "would erase the personal data of " : "erased the personal data of ") << n
       << (n == 1 ? " complaint" : " complaints") << " (retention " << response.retention_days()
       << " days)\n";
  return kExitOk;
}

int Runner::RunAudit() {
  const std::string& name = inv_.command->name;
  if (name == "audit verify" || name == "audit verify-consistency") return AuditVerify();
  if (audit_ == nullptr) {
    err_ << "redressctl: command '" << name << "' needs the AuditService\n";
    return kExitUsage;
  }
  if (name == "erase") {
    return Unary(BuildEraseRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return audit_->EraseComplainantData(ctx, req, resp);
    });
  }
  if (name == "retention sweep") return RetentionSweep();
  if (name == "audit export") return AuditExport();
  if (name == "audit public-key") return AuditPublicKey();
  if (name == "audit checkpoints") return AuditCheckpoints();
  err_ << "redressctl: command '" << name << "' is not implemented\n";
  return kExitUsage;
}

int Runner::Run() {
  const std::string& name = inv_.command->name;
  if (inv_.command->service != "ComplaintService") return RunAudit();
  if (name == "submit") {
    return Unary(BuildSubmitRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.SubmitComplaint(ctx, req, resp);
    });
  }
  if (name == "get") {
    return Unary(BuildGetRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.GetComplaint(ctx, req, resp);
    });
  }
  if (name == "list") return List();
  if (name == "history") return History();
  if (name == "ack") {
    return Unary(BuildAckRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.AcknowledgeComplaint(ctx, req, resp);
    });
  }
  if (name == "assess") {
    return Unary(BuildAssessRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.AssessComplaint(ctx, req, resp);
    });
  }
  if (name == "assign") {
    return Unary(BuildAssignRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.AssignComplaint(ctx, req, resp);
    });
  }
  if (name == "investigate") {
    return Unary(BuildInvestigateRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.StartInvestigation(ctx, req, resp);
    });
  }
  if (name == "note") {
    return Unary(BuildNoteRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.AddComplaintNote(ctx, req, resp);
    });
  }
  if (name == "escalate") {
    return Unary(BuildEscalateRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.EscalateComplaint(ctx, req, resp);
    });
  }
  if (name == "respond") {
    return Unary(BuildRespondRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.RespondToComplaint(ctx, req, resp);
    });
  }
  if (name == "decide") {
    return Unary(BuildDecideRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.RecordComplainantDecision(ctx, req, resp);
    });
  }
  if (name == "dispute") {
    return Unary(BuildDisputeRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.OpenDispute(ctx, req, resp);
    });
  }
  if (name == "resolve-dispute") {
    return Unary(BuildResolveDisputeRequest(inv_),
                 [this](auto* ctx, const auto& req, auto* resp) {
                   return stub_.ResolveDispute(ctx, req, resp);
                 });
  }
  if (name == "close") {
    return Unary(BuildCloseRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.CloseComplaint(ctx, req, resp);
    });
  }
  if (name == "withdraw") {
    return Unary(BuildWithdrawRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.WithdrawComplaint(ctx, req, resp);
    });
  }
  if (name == "request-info") {
    return Unary(BuildRequestInfoRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.RequestInformation(ctx, req, resp);
    });
  }
  if (name == "receive-info") {
    return Unary(BuildReceiveInfoRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.ReceiveInformation(ctx, req, resp);
    });
  }
  if (name == "holding-response") {
    return Unary(BuildHoldingResponseRequest(inv_),
                 [this](auto* ctx, const auto& req, auto* resp) {
                   return stub_.SendHoldingResponse(ctx, req, resp);
                 });
  }
  if (name == "extend-deadline") {
    return Unary(BuildExtendDeadlineRequest(inv_),
                 [this](auto* ctx, const auto& req, auto* resp) {
                   return stub_.ExtendDeadline(ctx, req, resp);
                 });
  }
  if (name == "recompute-deadlines") {
    return Unary(BuildRecomputeDeadlinesRequest(inv_),
                 [this](auto* ctx, const auto& req, auto* resp) {
                   return stub_.RecomputeDeadlines(ctx, req, resp);
                 });
  }
  if (name == "satisfaction") {
    return Unary(BuildSatisfactionRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.RecordSatisfaction(ctx, req, resp);
    });
  }
  if (name == "stats" || name == "report") return Statistics();
  if (name == "reopen") {
    return Unary(BuildReopenRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.ReopenComplaint(ctx, req, resp);
    });
  }
  if (const ActionCommand* action = FindActionCommand(inv_.command->rpc); action != nullptr) {
    absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request = action->build(inv_);
    if (!request.ok()) return UsageError(request.status());
    grpc::ClientContext ctx;
    Prepare(&ctx);
    v1::Complaint response;
    grpc::Status status = action->call(stub_, &ctx, **request, &response);
    if (!status.ok()) return RpcError(status);
    return PrintComplaint(response);
  }
  err_ << "redressctl: command '" << name << "' is not implemented\n";
  return kExitUsage;
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& server) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(kServiceConfig);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), args);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const GlobalOptions& options) {
  if (!options.tls()) return MakeChannel(options.server);
  auto read = [](const std::string& flag, const std::string& path) -> absl::StatusOr<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, ": cannot read ", path, ": ", std::strerror(errno)));
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
  };
  grpc::SslCredentialsOptions ssl;
  if (!options.tls_ca.empty()) {
    absl::StatusOr<std::string> ca = read("tls-ca", options.tls_ca);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
  }
  if (!options.tls_cert.empty()) {
    absl::StatusOr<std::string> cert = read("tls-cert", options.tls_cert);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = read("tls-key", options.tls_key);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *cert;
    ssl.pem_private_key = *key;
  }
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(kServiceConfig);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  return grpc::CreateCustomChannel(options.server, grpc::SslCredentials(ssl), args);
}

int Execute(const Invocation& inv, Stub& stub, std::ostream& out, std::ostream& err) {
  return Execute(inv, stub, nullptr, out, err);
}

int Execute(const Invocation& inv, Stub& stub, AuditStub* audit, std::ostream& out,
            std::ostream& err) {
  if (inv.command == nullptr) {
    err << "redressctl: no command given\n";
    return kExitUsage;
  }
  return Runner(inv, stub, audit, out, err).Run();
}

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
         const EnvLookup& env) {
  absl::StatusOr<Invocation> inv = ParseCommandLine(args, env);
  if (!inv.ok()) {
    std::string hint = "redressctl --help";
    for (size_t i = 0; i < args.size(); ++i) {
      std::string candidate = args[i];
      if (IsCommandGroup(candidate) && i + 1 < args.size()) candidate += " " + args[i + 1];
      if (FindCommand(candidate) != nullptr) {
        hint = "redressctl " + candidate + " --help";
        break;
      }
    }
    err << "redressctl: " << inv.status().message() << "\n"
        << "Run '" << hint << "' for usage.\n";
    return kExitUsage;
  }
  if (inv->version && !inv->help) {
    out << VersionLine("redressctl") << "\n";
    return kExitOk;
  }
  if (inv->help) {
    out << (inv->command != nullptr ? CommandHelp(*inv->command) : GlobalHelp());
    return kExitOk;
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> made = MakeChannel(inv->globals);
  if (!made.ok()) {
    err << "redressctl: " << made.status().message() << "\n";
    return kExitUsage;
  }
  std::shared_ptr<grpc::Channel> channel = *made;
  std::unique_ptr<v1::ComplaintService::Stub> stub = v1::ComplaintService::NewStub(channel);
  std::unique_ptr<v1::AuditService::Stub> audit = v1::AuditService::NewStub(channel);
  return Execute(*inv, *stub, audit.get(), out, err);
}

}  // namespace redress::cli
