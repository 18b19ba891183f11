// Walks one complaint from submission to closure with the generated C++
// stubs (Redress::redress_grpc), and checks what a caller relies on: state
// transitions, an idempotent retry (same request_id -> same answer) and the
// error codes. Exits 1 when anything differs.
//
//   example_lifecycle [--target HOST:PORT] [--actor NAME] [--handler NAME]
//                     [--token TOKEN] [--tls-ca PEM] [--tls-cert PEM --tls-key PEM]
//
// --token sends "authorization: Bearer TOKEN" (a server with an access
// configuration then takes the principal from it; pass that principal's name
// as --actor and --handler so that the checks on the recorded actor hold);
// --tls-* switch to TLS, --tls-cert/--tls-key to mutual TLS.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "redress/v1/complaint_service.grpc.pb.h"

namespace v1 = redress::v1;

namespace {

int failures = 0;

void Check(bool ok, std::string_view what) {
  std::cout << (ok ? "ok   " : "FAIL ") << what << "\n";
  if (!ok) ++failures;
}

// A random (version 4) UUID: the request_id that makes retries idempotent.
std::string NewRequestId() {
  static std::mt19937_64 rng{std::random_device{}()};
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(rng());
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[b[i] >> 4];
    s += kHex[b[i] & 15];
  }
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Connection {
  std::string token;
  std::string tls_ca, tls_cert, tls_key;  // PEM file paths; any set -> TLS
};

class Client {
 public:
  Client(const std::string& target, std::string actor, const Connection& conn)
      : actor_(std::move(actor)), token_(conn.token) {
    grpc::ChannelArguments args;
    // clients/service_config.json: per-method timeouts, retries of UNAVAILABLE.
    if (std::string config = ReadFile(REDRESS_SERVICE_CONFIG_FILE); !config.empty()) {
      args.SetServiceConfigJSON(config);
    }
    // Keepalive redressd accepts with gRPC's defaults (see clients/README.md).
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 360000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
    std::shared_ptr<grpc::ChannelCredentials> creds = grpc::InsecureChannelCredentials();
    if (!conn.tls_ca.empty() || !conn.tls_cert.empty()) {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = ReadFile(conn.tls_ca);  // empty: the system roots
      ssl.pem_cert_chain = ReadFile(conn.tls_cert);
      ssl.pem_private_key = ReadFile(conn.tls_key);
      creds = grpc::SslCredentials(ssl);
    }
    stub_ = v1::ComplaintService::NewStub(grpc::CreateCustomChannel(target, creds, args));
  }

  // Calls one RPC as `actor` (default: the client's). The deadline comes from
  // the service config.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (v1::ComplaintService::Stub::*method)(grpc::ClientContext*,
                                                                      const Request&, Response*),
                    const Request& request, Response* response, const std::string& actor = "") {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", actor.empty() ? actor_ : actor);
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
    return (stub_.get()->*method)(&ctx, request, response);
  }

 private:
  std::string actor_;
  std::string token_;
  std::unique_ptr<v1::ComplaintService::Stub> stub_;
};

using Stub = v1::ComplaintService::Stub;

}  // namespace

