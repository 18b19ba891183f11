// The catalogue of malformed and hostile requests (security issue): each one
// gets the right status code; a refused request writes nothing; an accepted
// one is stored verbatim (injection strings are data, never code).
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>

#include "absl/strings/match.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "redress/v1/audit_service.grpc.pb.h"
#include "redress/v1/complaint_service.grpc.pb.h"
#include "redress/v1/event_service.grpc.pb.h"
#include "server/api/authenticator.h"
#include "server/api/grpc_server.h"
#include "server/domain/ids.h"
#include "tests/testing/test_db.h"

namespace redress::api {
namespace {

namespace v1 = redress::v1;
using Mutator = std::function<void(v1::SubmitComplaintRequest&, const std::string&)>;

// The field path of the machine-readable detail of an INVALID_ARGUMENT
// (grpc-status-details-bin: google.rpc.Status holding one google.rpc.BadRequest
// with one field violation), checked against the readable message
// "<field>: <description>". "" if the detail is missing or inconsistent.
std::string ViolatedField(const grpc::Status& st) {
  google::rpc::Status rpc;
  google::rpc::BadRequest bad;
  if (st.error_details().empty() || !rpc.ParseFromString(st.error_details())) return "";
  if (rpc.code() != st.error_code() || rpc.message() != st.error_message()) return "";
  if (rpc.details_size() != 1 || !rpc.details(0).UnpackTo(&bad)) return "";
  if (bad.field_violations_size() != 1) return "";
  const auto& fv = bad.field_violations(0);
  if (fv.field() + ": " + fv.description() != st.error_message()) return "";
  return fv.field();
}

struct TextField {
  const char* name;
  size_t limit;
  Mutator set;
  bool free_text;   // accepts quotes, angle brackets, semicolons
  bool multi_line;  // accepts LF, CR and tab (no other control character, see below)
};

std::vector<TextField> Fields() {
  auto c = [](v1::SubmitComplaintRequest& r) { return r.mutable_complaint(); };
  return {
      {"complaint.complainant.display_name", 256,
       [c](auto& r, const std::string& v) { c(r)->mutable_complainant()->set_display_name(v); }, true, false},
      {"complaint.complainant.email", 254,
       [c](auto& r, const std::string& v) { c(r)->mutable_complainant()->set_email(v); }, false, false},
      {"complaint.complainant.phone", 32,
       [c](auto& r, const std::string& v) { c(r)->mutable_complainant()->set_phone(v); }, false, false},
      {"complaint.complainant.customer_id", 128,
       [c](auto& r, const std::string& v) { c(r)->mutable_complainant()->set_customer_id(v); }, true, false},
      {"complaint.product", 256, [c](auto& r, const std::string& v) { c(r)->set_product(v); }, true, false},
      {"complaint.category", 128, [c](auto& r, const std::string& v) { c(r)->set_category(v); }, false, false},
      {"complaint.description", 65536, [c](auto& r, const std::string& v) { c(r)->set_description(v); }, true, true},
      {"complaint.remedy_sought", 4096, [c](auto& r, const std::string& v) { c(r)->set_remedy_sought(v); }, true, true},
      {"complaint.external_reference", 256,
       [c](auto& r, const std::string& v) { c(r)->set_external_reference(v); }, true, false},
      {"complaint.labels[k]", 256,
       [c](auto& r, const std::string& v) { (*c(r)->mutable_labels())["k"] = v; }, true, false},
      {"complaint.attachments[0].content_type", 128,
       [c](auto& r, const std::string& v) { c(r)->mutable_attachments(0)->set_content_type(v); }, true, false},
      {"complaint.attachments[0].uri", 2048,
       [c](auto& r, const std::string& v) { c(r)->mutable_attachments(0)->set_uri(v); }, true, false},
      {"complaint.attachments[0].file_name", 256,
       [c](auto& r, const std::string& v) { c(r)->mutable_attachments(0)->set_file_name(v); }, true, false},
  };
}

// On both backends: what is refused must write nothing, and what is accepted
// must come back byte for byte, whatever the database does with text.
class HostileInputTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<testing::TestDatabase>(GetParam());
    REDRESS_REQUIRE_DB(*db_);
    store::ComplaintStore::Options o;
    o.url = db_->url();
    auto opened = store::ComplaintStore::Open(o, clock_.Now());
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    engine_ = std::make_unique<core::ComplaintEngine>(store_.get(), &clock_, core::ComplaintEngine::Options{});
    signer_ = domain::CheckpointSigner::Generate();
    sealer_ = std::make_unique<core::CheckpointSealer>(store_.get(), signer_.get(), &clock_,
                                                       core::CheckpointSealer::Options{});
    audit_ = std::make_unique<core::AuditEngine>(store_.get(), engine_.get(), sealer_.get(), &clock_,
                                                 core::AuditEngine::Options{});
    Authenticator::Options auth_options;
    auth_options.default_rate_per_second = 1e9;
    auth_options.dev_allow_personal_data = true;  // stored verbatim includes the complainant
    auth_ = std::make_unique<Authenticator>(nullptr, auth_options);
    GrpcServerOptions so;
    so.listen = "127.0.0.1:0";
    so.log_sink = [this](const std::string& line) {
      std::lock_guard<std::mutex> l(mu_);
      log_ += line + "\n";
    };
    auto started = GrpcServer::Start(so, auth_.get(), engine_.get(), audit_.get());
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(*started);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::ComplaintService::NewStub(channel_);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(absl::Seconds(1));
  }

