// The gRPC surface: every RPC through the generated stub against an
// in-process server on port 0, every error code, health and reflection.
#include "server/api/complaint_service_impl.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "redress/v1/audit_service.grpc.pb.h"
#include "redress/v1/complaint_service.grpc.pb.h"
#include "redress/v1/event_service.grpc.pb.h"
#include "server/api/grpc_server.h"
#include "server/api/status_mapping.h"
#include "server/domain/event_hash.h"
#include "server/domain/ids.h"
#include "tests/testing/test_db.h"

namespace redress::api {
namespace {

namespace v1 = redress::v1;
using ::testing::HasSubstr;

class ComplaintServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ComplaintStore::Options o;
    o.url = db_.url();
    auto s = store::ComplaintStore::Open(o, clock_.Now());
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    engine_ = std::make_unique<core::ComplaintEngine>(store_.get(), &clock_,
                                                      core::ComplaintEngine::Options{});
    signer_ = domain::CheckpointSigner::Generate();
    sealer_ = std::make_unique<core::CheckpointSealer>(store_.get(), signer_.get(), &clock_,
                                                       core::CheckpointSealer::Options{});
    audit_ = std::make_unique<core::AuditEngine>(store_.get(), engine_.get(), sealer_.get(),
                                                 &clock_, core::AuditEngine::Options{});
    core::EventFeed::Options fo;
    fo.poll = absl::Milliseconds(20);
    feed_ = std::make_unique<core::EventFeed>(store_.get(), &clock_, fo);
    GrpcServerOptions so;
    so.listen = "127.0.0.1:0";
    so.log_sink = [this](const std::string& line) {
      std::lock_guard<std::mutex> l(log_mu_);
      log_ += line + "\n";
    };
    Authenticator::Options auth_options;
    auth_options.dev_allow_personal_data = true;  // the round trips include the complainant
    auth_ = std::make_unique<Authenticator>(nullptr, auth_options);
    auto srv = GrpcServer::Start(so, auth_.get(), engine_.get(), audit_.get(), feed_.get());
    ASSERT_TRUE(srv.ok()) << srv.status();
    server_ = std::move(*srv);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::ComplaintService::NewStub(channel_);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(absl::Seconds(1));
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& actor = "handler-1") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!actor.empty()) ctx->AddMetadata(kActorMetadataKey, actor);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

  v1::Complaint Submit() {
    v1::SubmitComplaintRequest r;
    auto* c = r.mutable_complaint();
    c->mutable_complainant()->set_display_name("Grace Hopper");
    c->mutable_complainant()->set_email("grace@example.org");
    c->set_channel(v1::CHANNEL_PHONE);
    c->set_category("service");
    c->set_description("Waited an hour on hold.");
    v1::Complaint out;
    grpc::Status st = stub_->SubmitComplaint(Ctx().get(), r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  // One request/response exchange on the reflection stream. Returns the
  // strings found at response field `outer`, then (inside it) field `inner`,
  // then (if `leaf` != 0) field `leaf` of each.
  std::vector<std::string> ReflectionCall(const std::string& request, int outer, int inner,
                                          int leaf) {
    grpc::GenericStub generic(channel_);
    grpc::CompletionQueue cq;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    auto call = generic.PrepareCall(
        &ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
    void* tag;
    bool ok;
    auto step = [&](intptr_t t) {
      EXPECT_TRUE(cq.Next(&tag, &ok));
      EXPECT_EQ(reinterpret_cast<intptr_t>(tag), t);
      return ok;
    };
    call->StartCall(reinterpret_cast<void*>(1));
    EXPECT_TRUE(step(1));
    grpc::Slice slice(request);
    grpc::ByteBuffer out(&slice, 1);
    call->Write(out, reinterpret_cast<void*>(2));
    EXPECT_TRUE(step(2));
    grpc::ByteBuffer in;
    call->Read(&in, reinterpret_cast<void*>(3));
    EXPECT_TRUE(step(3));
    call->WritesDone(reinterpret_cast<void*>(4));
    step(4);
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(5));
    step(5);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<grpc::Slice> slices;
    in.Dump(&slices);
    std::string bytes;
    for (const auto& sl : slices) bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
    std::vector<std::string> found;
    google::protobuf::UnknownFieldSet top;
    EXPECT_TRUE(top.ParseFromString(bytes));
    for (int i = 0; i < top.field_count(); ++i) {
      if (top.field(i).number() != outer) continue;
      google::protobuf::UnknownFieldSet mid;
      EXPECT_TRUE(mid.ParseFromString(top.field(i).length_delimited()));
      for (int j = 0; j < mid.field_count(); ++j) {
        if (mid.field(j).number() != inner) continue;
        if (leaf == 0) {
          found.push_back(mid.field(j).length_delimited());
          continue;
        }
        google::protobuf::UnknownFieldSet low;
        EXPECT_TRUE(low.ParseFromString(mid.field(j).length_delimited()));
        for (int k = 0; k < low.field_count(); ++k) {
          if (low.field(k).number() == leaf) found.push_back(low.field(k).length_delimited());
        }
      }
    }
    return found;
  }

  std::string Log() {
    std::lock_guard<std::mutex> l(log_mu_);
    return log_;
  }

  testing::TestDatabase db_{testing::Backend::kSqlite};
  domain::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<store::ComplaintStore> store_;
  std::unique_ptr<core::ComplaintEngine> engine_;
  std::unique_ptr<domain::CheckpointSigner> signer_;
  std::unique_ptr<core::CheckpointSealer> sealer_;
  std::unique_ptr<core::AuditEngine> audit_;
  std::unique_ptr<core::EventFeed> feed_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ComplaintService::Stub> stub_;
  std::mutex log_mu_;
  std::string log_;
};

TEST_F(ComplaintServiceTest, EveryRpcThroughTheStub) {
  v1::Complaint c = Submit();
  const std::string name = c.name();
  v1::Complaint out;
  auto ok = [](const grpc::Status& st) {
    EXPECT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
  };

  v1::GetComplaintRequest get;
  get.set_name(name);
  ok(stub_->GetComplaint(Ctx().get(), get, &out));
  EXPECT_EQ(out.reference(), c.reference());

  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(name);
  ack.set_channel(v1::CHANNEL_EMAIL);
  ok(stub_->AcknowledgeComplaint(Ctx().get(), ack, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_ACKNOWLEDGED);

  v1::AssessComplaintRequest assess;
  assess.set_name(name);
  assess.mutable_assessment()->set_severity(v1::LEVEL_MEDIUM);
  assess.mutable_assessment()->set_priority(v1::LEVEL_MEDIUM);
  assess.mutable_assessment()->set_complexity(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_impact(v1::LEVEL_LOW);
  ok(stub_->AssessComplaint(Ctx().get(), assess, &out));
  EXPECT_EQ(out.assessment().assessor(), "handler-1");

  v1::AssignComplaintRequest assign;
  assign.set_name(name);
  assign.set_assignee("alice");
  ok(stub_->AssignComplaint(Ctx().get(), assign, &out));
  EXPECT_EQ(out.assignee(), "alice");

  v1::StartInvestigationRequest inv;
  inv.set_name(name);
  ok(stub_->StartInvestigation(Ctx().get(), inv, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_INVESTIGATING);

  v1::AddComplaintNoteRequest note;
  note.set_name(name);
  note.set_text("checked call logs");
  note.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
  ok(stub_->AddComplaintNote(Ctx().get(), note, &out));

  v1::EscalateComplaintRequest esc;
  esc.set_name(name);
  esc.set_reason("repeat complaint");
  ok(stub_->EscalateComplaint(Ctx().get(), esc, &out));
  EXPECT_EQ(out.escalation_level(), 1);

  v1::RespondToComplaintRequest respond;
  respond.set_name(name);
  respond.mutable_response()->set_decision(v1::Response::DECISION_PARTIALLY_UPHELD);
  respond.mutable_response()->set_text("We apologise; GBP 25 credited.");
  respond.mutable_response()->set_communicated_via(v1::CHANNEL_EMAIL);
  respond.mutable_response()->mutable_redress_amount()->set_currency_code("GBP");
  respond.mutable_response()->mutable_redress_amount()->set_amount_minor(2500);
  ok(stub_->RespondToComplaint(Ctx().get(), respond, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_RESPONDED);

  v1::RecordComplainantDecisionRequest reject;
  reject.set_name(name);
  reject.mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_REJECTED);
  ok(stub_->RecordComplainantDecision(Ctx().get(), reject, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_RESPONDED);

  v1::OpenDisputeRequest dispute;
  dispute.set_name(name);
  dispute.mutable_dispute()->set_kind(v1::Dispute::KIND_EXTERNAL_ADR);
  dispute.mutable_dispute()->set_body("Financial Ombudsman Service");
  ok(stub_->OpenDispute(Ctx().get(), dispute, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_DISPUTED);

  v1::ResolveDisputeRequest resolve;
  resolve.set_name(name);
  resolve.set_outcome(v1::Dispute::OUTCOME_RESPONSE_REVISED);
  resolve.set_outcome_text("Ombudsman awarded GBP 100.");
  ok(stub_->ResolveDispute(Ctx().get(), resolve, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_CLOSED);

  v1::ReopenComplaintRequest reopen;
  reopen.set_name(name);
  reopen.set_reason("award not paid");
  ok(stub_->ReopenComplaint(Ctx().get(), reopen, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_INVESTIGATING);

  ok(stub_->RespondToComplaint(Ctx().get(), respond, &out));
  v1::CloseComplaintRequest close;
  close.set_name(name);
  close.set_reason("award paid; final");
  ok(stub_->CloseComplaint(Ctx().get(), close, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_CLOSED);

  v1::Complaint other = Submit();
  v1::WithdrawComplaintRequest withdraw;
  withdraw.set_name(other.name());
  ok(stub_->WithdrawComplaint(Ctx().get(), withdraw, &out));
  EXPECT_EQ(out.state(), v1::Complaint::STATE_WITHDRAWN);

  v1::ListComplaintsRequest list;
  list.set_filter("state = CLOSED");
  v1::ListComplaintsResponse listed;
  ok(stub_->ListComplaints(Ctx().get(), list, &listed));
  ASSERT_EQ(listed.complaints_size(), 1);
  EXPECT_EQ(listed.complaints(0).name(), name);

  v1::ListComplaintEventsRequest events;
  events.set_parent(name);
  v1::ListComplaintEventsResponse history;
  ok(stub_->ListComplaintEvents(Ctx().get(), events, &history));
  EXPECT_EQ(history.events_size(), 14);  // submit + 13 mutations
  std::vector<v1::ComplaintEvent> chain(history.events().begin(), history.events().end());
  EXPECT_TRUE(domain::VerifyEventChain(chain).ok());
}

TEST_F(ComplaintServiceTest, ErrorCodes) {
  v1::Complaint c = Submit();
  v1::Complaint out;
  // FAILED_PRECONDITION naming the state.
  v1::CloseComplaintRequest close;
  close.set_name(c.name());
  close.set_reason("x");
  grpc::Status st = stub_->CloseComplaint(Ctx().get(), close, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("RECEIVED"));
  // NOT_FOUND.
  v1::GetComplaintRequest get;
  get.set_name(domain::ComplaintName(domain::NewUuid()));
  EXPECT_EQ(stub_->GetComplaint(Ctx().get(), get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  // INVALID_ARGUMENT naming the field.
  v1::AssignComplaintRequest assign;
  assign.set_name(c.name());
  st = stub_->AssignComplaint(Ctx().get(), assign, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("assignee"));
  // ABORTED on a stale etag.
  assign.set_assignee("alice");
  assign.set_etag("0000000000");
  EXPECT_EQ(stub_->AssignComplaint(Ctx().get(), assign, &out).error_code(),
            grpc::StatusCode::ABORTED);
  // UNAUTHENTICATED without an actor.
  assign.clear_etag();
  EXPECT_EQ(stub_->AssignComplaint(Ctx("").get(), assign, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // ALREADY_EXISTS for a reused request_id.
  assign.set_request_id(domain::NewUuid());
  ASSERT_TRUE(stub_->AssignComplaint(Ctx().get(), assign, &out).ok());
  assign.set_assignee("bob");
  EXPECT_EQ(stub_->AssignComplaint(Ctx().get(), assign, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // INVALID_ARGUMENT for a bad filter and a bad page token.
  v1::ListComplaintsRequest list;
  v1::ListComplaintsResponse resp;
  list.set_filter("colour = red");
  EXPECT_EQ(stub_->ListComplaints(Ctx().get(), list, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  list.clear_filter();
  list.set_page_token("garbage!");
  EXPECT_EQ(stub_->ListComplaints(Ctx().get(), list, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ComplaintServiceTest, RetryReturnsTheFirstAnswer) {
  v1::SubmitComplaintRequest r;
  r.set_request_id(domain::NewUuid());
  auto* c = r.mutable_complaint();
  c->mutable_complainant()->set_display_name("Grace Hopper");
  c->set_channel(v1::CHANNEL_WEB);
  c->set_description("Card declined.");
  v1::Complaint first, second;
  ASSERT_TRUE(stub_->SubmitComplaint(Ctx().get(), r, &first).ok());
  ASSERT_TRUE(stub_->SubmitComplaint(Ctx().get(), r, &second).ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ((*store_->CountRows())["complaints"], 1);
}

TEST_F(ComplaintServiceTest, HealthIsServingAndReflectionListsTheService) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest hreq;
  hreq.set_service("redress.v1.ComplaintService");
  grpc::health::v1::HealthCheckResponse hresp;
  grpc::ClientContext hctx;
  ASSERT_TRUE(health->Check(&hctx, hreq, &hresp).ok());
  EXPECT_EQ(hresp.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // grpc.reflection.v1alpha, spoken with raw protobuf bytes:
  //   ServerReflectionRequest.list_services = 7 (string)
  //   ServerReflectionRequest.file_containing_symbol = 4 (string)
  //   ServerReflectionResponse.file_descriptor_response = 4 {1: repeated bytes}
  //   ServerReflectionResponse.list_services_response = 6 {1: repeated {1: name}}
  EXPECT_THAT(ReflectionCall(std::string("\x3a\x00", 2), 6, 1, 1),
              ::testing::IsSupersetOf({"redress.v1.ComplaintService", "redress.v1.AuditService",
                                       "redress.v1.EventService", "grpc.health.v1.Health"}));
  const std::string symbol = "redress.v1.ComplaintService";
  const std::string req = std::string("\x22") + static_cast<char>(symbol.size()) + symbol;
  // The descriptors are served too, so generic tools can call the methods.
  auto files = ReflectionCall(req, 4, 1, 0);
  ASSERT_FALSE(files.empty());
  google::protobuf::FileDescriptorProto fd;
  bool found = false;
  for (const auto& f : files) {
    ASSERT_TRUE(fd.ParseFromString(f));
    if (fd.name() == "redress/v1/complaint_service.proto") found = true;
  }
  EXPECT_TRUE(found);

  server_->Shutdown(absl::Seconds(1));
  server_.reset();
}

TEST_F(ComplaintServiceTest, OneLogLinePerRequestWithoutPersonalData) {
  v1::Complaint c = Submit();
  v1::GetComplaintRequest get;
  get.set_name(domain::ComplaintName(domain::NewUuid()));
  v1::Complaint out;
  stub_->GetComplaint(Ctx().get(), get, &out);
  server_->Shutdown(absl::Seconds(1));  // flushes the interceptors
  server_.reset();
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr(R"("method":"/redress.v1.ComplaintService/SubmitComplaint","code":"OK")"));
  EXPECT_THAT(log, HasSubstr(R"("method":"/redress.v1.ComplaintService/GetComplaint","code":"NOT_FOUND")"));
  EXPECT_THAT(log, HasSubstr("\"duration_ms\":"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("Grace")));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("grace@example.org")));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("Waited an hour")));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 2);
}

TEST_F(ComplaintServiceTest, EventStreamThroughTheStubEndsWithUnavailableOnShutdown) {
  v1::Complaint c = Submit();
  auto events = v1::EventService::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-redress-actor", "watcher");  // every call names its caller
  v1::WatchComplaintEventsRequest req;
  auto reader = events->WatchComplaintEvents(&ctx, req);
  v1::WatchComplaintEventsResponse item;
  ASSERT_TRUE(reader->Read(&item));
  EXPECT_EQ(item.entry().ledger_index(), 0);
  EXPECT_EQ(item.entry().event().name(), c.name() + "/events/1");
  Submit();  // followed live
  ASSERT_TRUE(reader->Read(&item));
  EXPECT_EQ(item.entry().ledger_index(), 1);
  std::thread stopper([&] { server_->Shutdown(absl::Seconds(2)); });
  while (reader->Read(&item)) {
  }
  grpc::Status st = reader->Finish();
  stopper.join();
  server_.reset();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_THAT(st.error_message(), HasSubstr("resume"));
}

TEST_F(ComplaintServiceTest, AuditServiceThroughTheStub) {
  v1::Complaint c = Submit();
  auto audit = v1::AuditService::NewStub(channel_);
  v1::SigningKey key;
  ASSERT_TRUE(audit->GetSigningKey(Ctx().get(), {}, &key).ok());
  EXPECT_EQ(key.public_key(), signer_->public_key());
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-redress-actor", "auditor");
  auto reader = audit->ExportAuditTrail(&ctx, v1::ExportAuditTrailRequest{});
  v1::ExportAuditTrailResponse item;
  int entries = 0, checkpoints = 0;
  while (reader->Read(&item)) {
    entries += item.has_entry();
    checkpoints += item.has_checkpoint();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(entries, 1);
  EXPECT_EQ(checkpoints, 1);
  v1::EraseComplainantDataRequest erase;
  erase.set_name(c.name());
  v1::Complaint out;
  grpc::Status st = audit->EraseComplainantData(Ctx().get(), erase, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);  // reason required
  erase.set_reason("GDPR Art. 17");
  ASSERT_TRUE(audit->EraseComplainantData(Ctx().get(), erase, &out).ok());
  EXPECT_FALSE(out.has_complainant());
  v1::ExportAuditTrailRequest clear;
  clear.set_include_personal_data(true);
  grpc::ClientContext ctx2;
  ctx2.AddMetadata("x-redress-actor", "auditor");
  auto denied = audit->ExportAuditTrail(&ctx2, clear);
  while (denied->Read(&item)) {
  }
  EXPECT_EQ(denied->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST(StatusMappingTest, CodesMapOneToOneAndKeepTheMessage) {
  for (int code = 1; code <= 16; ++code) {
    absl::Status s(static_cast<absl::StatusCode>(code), "why");
    grpc::Status g = ToGrpcStatus(s);
    EXPECT_EQ(static_cast<int>(g.error_code()), code);
    EXPECT_EQ(g.error_message(), "why");
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_STREQ(StatusCodeName(grpc::StatusCode::FAILED_PRECONDITION), "FAILED_PRECONDITION");
}

}  // namespace
}  // namespace redress::api