int main(int argc, char** argv) {
  std::string target = "127.0.0.1:50051", actor = "alice", handler = "bob";
  Connection conn;
  if (const char* t = std::getenv("REDRESS_TOKEN")) conn.token = t;
  bool usage = argc % 2 == 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--target") target = argv[i + 1];
    else if (flag == "--actor") actor = argv[i + 1];
    else if (flag == "--handler") handler = argv[i + 1];
    else if (flag == "--token") conn.token = argv[i + 1];
    else if (flag == "--tls-ca") conn.tls_ca = argv[i + 1];
    else if (flag == "--tls-cert") conn.tls_cert = argv[i + 1];
    else if (flag == "--tls-key") conn.tls_key = argv[i + 1];
    else usage = true;
  }
  if (usage || conn.tls_cert.empty() != conn.tls_key.empty()) {
    std::cerr << "usage: example_lifecycle [--target HOST:PORT] [--actor NAME] [--handler NAME]\n"
                 "                         [--token TOKEN] [--tls-ca PEM] [--tls-cert PEM --tls-key PEM]\n";
    return 2;
  }
  Client client(target, actor, conn);
  v1::Complaint c;

  // Submit (RECEIVED).
  v1::SubmitComplaintRequest submit;
  submit.set_request_id(NewRequestId());
  v1::Complaint* draft = submit.mutable_complaint();
  draft->mutable_complainant()->set_display_name("Ada Lovelace");
  draft->mutable_complainant()->set_email("ada@example.org");
  draft->set_channel(v1::CHANNEL_EMAIL);
  draft->set_category("billing");
  draft->set_description("Charged twice for one card payment on 3 November.");
  grpc::Status s = client.Call(&Stub::SubmitComplaint, submit, &c);
  if (!s.ok()) {
    std::cerr << "SubmitComplaint: " << s.error_code() << " " << s.error_message() << "\n";
    return 1;
  }
  std::cout << "submitted " << c.name() << " " << c.reference() << "\n";
  Check(c.state() == v1::Complaint::STATE_RECEIVED, "submit -> RECEIVED");

  // Retrying the same request (same request_id) returns the first answer.
  v1::Complaint again;
  s = client.Call(&Stub::SubmitComplaint, submit, &again);
  Check(s.ok() && again.name() == c.name() && again.etag() == c.etag(),
        "retry with the same request_id -> same complaint and etag");

  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(c.name());
  ack.set_request_id(NewRequestId());
  ack.set_message("Thank you, we are looking into it.");
  s = client.Call(&Stub::AcknowledgeComplaint, ack, &c);
  Check(s.ok() && c.state() == v1::Complaint::STATE_ACKNOWLEDGED, "acknowledge -> ACKNOWLEDGED");

  v1::AssessComplaintRequest assess;
  assess.set_name(c.name());
  assess.set_request_id(NewRequestId());
  v1::Assessment* a = assess.mutable_assessment();
  a->set_severity(v1::LEVEL_MEDIUM);
  a->set_priority(v1::LEVEL_HIGH);
  a->set_complexity(v1::LEVEL_LOW);
  a->set_impact(v1::LEVEL_MEDIUM);
  s = client.Call(&Stub::AssessComplaint, assess, &c);
  Check(s.ok() && c.assessment().assessor() == actor, "assess (assessor is the actor)");

  v1::AssignComplaintRequest assign;
  assign.set_name(c.name());
  assign.set_request_id(NewRequestId());
  assign.set_assignee(handler);
  s = client.Call(&Stub::AssignComplaint, assign, &c);
  Check(s.ok() && c.assignee() == handler, "assign");

  v1::StartInvestigationRequest investigate;
  investigate.set_name(c.name());
  investigate.set_request_id(NewRequestId());
  investigate.set_etag(c.etag());  // conditional: ABORTED if changed meanwhile
  investigate.set_plan("Check the card processor's settlement file");
  s = client.Call(&Stub::StartInvestigation, investigate, &c, handler);
  Check(s.ok() && c.state() == v1::Complaint::STATE_INVESTIGATING, "investigate -> INVESTIGATING");

  v1::RespondToComplaintRequest respond;
  respond.set_name(c.name());
  respond.set_request_id(NewRequestId());
  v1::Response* r = respond.mutable_response();
  r->set_decision(v1::Response::DECISION_UPHELD);
  r->set_text("We have refunded the duplicate charge.");
  r->set_communicated_via(v1::CHANNEL_EMAIL);
  r->mutable_redress_amount()->set_currency_code("GBP");
  r->mutable_redress_amount()->set_amount_minor(4250);
  s = client.Call(&Stub::RespondToComplaint, respond, &c, handler);
  Check(s.ok() && c.state() == v1::Complaint::STATE_RESPONDED, "respond -> RESPONDED");

  v1::RecordComplainantDecisionRequest decide;
  decide.set_name(c.name());
  decide.set_request_id(NewRequestId());
  decide.mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_ACCEPTED);
  s = client.Call(&Stub::RecordComplainantDecision, decide, &c);
  Check(s.ok() && c.state() == v1::Complaint::STATE_CLOSED, "accepted -> CLOSED");
  Check(c.event_count() == 7, "7 events in the history");

  // Errors a caller must handle.
  v1::Complaint unused;
  ack.set_request_id(NewRequestId());
  s = client.Call(&Stub::AcknowledgeComplaint, ack, &unused);
  Check(s.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
            s.error_message().find("CLOSED") != std::string::npos,
        "acknowledge when CLOSED -> FAILED_PRECONDITION naming the state");

  v1::GetComplaintRequest get;
  get.set_name("complaints/" + NewRequestId());
  s = client.Call(&Stub::GetComplaint, get, &unused);
  Check(s.error_code() == grpc::StatusCode::NOT_FOUND, "unknown complaint -> NOT_FOUND");

  submit.set_request_id(NewRequestId());
  submit.mutable_complaint()->mutable_complainant()->set_email("not-an-address");
  s = client.Call(&Stub::SubmitComplaint, submit, &unused);
  Check(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
            s.error_message().rfind("complaint.complainant.email:", 0) == 0,
        "bad e-mail -> INVALID_ARGUMENT naming complaint.complainant.email");

  std::cout << (failures == 0 ? "all checks passed" : "some checks FAILED") << "\n";
  return failures == 0 ? 0 : 1;
}