  static v1::SubmitComplaintRequest Good() {
    v1::SubmitComplaintRequest r;
    auto* c = r.mutable_complaint();
    c->mutable_complainant()->set_display_name("Ada");
    c->set_channel(v1::CHANNEL_WEB);
    c->set_description("d");
    auto* a = c->add_attachments();
    a->set_file_name("f.pdf");
    a->set_sha256(std::string(64, 'a'));
    return r;
  }

  grpc::Status Submit(const v1::SubmitComplaintRequest& r, v1::Complaint* out) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", "catalogue");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub_->SubmitComplaint(&ctx, r, out);
  }

  grpc::Status Raw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub generic(channel_);
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", "catalogue");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer req(&slice, 1), resp;
    std::promise<grpc::Status> done;
    generic.UnaryCall(&ctx, method, grpc::StubOptions(), &req, &resp,
                      [&done](grpc::Status st) { done.set_value(st); });
    return done.get_future().get();
  }

  std::map<std::string, int64_t> Counts() { return *store_->CountRows(); }

  std::unique_ptr<testing::TestDatabase> db_;
  domain::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<store::ComplaintStore> store_;
  std::unique_ptr<core::ComplaintEngine> engine_;
  std::unique_ptr<domain::CheckpointSigner> signer_;
  std::unique_ptr<core::CheckpointSealer> sealer_;
  std::unique_ptr<core::AuditEngine> audit_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ComplaintService::Stub> stub_;
  std::mutex mu_;
  std::string log_;
};

