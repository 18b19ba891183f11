// Access control through the wire: every RPC x every role against the table
// (allowed -> not refused; denied -> PERMISSION_DENIED and nothing written),
// credentials, scopes, the personal-data grant, rate limits and reloads.
#include <grpcpp/create_channel.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <functional>
#include <future>
#include <map>

#include "absl/strings/ascii.h"

#include "grpc/health/v1/health.grpc.pb.h"
#include "redress/v1/audit_service.grpc.pb.h"
#include "redress/v1/complaint_service.grpc.pb.h"
#include "redress/v1/event_service.grpc.pb.h"
#include "server/api/authenticator.h"
#include "server/api/grpc_server.h"
#include "server/domain/ids.h"
#include "server/domain/lifecycle.h"
#include "server/domain/sha256.h"
#include "tests/testing/every_mutation.h"
#include "tests/testing/test_db.h"

namespace redress::api {
namespace {

namespace v1 = redress::v1;
using ::testing::HasSubstr;

constexpr const char* kRoleNames[] = {"", "intake", "handler", "supervisor", "auditor", "admin", "portal"};

std::string Config(double rate_for_limited) {
  std::string out;
  for (int r = 1; r <= 6; ++r) {
    const std::string name = kRoleNames[r];
    out += "principals { name: \"" + name + "\" roles: " + v1::Role_Name(static_cast<v1::Role>(r)) +
           " token_sha256: \"" + domain::Sha256Hex("tok-" + name) + "\" }\n";
  }
  // Second principals of a role (cross-principal idempotency).
  for (const std::string role : {"intake", "supervisor", "admin"}) {
    out += "principals { name: \"" + role + "2\" roles: ROLE_" + absl::AsciiStrToUpper(role) +
           " token_sha256: \"" + domain::Sha256Hex("tok-" + role + "2") + "\" }\n";
  }
  out += "principals { name: \"reader\" roles: ROLE_SUPERVISOR grants: GRANT_READ_PERSONAL_DATA "
         "token_sha256: \"" + domain::Sha256Hex("tok-reader") + "\" }\n";
  out += "principals { name: \"exporter\" roles: ROLE_AUDITOR grants: GRANT_EXPORT_PERSONAL_DATA "
         "token_sha256: \"" + domain::Sha256Hex("tok-exporter") + "\" }\n";
  out += "principals { name: \"limited\" roles: ROLE_SUPERVISOR rate_limit_per_second: " +
         std::to_string(rate_for_limited) + " token_sha256: \"" + domain::Sha256Hex("tok-limited") +
         "\" }\n";
  return out;
}

class AuthorizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto policy = domain::AccessPolicy::Parse(Config(2));
    ASSERT_TRUE(policy.ok()) << policy.status();
    Start(std::move(*policy), Authenticator::Options{});
  }

