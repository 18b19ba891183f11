#include "clients/cli/run.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/cli/commands.h"
#include "clients/cli/output.h"
#include "clients/cli/requests.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "server/domain/event_hash.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using Stub = v1::ComplaintService::StubInterface;

constexpr char kActorMetadataKey[] = "x-redress-actor";

constexpr char kServiceConfig[] = R"json({
  "methodConfig": [{
    "name": [{"service": "redress.v1.ComplaintService"}],
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
  Runner(const Invocation& inv, Stub& stub, std::ostream& out, std::ostream& err)
      : inv_(inv), stub_(stub), out_(out), err_(err) {}

  int Run();

 private:
  // A context with the actor metadata and the per-call deadline.
  void Prepare(grpc::ClientContext* ctx) const {
    if (!inv_.globals.actor.empty()) ctx->AddMetadata(kActorMetadataKey, inv_.globals.actor);
    auto timeout = std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double>(inv_.globals.timeout_seconds));
    ctx->set_deadline(std::chrono::system_clock::now() + timeout);
  }

  int UsageError(const absl::Status& status) const {
    err_ << "redressctl: " << status.message() << "\n"
         << "Run 'redressctl " << inv_.command->name << " --help' for usage.\n";
    return kExitUsage;
  }

  int RpcError(const grpc::Status& status) const {
    err_ << "error: " << StatusCodeName(status.error_code()) << ": " << status.error_message()
         << "\n";
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

  const Invocation& inv_;
  Stub& stub_;
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
    out_ << "\nmore: --page-token " << result.next_page_token() << "\n";
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

int Runner::Run() {
  const std::string& name = inv_.command->name;
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
  if (name == "reopen") {
    return Unary(BuildReopenRequest(inv_), [this](auto* ctx, const auto& req, auto* resp) {
      return stub_.ReopenComplaint(ctx, req, resp);
    });
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

int Execute(const Invocation& inv, Stub& stub, std::ostream& out, std::ostream& err) {
  if (inv.command == nullptr) {
    err << "redressctl: no command given\n";
    return kExitUsage;
  }
  return Runner(inv, stub, out, err).Run();
}

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
         const EnvLookup& env) {
  absl::StatusOr<Invocation> inv = ParseCommandLine(args, env);
  if (!inv.ok()) {
    std::string hint = "redressctl --help";
    for (const std::string& a : args) {
      if (FindCommand(a) != nullptr) {
        hint = "redressctl " + a + " --help";
        break;
      }
    }
    err << "redressctl: " << inv.status().message() << "\n"
        << "Run '" << hint << "' for usage.\n";
    return kExitUsage;
  }
  if (inv->help) {
    out << (inv->command != nullptr ? CommandHelp(*inv->command) : GlobalHelp());
    return kExitOk;
  }
  std::shared_ptr<grpc::Channel> channel = MakeChannel(inv->globals.server);
  std::unique_ptr<v1::ComplaintService::Stub> stub = v1::ComplaintService::NewStub(channel);
  return Execute(*inv, *stub, out, err);
}

}  // namespace redress::cli