TEST_P(HostileInputTest, EveryTextFieldAgainstEveryHostileString) {
  const std::string sql = "x'; DROP TABLE complaints; --";
  const std::string script = "<script>alert(document.cookie)</script>";
  int cases = 0;
  for (const TextField& f : Fields()) {
    struct Case {
      std::string label, value;
      bool accepted;
    };
    std::vector<Case> hostile = {
        {"oversized", std::string(f.limit + 1, 'x'), false},
        {"bell control character", "a\x07" "b", false},
        {"ANSI escape", "\x1b[31mred", false},
        {"NUL byte", std::string("a\0b", 3), false},
        {"SQL injection", sql, f.free_text},
        {"script injection", script, f.free_text && std::string(f.name).find("file_name") == std::string::npos},
        // Unicode general category Cc beyond C0: DEL and the C1 controls
        // (U+009B is the 8-bit terminal CSI: "ESC [" in one character).
        {"DEL", "a\x7f" "b", false},
        {"C1 U+0080", "a\xc2\x80" "b", false},
        {"C1 CSI U+009B", "a\xc2\x9b" "31mRED", false},
        {"C1 U+009F", "a\xc2\x9f" "b", false},
        // Bidirectional override and isolate controls (Trojan Source).
        {"bidi RLO U+202E", "a\xe2\x80\xae" "b", false},
        {"bidi LRI U+2066", "a\xe2\x81\xa6" "b", false},
        // The whitespace multi-line text documents, refused in single-line text.
        {"newline", "a\nb", f.multi_line},
        // Ordinary non-ASCII text: e-acute, an emoji, a no-break space.
        {"accents, emoji and U+00A0", "caf\xc3\xa9 \xf0\x9f\x98\x80\xc2\xa0" "x", f.free_text},
    };
    for (const Case& h : hostile) {
      SCOPED_TRACE(std::string(f.name) + " <- " + h.label);
      ++cases;
      v1::SubmitComplaintRequest r = Good();
      f.set(r, h.value);
      const auto before = Counts();
      v1::Complaint out;
      grpc::Status st = Submit(r, &out);
      if (h.accepted) {
        ASSERT_TRUE(st.ok()) << st.error_message();
        // Stored verbatim: the database holds the text as data.
        v1::GetComplaintRequest get;
        get.set_name(out.name());
        v1::Complaint back;
        grpc::ClientContext ctx;
        ctx.AddMetadata("x-redress-actor", "catalogue");
        ASSERT_TRUE(stub_->GetComplaint(&ctx, get, &back).ok());
        // Setting the field to the hostile value again changes nothing: the
        // stored complaint already holds it, byte for byte.
        v1::SubmitComplaintRequest probe;
        *probe.mutable_complaint() = back;
        f.set(probe, h.value);
        EXPECT_EQ(probe.complaint().SerializeAsString(), back.SerializeAsString());
        EXPECT_EQ(back.description(), r.complaint().description());
        auto after = Counts();
        EXPECT_EQ(after["complaints"], before.at("complaints") + 1);
        EXPECT_EQ(after["complaint_events"], before.at("complaint_events") + 1);
      } else {
        EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
        EXPECT_EQ(st.error_message().rfind(f.name, 0), 0u) << st.error_message();
        EXPECT_EQ(ViolatedField(st), f.name) << st.error_message();
        EXPECT_EQ(Counts(), before);
      }
    }
  }
  EXPECT_EQ(cases, 182);
}

// A string field of a request other than SubmitComplaint, by its path
// below the request ("response.text"), and the RPC that carries it.
struct RequestTextField {
  std::string method;  // full gRPC method name
  std::string path;
  bool names_code_point;  // free text: the message names the refused code point
};

// The request each method gets in RequestTextFields(), valid but for the
// field under test. `name` is filled in by the test.
std::unique_ptr<google::protobuf::Message> BaseRequest(const std::string& method) {
  const std::string m = method.substr(method.rfind('/') + 1);
  if (m == "AcknowledgeComplaint") return std::make_unique<v1::AcknowledgeComplaintRequest>();
  if (m == "AssessComplaint") {
    auto r = std::make_unique<v1::AssessComplaintRequest>();
    auto* a = r->mutable_assessment();
    a->set_severity(v1::LEVEL_LOW);
    a->set_priority(v1::LEVEL_LOW);
    a->set_complexity(v1::LEVEL_LOW);
    a->set_impact(v1::LEVEL_LOW);
    return r;
  }
  if (m == "AssignComplaint") return std::make_unique<v1::AssignComplaintRequest>();
  if (m == "StartInvestigation") return std::make_unique<v1::StartInvestigationRequest>();
  if (m == "AddComplaintNote") {
    auto r = std::make_unique<v1::AddComplaintNoteRequest>();
    r->set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
    return r;
  }
  if (m == "EscalateComplaint") return std::make_unique<v1::EscalateComplaintRequest>();
  if (m == "RespondToComplaint") {
    auto r = std::make_unique<v1::RespondToComplaintRequest>();
    r->mutable_response()->set_decision(v1::Response::DECISION_UPHELD);
    r->mutable_response()->set_text("t");
    r->mutable_response()->set_communicated_via(v1::CHANNEL_EMAIL);
    r->mutable_response()->mutable_redress_amount()->set_currency_code("GBP");
    return r;
  }
  if (m == "RecordComplainantDecision") {
    auto r = std::make_unique<v1::RecordComplainantDecisionRequest>();
    r->mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_ACCEPTED);
    return r;
  }
  if (m == "OpenDispute") {
    auto r = std::make_unique<v1::OpenDisputeRequest>();
    r->mutable_dispute()->set_kind(v1::Dispute::KIND_EXTERNAL_ADR);
    r->mutable_dispute()->set_body("Ombudsman");
    return r;
  }
  if (m == "ResolveDispute") {
    auto r = std::make_unique<v1::ResolveDisputeRequest>();
    r->set_outcome(v1::Dispute::OUTCOME_RESPONSE_UPHELD);
    return r;
  }
  if (m == "CloseComplaint") return std::make_unique<v1::CloseComplaintRequest>();
  if (m == "WithdrawComplaint") return std::make_unique<v1::WithdrawComplaintRequest>();
  if (m == "ReopenComplaint") return std::make_unique<v1::ReopenComplaintRequest>();
  if (m == "RequestInformation") return std::make_unique<v1::RequestInformationRequest>();
  if (m == "ReceiveInformation") return std::make_unique<v1::ReceiveInformationRequest>();
  if (m == "SendHoldingResponse") return std::make_unique<v1::SendHoldingResponseRequest>();
  if (m == "ExtendDeadline") {
    auto r = std::make_unique<v1::ExtendDeadlineRequest>();
    r->mutable_extension()->set_kind(v1::DEADLINE_KIND_FINAL_RESPONSE);
    r->mutable_extension()->set_amount(5);
    return r;
  }
  if (m == "RecomputeDeadlines") return std::make_unique<v1::RecomputeDeadlinesRequest>();
  if (m == "RecordSatisfaction") {
    auto r = std::make_unique<v1::RecordSatisfactionRequest>();
    r->mutable_satisfaction()->set_csat_score(4);
    return r;
  }
  if (m == "EraseComplainantData") return std::make_unique<v1::EraseComplainantDataRequest>();
  if (m == "GetComplaintStatistics") return std::make_unique<v1::GetComplaintStatisticsRequest>();
  return nullptr;
}