  // `policy` null: development mode.
  void Start(std::shared_ptr<const domain::AccessPolicy> policy, Authenticator::Options auth_options) {
    store::ComplaintStore::Options o;
    o.url = db_.url();
    store_ = std::move(*store::ComplaintStore::Open(o, clock_.Now()));
    registry_ = std::make_unique<domain::PolicyRegistry>(testing::EveryMutationPolicies(clock_.Now()));
    core::ComplaintEngine::Options eo;
    eo.policies = registry_.get();
    engine_ = std::make_unique<core::ComplaintEngine>(store_.get(), &clock_, eo);
    signer_ = domain::CheckpointSigner::Generate();
    sealer_ = std::make_unique<core::CheckpointSealer>(store_.get(), signer_.get(), &clock_,
                                                       core::CheckpointSealer::Options{});
    audit_ = std::make_unique<core::AuditEngine>(store_.get(), engine_.get(), sealer_.get(), &clock_,
                                                 core::AuditEngine::Options{});
    feed_ = std::make_unique<core::EventFeed>(store_.get(), &clock_, core::EventFeed::Options{});
    auth_ = std::make_unique<Authenticator>(std::move(policy), auth_options);
    GrpcServerOptions so;
    so.listen = "127.0.0.1:0";
    so.log_sink = [](const std::string&) {};
    server_ = std::move(*GrpcServer::Start(so, auth_.get(), engine_.get(), audit_.get(), feed_.get()));
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                       grpc::InsecureChannelCredentials());
    complaints_ = v1::ComplaintService::NewStub(channel);
    audit_stub_ = v1::AuditService::NewStub(channel);
    events_ = v1::EventService::NewStub(channel);
  }
  void TearDown() override { server_->Shutdown(absl::Seconds(1)); }

  std::unique_ptr<grpc::ClientContext> As(const std::string& principal) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!principal.empty()) ctx->AddMetadata("authorization", "Bearer tok-" + principal);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1500));
    return ctx;
  }

  v1::Complaint SubmitAs(const std::string& principal) {
    v1::SubmitComplaintRequest r;
    r.mutable_complaint()->mutable_complainant()->set_display_name("Grace Hopper");
    r.mutable_complaint()->set_channel(v1::CHANNEL_WEB);
    r.mutable_complaint()->set_description("d");
    v1::Complaint out;
    grpc::Status st = complaints_->SubmitComplaint(As(principal).get(), r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  // One call of `rpc` as `principal` on complaint `name`.
  grpc::Status Call(const std::string& rpc, const std::string& principal, const std::string& name) {
    auto ctx = As(principal);
    v1::Complaint c;
    if (rpc == "SubmitComplaint") {
      v1::SubmitComplaintRequest r;
      r.mutable_complaint()->mutable_complainant()->set_display_name("X");
      r.mutable_complaint()->set_channel(v1::CHANNEL_WEB);
      r.mutable_complaint()->set_description("d");
      return complaints_->SubmitComplaint(ctx.get(), r, &c);
    }
#define BY_NAME(Rpc, Req)         \
  if (rpc == #Rpc) {              \
    v1::Req r;                    \
    r.set_name(name);             \
    return complaints_->Rpc(ctx.get(), r, &c); \
  }
    BY_NAME(GetComplaint, GetComplaintRequest)
    BY_NAME(AcknowledgeComplaint, AcknowledgeComplaintRequest)
    BY_NAME(AssessComplaint, AssessComplaintRequest)
    BY_NAME(AssignComplaint, AssignComplaintRequest)
    BY_NAME(StartInvestigation, StartInvestigationRequest)
    BY_NAME(AddComplaintNote, AddComplaintNoteRequest)
    BY_NAME(EscalateComplaint, EscalateComplaintRequest)
    BY_NAME(RespondToComplaint, RespondToComplaintRequest)
    BY_NAME(RecordComplainantDecision, RecordComplainantDecisionRequest)
    BY_NAME(OpenDispute, OpenDisputeRequest)
    BY_NAME(ResolveDispute, ResolveDisputeRequest)
    BY_NAME(CloseComplaint, CloseComplaintRequest)
    BY_NAME(WithdrawComplaint, WithdrawComplaintRequest)
    BY_NAME(ReopenComplaint, ReopenComplaintRequest)
    BY_NAME(RequestInformation, RequestInformationRequest)
    BY_NAME(ReceiveInformation, ReceiveInformationRequest)
    BY_NAME(SendHoldingResponse, SendHoldingResponseRequest)
    BY_NAME(ExtendDeadline, ExtendDeadlineRequest)
    BY_NAME(RecomputeDeadlines, RecomputeDeadlinesRequest)
    BY_NAME(RecordSatisfaction, RecordSatisfactionRequest)
#undef BY_NAME
    if (rpc == "GetComplaintStatistics") {
      v1::ComplaintStatistics out;
      return complaints_->GetComplaintStatistics(ctx.get(), {}, &out);
    }
    if (rpc == "ListComplaints") {
      v1::ListComplaintsResponse out;
      return complaints_->ListComplaints(ctx.get(), {}, &out);
    }
    if (rpc == "ListComplaintEvents") {
      v1::ListComplaintEventsRequest r;
      r.set_parent(name);
      v1::ListComplaintEventsResponse out;
      return complaints_->ListComplaintEvents(ctx.get(), r, &out);
    }
    if (rpc == "ExportAuditTrail") {
      auto reader = audit_stub_->ExportAuditTrail(ctx.get(), {});
      v1::ExportAuditTrailResponse item;
      while (reader->Read(&item)) {
      }
      return reader->Finish();
    }
    if (rpc == "GetSigningKey") {
      v1::SigningKey k;
      return audit_stub_->GetSigningKey(ctx.get(), {}, &k);
    }
    if (rpc == "ListCheckpoints") {
      v1::ListCheckpointsResponse out;
      return audit_stub_->ListCheckpoints(ctx.get(), {}, &out);
    }
    if (rpc == "GetConsistencyProof") {
      v1::ConsistencyProof out;
      return audit_stub_->GetConsistencyProof(ctx.get(), {}, &out);
    }
    if (rpc == "EraseComplainantData") {
      v1::EraseComplainantDataRequest r;
      r.set_name(name);
      return audit_stub_->EraseComplainantData(ctx.get(), r, &c);
    }
    if (rpc == "SweepRetention") {
      v1::SweepRetentionRequest r;
      r.set_dry_run(true);
      v1::SweepRetentionResponse out;
      return audit_stub_->SweepRetention(ctx.get(), r, &out);
    }
    if (rpc == "WatchComplaintEvents") {
      ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
      auto reader = events_->WatchComplaintEvents(ctx.get(), {});
      v1::WatchComplaintEventsResponse item;
      while (reader->Read(&item)) {
      }
      return reader->Finish();
    }
    ADD_FAILURE() << "no call for " << rpc;
    return grpc::Status(grpc::StatusCode::INTERNAL, "test has no call");
  }

  std::map<std::string, int64_t> Counts() { return *store_->CountRows(); }

  // One call of `action` as `principal` through the wire, by method name
  // (every mutating RPC answers a Complaint).
  grpc::Status CallMutation(domain::Action action, const std::string& principal,
                            const google::protobuf::Message& request, v1::Complaint* out) {
    grpc::GenericStub stub(grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                               grpc::InsecureChannelCredentials()));
    auto ctx = As(principal);
    grpc::ByteBuffer send, reply;
    bool own = false;
    const grpc::Status serialized =
        grpc::GenericSerialize<grpc::ProtoBufferWriter, google::protobuf::Message>(request, &send,
                                                                                    &own);
    EXPECT_TRUE(serialized.ok());
    std::promise<grpc::Status> done;
    stub.UnaryCall(ctx.get(),
                   "/" + testing::ServiceName(action) + "/" + testing::RpcName(action), {}, &send,
                   &reply, [&done](grpc::Status st) { done.set_value(st); });
    grpc::Status st = done.get_future().get();
    if (st.ok()) {
      const grpc::Status parsed =
          grpc::GenericDeserialize<grpc::ProtoBufferReader, v1::Complaint>(&reply, out);
      EXPECT_TRUE(parsed.ok());
    }
    return st;
  }

  testing::TestDatabase db_{testing::Backend::kSqlite};
  std::unique_ptr<domain::PolicyRegistry> registry_;
  domain::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<store::ComplaintStore> store_;
  std::unique_ptr<core::ComplaintEngine> engine_;
  std::unique_ptr<domain::CheckpointSigner> signer_;
  std::unique_ptr<core::CheckpointSealer> sealer_;
  std::unique_ptr<core::AuditEngine> audit_;
  std::unique_ptr<core::EventFeed> feed_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<v1::ComplaintService::Stub> complaints_;
  std::unique_ptr<v1::AuditService::Stub> audit_stub_;
  std::unique_ptr<v1::EventService::Stub> events_;
};