std::vector<RequestTextField> RequestTextFields() {
  const std::string cs = "/redress.v1.ComplaintService/";
  const std::string audit = "/redress.v1.AuditService/";
  return {
      {cs + "AcknowledgeComplaint", "message", true},
      {cs + "AssessComplaint", "assessment.rationale", true},
      {cs + "AssignComplaint", "assignee", false},  // printable ASCII without spaces
      {cs + "StartInvestigation", "plan", true},
      {cs + "AddComplaintNote", "text", true},
      {cs + "EscalateComplaint", "reason", true},
      {cs + "RespondToComplaint", "response.remedy_offered", true},
      {cs + "RespondToComplaint", "response.text", true},
      {cs + "RespondToComplaint", "response.redress_amount.currency_code", false},  // ISO 4217 list
      {cs + "RecordComplainantDecision", "decision.comment", true},
      {cs + "OpenDispute", "dispute.body", true},
      {cs + "OpenDispute", "dispute.external_reference", true},
      {cs + "OpenDispute", "dispute.reason", true},
      {cs + "ResolveDispute", "outcome_text", true},
      {cs + "CloseComplaint", "reason", true},
      {cs + "WithdrawComplaint", "reason", true},
      {cs + "ReopenComplaint", "reason", true},
      {cs + "RequestInformation", "information", true},
      {cs + "ReceiveInformation", "summary", true},
      {cs + "SendHoldingResponse", "text", true},
      {cs + "ExtendDeadline", "extension.reason", true},
      {cs + "RecomputeDeadlines", "reason", true},
      {cs + "RecordSatisfaction", "satisfaction.comment", true},
      {cs + "GetComplaintStatistics", "category", false},   // letters, digits, `_ - . /` and space
      {cs + "GetComplaintStatistics", "policy_id", false},  // printable ASCII without spaces
      {audit + "EraseComplainantData", "reason", true},
  };
}

// Sets the string field at `path` ("a.b.c", singular fields) by reflection.
void SetPath(google::protobuf::Message* m, const std::string& path, const std::string& value) {
  size_t start = 0;
  for (;;) {
    const size_t dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const auto* f = m->GetDescriptor()->FindFieldByName(part);
    ASSERT_NE(f, nullptr) << path;
    if (dot == std::string::npos) {
      ASSERT_EQ(f->type(), google::protobuf::FieldDescriptor::TYPE_STRING) << path;
      m->GetReflection()->SetString(m, f, value);
      return;
    }
    m = m->GetReflection()->MutableMessage(m, f);
    start = dot + 1;
  }
}

// Every string field reachable in a message type, as the paths the tests
// use: "a.b", "list[0].c" (repeated message), "map[k]" (map of strings),
// "list[]" (repeated string).
void StringPaths(const google::protobuf::Descriptor* d, const std::string& prefix, int depth,
                 std::set<std::string>* out) {
  using FD = google::protobuf::FieldDescriptor;
  if (depth > 6) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    const std::string p = prefix + f->name();
    if (f->is_map()) {
      if (f->message_type()->map_value()->type() == FD::TYPE_STRING) out->insert(p + "[k]");
    } else if (f->type() == FD::TYPE_STRING) {
      out->insert(f->is_repeated() ? p + "[]" : p);
    } else if (f->type() == FD::TYPE_MESSAGE &&
               f->message_type()->file()->package() == "redress.v1") {
      StringPaths(f->message_type(), p + (f->is_repeated() ? "[0]." : "."), depth + 1, out);
    }
  }
}

// The hostile catalogue covers every string field of every request of every
// service: a new field must be added to Fields() or RequestTextFields(), or
// listed here with the reason it holds no free text.
TEST_P(HostileInputTest, CatalogueCoversEveryStringFieldOfEveryRequest) {
  std::set<std::string> covered;
  for (const TextField& f : Fields()) covered.insert(std::string("SubmitComplaint:") + f.name);
  for (const RequestTextField& f : RequestTextFields()) {
    covered.insert(f.method.substr(f.method.rfind('/') + 1) + ":" + f.path);
  }
  // Not free text: each has its own grammar, checked elsewhere in this file
  // or in the validation tests, or is matched and never stored.
  const std::vector<std::string> exempt_suffixes = {
      ":name", ":etag", ":request_id", ":parent", ":page_token", ":filter",
      "SubmitComplaint:complaint.attachments[0].sha256",  // 64 lower-case hex
  };
  // Output only inside the submitted Complaint: ignored when sent.
  const std::vector<std::string> exempt_prefixes = {
      "SubmitComplaint:complaint.reference", "SubmitComplaint:complaint.assessment.",
      "SubmitComplaint:complaint.assignee", "SubmitComplaint:complaint.response.",
      "SubmitComplaint:complaint.complainant_decision.", "SubmitComplaint:complaint.dispute.",
      "SubmitComplaint:complaint.closure_reason", "SubmitComplaint:complaint.deadlines[0].",
      "SubmitComplaint:complaint.policy.", "SubmitComplaint:complaint.satisfaction.",
      "SubmitComplaint:complaint.name", "SubmitComplaint:complaint.etag",
      // Output only in the sub-message a request carries: cleared, never stored.
      "AssessComplaint:assessment.assessor", "RespondToComplaint:response.responder",
      "OpenDispute:dispute.outcome_text",
      // Read filters, matched against stored values, never stored.
      "ExportAuditTrail:", "WatchComplaintEvents:",
  };
  std::set<std::string> found;
  for (const char* name : {"redress.v1.ComplaintService", "redress.v1.AuditService", "redress.v1.EventService"}) {
    const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      std::set<std::string> paths;
      StringPaths(method->input_type(), "", 0, &paths);
      for (const std::string& p : paths) found.insert(method->name() + ":" + p);
    }
  }
  for (const std::string& f : found) {
    if (covered.count(f) != 0) continue;
    bool exempt = false;
    for (const auto& s : exempt_suffixes) exempt |= absl::EndsWith(f, s);
    for (const auto& s : exempt_prefixes) exempt |= absl::StartsWith(f, s);
    EXPECT_TRUE(exempt) << f << " is a request string field the hostile catalogue does not try";
  }
  for (const std::string& c : covered) EXPECT_EQ(found.count(c), 1u) << c << " is not a request field";
}