TEST_F(AuthorizationTest, EveryRpcForEveryRoleFollowsTheTable) {
  const v1::Complaint c = SubmitAs("supervisor");  // unassigned: within a handler's scope
  const v1::Complaint own = SubmitAs("intake");     // within the intake's scope
  int allowed = 0, denied = 0;
  for (const domain::RpcRule& rule : domain::AccessTable()) {
    for (int r = 1; r <= 6; ++r) {
      const std::string role = kRoleNames[r];
      SCOPED_TRACE(std::string(rule.rpc) + " as " + role);
      const auto before = Counts();
      const grpc::Status st = Call(std::string(rule.rpc), role, role == "intake" ? own.name() : c.name());
      if (rule.roles & (1u << r)) {
        EXPECT_NE(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
        EXPECT_NE(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << st.error_message();
        ++allowed;
      } else {
        EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
        auto after = Counts();
        after.erase("checkpoints");  // another role's export may have sealed one
        auto b = before;
        b.erase("checkpoints");
        EXPECT_EQ(after, b);
        ++denied;
      }
    }
  }
  EXPECT_GT(allowed, 30);
  EXPECT_GT(denied, 60);
}

TEST_F(AuthorizationTest, MissingOrBadCredentialsAreUnauthenticated) {
  v1::GetSigningKeyRequest req;
  v1::SigningKey k;
  auto none = As("");
  EXPECT_EQ(audit_stub_->GetSigningKey(none.get(), req, &k).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto bad = As("nobody");
  EXPECT_EQ(audit_stub_->GetSigningKey(bad.get(), req, &k).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext malformed;
  malformed.AddMetadata("authorization", "Basic dXNlcjpwYXNz");
  EXPECT_EQ(audit_stub_->GetSigningKey(&malformed, req, &k).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // x-redress-actor cannot stand in for credentials.
  grpc::ClientContext header_only;
  header_only.AddMetadata("x-redress-actor", "supervisor");
  EXPECT_EQ(audit_stub_->GetSigningKey(&header_only, req, &k).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthorizationTest, HealthChecksNeedNoCredentials) {
  auto health = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials()));
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("redress.v1.ComplaintService");
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;  // no authorization metadata
  ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(AuthorizationTest, TheActorIsThePrincipalNotTheHeader) {
  auto ctx = As("handler");
  ctx->AddMetadata("x-redress-actor", "mallory");
  v1::SubmitComplaintRequest r;
  r.mutable_complaint()->mutable_complainant()->set_display_name("X");
  r.mutable_complaint()->set_channel(v1::CHANNEL_WEB);
  r.mutable_complaint()->set_description("d");
  v1::Complaint c;
  ASSERT_TRUE(complaints_->SubmitComplaint(ctx.get(), r, &c).ok());
  v1::ListComplaintEventsRequest lr;
  lr.set_parent(c.name());
  v1::ListComplaintEventsResponse events;
  ASSERT_TRUE(complaints_->ListComplaintEvents(As("auditor").get(), lr, &events).ok());
  EXPECT_EQ(events.events(0).actor(), "handler");
}

TEST_F(AuthorizationTest, HandlersActOnlyOnTheirOwnOrQueuedComplaints) {
  v1::Complaint c = SubmitAs("supervisor");
  v1::AssignComplaintRequest assign;
  assign.set_name(c.name());
  assign.set_assignee("someone-else");
  v1::Complaint out;
  ASSERT_TRUE(complaints_->AssignComplaint(As("supervisor").get(), assign, &out).ok());
  v1::AddComplaintNoteRequest note;
  note.set_name(c.name());
  note.set_text("x");
  note.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
  const auto before = Counts();
  grpc::Status st = complaints_->AddComplaintNote(As("handler").get(), note, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(st.error_message(), HasSubstr("assigned to someone-else"));
  EXPECT_EQ(Counts(), before);
  EXPECT_TRUE(complaints_->AddComplaintNote(As("supervisor").get(), note, &out).ok());
  assign.set_assignee("handler");
  ASSERT_TRUE(complaints_->AssignComplaint(As("supervisor").get(), assign, &out).ok());
  EXPECT_TRUE(complaints_->AddComplaintNote(As("handler").get(), note, &out).ok());
}

TEST_F(AuthorizationTest, IntakeReadsOnlyItsOwnSubmissions) {
  v1::Complaint mine = SubmitAs("intake");
  v1::Complaint theirs = SubmitAs("portal");
  v1::GetComplaintRequest get;
  v1::Complaint out;
  get.set_name(mine.name());
  EXPECT_TRUE(complaints_->GetComplaint(As("intake").get(), get, &out).ok());
  EXPECT_EQ(complaints_->GetComplaint(As("intake2").get(), get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  get.set_name(theirs.name());
  EXPECT_EQ(complaints_->GetComplaint(As("intake").get(), get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthorizationTest, PersonalDataNeedsItsGrant) {
  v1::Complaint c = SubmitAs("supervisor");
  EXPECT_FALSE(c.has_complainant());  // the submitter has no grant either
  v1::GetComplaintRequest get;
  get.set_name(c.name());
  v1::Complaint out;
  ASSERT_TRUE(complaints_->GetComplaint(As("supervisor").get(), get, &out).ok());
  EXPECT_FALSE(out.has_complainant());
  ASSERT_TRUE(complaints_->GetComplaint(As("reader").get(), get, &out).ok());
  EXPECT_EQ(out.complainant().display_name(), "Grace Hopper");
  v1::ListComplaintsResponse list;
  ASSERT_TRUE(complaints_->ListComplaints(As("supervisor").get(), {}, &list).ok());
  EXPECT_FALSE(list.complaints(0).has_complainant());
  v1::ExportAuditTrailRequest clear;
  clear.set_include_personal_data(true);
  auto ctx = As("auditor");
  auto reader = audit_stub_->ExportAuditTrail(ctx.get(), clear);
  v1::ExportAuditTrailResponse item;
  while (reader->Read(&item)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // With the grant: the complainant record is in clear.
  auto granted = As("exporter");
  auto clear_reader = audit_stub_->ExportAuditTrail(granted.get(), clear);
  std::string name_seen;
  while (clear_reader->Read(&item)) {
    if (item.has_complainant()) name_seen = item.complainant().display_name();
  }
  ASSERT_TRUE(clear_reader->Finish().ok());
  EXPECT_EQ(name_seen, "Grace Hopper");
}

TEST_F(AuthorizationTest, RateLimitPerPrincipal) {
  v1::SigningKey k;
  int exhausted = 0;
  for (int i = 0; i < 6; ++i) {
    grpc::Status st = audit_stub_->GetSigningKey(As("limited").get(), {}, &k);
    if (st.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++exhausted;
  }
  EXPECT_GE(exhausted, 3);  // 2/s with a burst of 2
  EXPECT_TRUE(audit_stub_->GetSigningKey(As("auditor").get(), {}, &k).ok());  // others unaffected
}

TEST_F(AuthorizationTest, ReloadTakesEffectForNewCalls) {
  v1::SigningKey k;
  ASSERT_TRUE(audit_stub_->GetSigningKey(As("auditor").get(), {}, &k).ok());
  auth_->Reload(std::move(*domain::AccessPolicy::Parse(
      "principals { name: \"admin\" roles: ROLE_ADMIN token_sha256: \"" +
      domain::Sha256Hex("tok-admin") + "\" }")));
  EXPECT_EQ(audit_stub_->GetSigningKey(As("auditor").get(), {}, &k).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(audit_stub_->GetSigningKey(As("admin").get(), {}, &k).ok());
}

// Issue #14, defect 1: an idempotency record belongs to its principal. For
// every mutating RPC, a second principal with the same role replaying the
// first one's request_id gets ALREADY_EXISTS and nothing else.
TEST_F(AuthorizationTest, CrossPrincipalIdempotencyForEveryMutatingRpc) {
  int covered = 0;
  for (const auto& path : testing::EveryMutationPath()) {
    const std::string rpc = testing::RpcName(path.action);
    SCOPED_TRACE(rpc);
    // Roles that may call it: intake for SubmitComplaint, admin for the
    // erasure, supervisor for the rest.
    const std::string role = path.action == domain::Action::kSubmit ? "intake"
                             : path.action == domain::Action::kEraseComplainantData ? "admin"
                                                                                  : "supervisor";
    std::string name;
    v1::Complaint out;
    for (size_t i = 0; i + 1 < path.steps.size(); ++i) {
      clock_.Advance(path.steps[i].advance_before);
      const grpc::Status st =
          CallMutation(path.steps[i].action, "supervisor", *path.steps[i].request(name), &out);
      ASSERT_TRUE(st.ok()) << testing::RpcName(path.steps[i].action) << ": " << st.error_message();
      name = out.name();
    }
    clock_.Advance(path.steps.back().advance_before);
    auto req = path.steps.back().request(name);
    const std::string rid = domain::NewUuid();
    req->GetReflection()->SetString(req.get(), req->GetDescriptor()->FindFieldByName("request_id"),
                                    rid);
    v1::Complaint first;
    grpc::Status st = CallMutation(path.action, role, *req, &first);
    ASSERT_TRUE(st.ok()) << st.error_message();
    const auto before = Counts();
    v1::Complaint leaked;
    st = CallMutation(path.action, role + "2", *req, &leaked);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << st.error_message();
    EXPECT_THAT(st.error_message(), ::testing::Not(HasSubstr(first.name())));
    EXPECT_THAT(st.error_message(), ::testing::Not(HasSubstr(first.reference())));
    EXPECT_THAT(st.error_message(), ::testing::Not(HasSubstr(rpc)));
    EXPECT_TRUE(leaked.name().empty());
    EXPECT_EQ(Counts(), before);
    v1::Complaint again;
    st = CallMutation(path.action, role, *req, &again);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(again.etag(), first.etag());
    ++covered;
  }
  EXPECT_EQ(covered, static_cast<int>(domain::ActionTable().size()));
}

TEST_F(AuthorizationTest, AccessConfigMayNotNameSystemActors) {
  for (const char* name : {"system:deadline-sweeper", "SYSTEM:anything", "System:x"}) {
    auto p = domain::AccessPolicy::Parse(std::string("principals { name: \"") + name +
                                         "\" roles: ROLE_ADMIN token_sha256: \"" +
                                         domain::Sha256Hex("t") + "\" }");
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(std::string(p.status().message()), HasSubstr("reserved")) << name;
  }
  // Only the prefix is reserved.
  EXPECT_TRUE(domain::AccessPolicy::Parse("principals { name: \"systems-team\" roles: ROLE_ADMIN "
                                          "token_sha256: \"" + domain::Sha256Hex("t") + "\" }")
                  .ok());
}

// Development mode (no access configuration): safe defaults (issue #14,
// defects 2 and 4).
class DevelopmentModeTest : public AuthorizationTest {
 protected:
  void SetUp() override { Start(nullptr, Authenticator::Options{}); }

  std::unique_ptr<grpc::ClientContext> Actor(const std::string& actor) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!actor.empty()) ctx->AddMetadata("x-redress-actor", actor);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1500));
    return ctx;
  }

  v1::Complaint Submit(const std::string& actor = "dev") {
    v1::SubmitComplaintRequest r;
    r.mutable_complaint()->mutable_complainant()->set_display_name("Grace Hopper");
    r.mutable_complaint()->mutable_complainant()->set_email("grace@example.org");
    r.mutable_complaint()->set_channel(v1::CHANNEL_WEB);
    r.mutable_complaint()->set_description("d");
    v1::Complaint out;
    grpc::Status st = complaints_->SubmitComplaint(Actor(actor).get(), r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }
};

TEST_F(DevelopmentModeTest, PersonalDataIsNeverReturnedByDefault) {
  const v1::Complaint c = Submit();
  EXPECT_FALSE(c.has_complainant());
  v1::GetComplaintRequest get;
  get.set_name(c.name());
  v1::Complaint out;
  ASSERT_TRUE(complaints_->GetComplaint(Actor("dev").get(), get, &out).ok());
  EXPECT_FALSE(out.has_complainant());
  v1::ListComplaintsResponse list;
  ASSERT_TRUE(complaints_->ListComplaints(Actor("dev").get(), {}, &list).ok());
  ASSERT_EQ(list.complaints_size(), 1);
  EXPECT_FALSE(list.complaints(0).has_complainant());
}

TEST_F(DevelopmentModeTest, ExportErasureAndRetentionAreRefusedByDefault) {
  const v1::Complaint c = Submit();
  const auto before = Counts();
  for (const char* rpc : {"ExportAuditTrail", "EraseComplainantData", "SweepRetention"}) {
    SCOPED_TRACE(rpc);
    v1::Complaint out;
    grpc::Status st;
    if (std::string(rpc) == "ExportAuditTrail") {
      auto ctx = Actor("dev");
      auto reader = audit_stub_->ExportAuditTrail(ctx.get(), {});
      v1::ExportAuditTrailResponse item;
      while (reader->Read(&item)) {
      }
      st = reader->Finish();
    } else if (std::string(rpc) == "EraseComplainantData") {
      v1::EraseComplainantDataRequest r;
      r.set_name(c.name());
      r.set_reason("asked");
      st = audit_stub_->EraseComplainantData(Actor("dev").get(), r, &out);
    } else {
      v1::SweepRetentionResponse resp;
      st = audit_stub_->SweepRetention(Actor("dev").get(), {}, &resp);
    }
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
    EXPECT_THAT(st.error_message(), HasSubstr("--dev-allow-personal-data"));
  }
  EXPECT_EQ(Counts(), before);
}

TEST_F(DevelopmentModeTest, TheFlagAllowsPersonalDataExplicitly) {
  server_->Shutdown(absl::Seconds(1));
  Authenticator::Options o;
  o.dev_allow_personal_data = true;
  Start(nullptr, o);
  const v1::Complaint c = Submit();
  EXPECT_EQ(c.complainant().email(), "grace@example.org");
  v1::EraseComplainantDataRequest r;
  r.set_name(c.name());
  r.set_reason("asked");
  v1::Complaint out;
  grpc::Status st = audit_stub_->EraseComplainantData(Actor("dev").get(), r, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

TEST_F(DevelopmentModeTest, EveryCallNeedsAnActorAndSystemActorsAreReserved) {
  const v1::Complaint c = Submit();
  const auto before = Counts();
  v1::GetComplaintRequest get;
  get.set_name(c.name());
  v1::Complaint out;
  grpc::Status st = complaints_->GetComplaint(Actor("").get(), get, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(st.error_message(), HasSubstr("x-redress-actor"));
  v1::SigningKey key;
  EXPECT_EQ(audit_stub_->GetSigningKey(Actor("").get(), {}, &key).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::AddComplaintNoteRequest note;
  note.set_name(c.name());
  note.set_text("forged");
  note.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
  for (const char* forged : {"system:deadline-sweeper", "SYSTEM:deadline-sweeper", "system:"}) {
    SCOPED_TRACE(forged);
    st = complaints_->AddComplaintNote(Actor(forged).get(), note, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_THAT(st.error_message(), HasSubstr("reserved"));
    EXPECT_EQ(complaints_->GetComplaint(Actor(forged).get(), get, &out).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(Counts(), before);
  // Ordinary events record the principal kind.
  ASSERT_TRUE(complaints_->AddComplaintNote(Actor("dev").get(), note, &out).ok());
  v1::ListComplaintEventsRequest lr;
  lr.set_parent(c.name());
  v1::ListComplaintEventsResponse events;
  ASSERT_TRUE(complaints_->ListComplaintEvents(Actor("dev").get(), lr, &events).ok());
  ASSERT_EQ(events.events_size(), 2);
  for (const auto& e : events.events()) {
    EXPECT_EQ(e.actor_kind(), v1::ComplaintEvent::ACTOR_KIND_PRINCIPAL);
  }
}

TEST_F(DevelopmentModeTest, CrossPrincipalIdempotencyToo) {
  v1::SubmitComplaintRequest r;
  r.mutable_complaint()->mutable_complainant()->set_display_name("Grace Hopper");
  r.mutable_complaint()->set_channel(v1::CHANNEL_WEB);
  r.mutable_complaint()->set_description("d");
  r.set_request_id(domain::NewUuid());
  v1::Complaint first, second;
  ASSERT_TRUE(complaints_->SubmitComplaint(Actor("intake1").get(), r, &first).ok());
  grpc::Status st = complaints_->SubmitComplaint(Actor("intake2").get(), r, &second);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(st.error_message(), ::testing::Not(HasSubstr(first.name())));
  EXPECT_TRUE(second.name().empty());
}

}  // namespace
}  // namespace redress::api