// Control characters (C0, DEL, C1) and bidirectional controls in every text
// field of every request other than SubmitComplaint (above): INVALID_ARGUMENT
// naming the field (and, for free text, the code point), nothing written.
TEST_P(HostileInputTest, EveryRequestTextFieldRefusesControlCharacters) {
  v1::Complaint target;
  ASSERT_TRUE(Submit(Good(), &target).ok());
  struct Hostile {
    const char* label;
    std::string value, code_point;
  };
  const std::vector<Hostile> hostile = {
      {"ESC", "a\x1b[2Jb", "U+001B"},
      {"DEL", "a\x7f" "b", "U+007F"},
      {"C1 U+0080", "a\xc2\x80" "b", "U+0080"},
      {"C1 CSI U+009B", "a\xc2\x9b" "31mRED", "U+009B"},
      {"C1 U+009F", "a\xc2\x9f" "b", "U+009F"},
      {"bidi RLO U+202E", "a\xe2\x80\xae" "b", "U+202E"},
      {"bidi LRI U+2066", "a\xe2\x81\xa6" "b", "U+2066"},
  };
  int cases = 0;
  for (const RequestTextField& f : RequestTextFields()) {
    for (const Hostile& h : hostile) {
      SCOPED_TRACE(f.method + " " + f.path + " <- " + h.label);
      ++cases;
      std::unique_ptr<google::protobuf::Message> r = BaseRequest(f.method);
      ASSERT_NE(r, nullptr);
      if (const auto* name = r->GetDescriptor()->FindFieldByName("name")) {
        r->GetReflection()->SetString(r.get(), name, target.name());
      }
      SetPath(r.get(), f.path, h.value);
      const auto before = Counts();
      const grpc::Status st = Raw(f.method, r->SerializeAsString());
      EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
      EXPECT_EQ(ViolatedField(st), f.path) << st.error_message();
      if (f.names_code_point) {
        EXPECT_THAT(st.error_message(), ::testing::HasSubstr("(" + h.code_point + ")"));
      }
      EXPECT_EQ(Counts(), before);
    }
  }
  EXPECT_EQ(cases, 26 * 7);
}

TEST_P(HostileInputTest, StructuralAbuse) {
  struct Case {
    const char* label;
    std::function<void(v1::SubmitComplaintRequest&)> mutate;
    grpc::StatusCode code;
    std::string field;  // of the field violation ("" for other codes)
  };
  const std::vector<Case> cases = {
      {"channel out of range", [](auto& r) { r.mutable_complaint()->set_channel(static_cast<v1::Channel>(99)); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.channel"},
      {"negative enum", [](auto& r) { r.mutable_complaint()->set_channel(static_cast<v1::Channel>(-1)); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.channel"},
      {"10000 labels",
       [](auto& r) {
         for (int i = 0; i < 10000; ++i) (*r.mutable_complaint()->mutable_labels())["k" + std::to_string(i)] = "v";
       },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.labels"},
      {"5000 attachments",
       [](auto& r) {
         for (int i = 0; i < 5000; ++i) *r.mutable_complaint()->add_attachments() = r.complaint().attachments(0);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.attachments"},
      {"5 MiB description (over the 4 MiB message limit)",
       [](auto& r) { r.mutable_complaint()->set_description(std::string(5 << 20, 'x')); },
       grpc::StatusCode::RESOURCE_EXHAUSTED, ""},
      {"request id not a UUID", [](auto& r) { r.set_request_id("1; DROP TABLE idempotency_records"); },
       grpc::StatusCode::INVALID_ARGUMENT, "request_id"},
      {"occurrence in year 10000",
       [](auto& r) { r.mutable_complaint()->mutable_occurrence_time()->set_seconds(253402300800LL); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.occurrence_time"},
      {"negative nanos",
       [](auto& r) { r.mutable_complaint()->mutable_occurrence_time()->set_nanos(-1); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.occurrence_time"},
      {"label key with path", [](auto& r) { (*r.mutable_complaint()->mutable_labels())["../etc"] = "v"; },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.labels[../etc]"},
      {"attachment size negative", [](auto& r) { r.mutable_complaint()->mutable_attachments(0)->set_size_bytes(-5); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.attachments[0].size_bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    v1::SubmitComplaintRequest r = Good();
    c.mutate(r);
    const auto before = Counts();
    v1::Complaint out;
    const grpc::Status st = Submit(r, &out);
    EXPECT_EQ(st.error_code(), c.code) << st.error_message();
    EXPECT_EQ(ViolatedField(st), c.field) << st.error_message();
    EXPECT_EQ(Counts(), before);
  }
}

TEST_P(HostileInputTest, RawBytesOverTheChannel) {
  const std::string submit = "/redress.v1.ComplaintService/SubmitComplaint";
  std::string valid;
  ASSERT_TRUE(Good().SerializeToString(&valid));
  // A string field holding invalid UTF-8, encoded by hand (field 11 of
  // Complaint = description, inside field 1 of the request).
  std::string bad_utf8_complaint = std::string("\x5a\x03", 2) + "\xc3\x28\xff";
  std::string bad_utf8 = std::string("\x0a", 1) + static_cast<char>(bad_utf8_complaint.size()) + bad_utf8_complaint;
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"truncated in the middle", valid.substr(0, valid.size() / 2)},
      {"truncated by one byte", valid.substr(0, valid.size() - 1)},
      {"garbage", std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11)},
      {"length larger than the message", std::string("\x0a\xff\xff\x03", 4)},
      {"wrong wire type for a message field", std::string("\x08\x96\x01", 3)},
      {"invalid UTF-8 in a string", bad_utf8},
  };
  for (const auto& [label, bytes] : cases) {
    SCOPED_TRACE(label);
    const auto before = Counts();
    grpc::Status st = Raw(submit, bytes);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    // Bytes that do not parse name no field; bytes that parse (a wrong wire
    // type is kept as an unknown field) fail validation with a consistent
    // field violation.
    if (st.error_details().empty()) {
      EXPECT_THAT(st.error_message(), ::testing::HasSubstr("not a valid encoding"));
    } else {
      EXPECT_NE(ViolatedField(st), "") << st.error_message();
    }
    EXPECT_EQ(Counts(), before);
  }
  // Unknown fields are ignored (forward compatibility), never stored.
  std::string with_unknown = valid + std::string("\xf8\x3e\x2a", 3);  // field 999, varint 42
  const auto before = Counts();
  EXPECT_TRUE(Raw(submit, with_unknown).ok());
  EXPECT_EQ(Counts()["complaints"], before.at("complaints") + 1);
  // Unknown method.
  EXPECT_EQ(Raw("/redress.v1.ComplaintService/DropTables", valid).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  // The log shows the corrected code.
  std::lock_guard<std::mutex> l(mu_);
  EXPECT_THAT(log_, ::testing::HasSubstr(R"("code":"INVALID_ARGUMENT")"));
  EXPECT_THAT(log_, ::testing::Not(::testing::HasSubstr(R"("code":"INTERNAL")")));
}

TEST_P(HostileInputTest, HostileNamesFiltersAndTokens) {
  const auto before = Counts();
  v1::Complaint out;
  for (const char* name : {"complaints/../../etc/passwd", "complaints/' OR 1=1 --", "", "complaints/",
                           "complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/events/1"}) {
    SCOPED_TRACE(name);
    v1::AcknowledgeComplaintRequest ack;
    ack.set_name(name);
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", "catalogue");
    const grpc::Status st = stub_->AcknowledgeComplaint(&ctx, ack, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolatedField(st), "name") << st.error_message();
  }
  for (const char* filter : {"state = RECEIVED; DROP TABLE complaints", "1=1", "category = a OR 1=1",
                             "create_time >= \"'; DELETE FROM complaints; --\"",
                             "state = \"\x1b[2J\xc2\x9b\xe2\x80\xae\""}) {
    SCOPED_TRACE(filter);
    v1::ListComplaintsRequest list;
    list.set_filter(filter);
    v1::ListComplaintsResponse resp;
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", "catalogue");
    const grpc::Status st = stub_->ListComplaints(&ctx, list, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolatedField(st), "filter") << st.error_message();
    // The message may quote the filter, but never its control characters raw.
    for (const char* raw : {"\x1b", "\xc2\x9b", "\xe2\x80\xae"}) {
      EXPECT_EQ(st.error_message().find(raw), std::string::npos) << st.error_message();
    }
  }
  // (Header values with control characters are refused by the client library
  // itself and never reach the server.)
  for (const std::string& actor : {std::string("a b"), std::string(200, 'a'), std::string("")}) {
    v1::SubmitComplaintRequest r = Good();
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", actor);
    EXPECT_EQ(stub_->SubmitComplaint(&ctx, r, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(Counts(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, HostileInputTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::api
