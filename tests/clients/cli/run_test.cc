// redressctl against an in-process fake ComplaintService: the right RPC with
// the right request and metadata, paging, --verify, error output, exit codes.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/version.h"
#include "clients/cli/commands.h"
#include "clients/cli/flags.h"
#include "clients/cli/run.h"
#include "clients/cli/uuid.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/server_context.h"
#include "gtest/gtest.h"
#include "redress/v1/complaint_service.grpc.pb.h"
#include "server/domain/event_hash.h"
#include "tests/clients/cli/report_fixture.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// One received call.
struct Call {
  std::string method;
  std::string actor;  // "<none>" without x-redress-actor
  std::chrono::system_clock::time_point deadline;
  std::shared_ptr<google::protobuf::Message> request;
};

class FakeService final : public v1::ComplaintService::Service {
 public:
  FakeService() {
    for (int i = 1; i <= 5; ++i) {
      v1::Complaint c;
      c.set_name(absl::StrCat("complaints/c", i));
      c.set_reference(absl::StrCat("CMP-2026-00000", i));
      c.set_state(v1::Complaint::STATE_RECEIVED);
      c.set_channel(v1::CHANNEL_WEB);
      complaints_.push_back(c);
    }
    std::string prev = redress::domain::kGenesisHashHex;
    for (int i = 1; i <= 5; ++i) {
      v1::ComplaintEvent e;
      e.set_name(absl::StrCat("complaints/c1/events/", i));
      e.set_sequence(i);
      e.set_position(100 + i);
      e.set_type(i == 1 ? v1::ComplaintEvent::TYPE_SUBMITTED : v1::ComplaintEvent::TYPE_NOTE_ADDED);
      e.set_from_state(i == 1 ? v1::Complaint::STATE_UNSPECIFIED : v1::Complaint::STATE_RECEIVED);
      e.set_to_state(v1::Complaint::STATE_RECEIVED);
      e.set_actor("alice");
      e.mutable_event_time()->set_seconds(1770000000 + i);
      e.set_payload(absl::StrCat("{\"n\":", i, "}"));
      e.set_prev_hash(prev);
      e.set_hash(redress::domain::ComputeEventHash(e));
      prev = e.hash();
      events_.push_back(e);
    }
  }

  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  void FailNext(grpc::Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_next_ = status;
  }
  // Called by the test thread while gRPC's threads may serve ListComplaintEvents.
  void CorruptEvent(int index) {
    std::lock_guard<std::mutex> lock(mu_);
    events_[index].set_payload("{\"tampered\":true}");
  }

  grpc::Status ListComplaints(grpc::ServerContext* ctx, const v1::ListComplaintsRequest* req,
                              v1::ListComplaintsResponse* resp) override {
    if (auto s = Record("ListComplaints", ctx, *req); !s.ok()) return s;
    size_t start = req->page_token().empty() ? 0 : std::stoul(req->page_token());
    size_t size = req->page_size() == 0 ? 2 : req->page_size();
    for (size_t i = start; i < complaints_.size() && i < start + size; ++i) {
      *resp->add_complaints() = complaints_[i];
    }
    if (start + size < complaints_.size()) resp->set_next_page_token(absl::StrCat(start + size));
    return grpc::Status::OK;
  }

  grpc::Status ListComplaintEvents(grpc::ServerContext* ctx,
                                   const v1::ListComplaintEventsRequest* req,
                                   v1::ListComplaintEventsResponse* resp) override {
    if (auto s = Record("ListComplaintEvents", ctx, *req); !s.ok()) return s;
    size_t start = req->page_token().empty() ? 0 : std::stoul(req->page_token());
    size_t size = req->page_size() == 0 ? 2 : req->page_size();
    std::lock_guard<std::mutex> lock(mu_);  // events_ (CorruptEvent)
    for (size_t i = start; i < events_.size() && i < start + size; ++i) {
      *resp->add_events() = events_[i];
    }
    if (start + size < events_.size()) resp->set_next_page_token(absl::StrCat(start + size));
    return grpc::Status::OK;
  }

#define REDRESS_FAKE_UNARY(Method, Request)                                              \
  grpc::Status Method(grpc::ServerContext* ctx, const v1::Request* req, v1::Complaint* resp) \
      override {                                                                         \
    if (auto s = Record(#Method, ctx, *req); !s.ok()) return s;                          \
    *resp = complaints_[0];                                                              \
    return grpc::Status::OK;                                                             \
  }
  REDRESS_FAKE_UNARY(SubmitComplaint, SubmitComplaintRequest)
  REDRESS_FAKE_UNARY(GetComplaint, GetComplaintRequest)
  REDRESS_FAKE_UNARY(AcknowledgeComplaint, AcknowledgeComplaintRequest)
  REDRESS_FAKE_UNARY(AssessComplaint, AssessComplaintRequest)
  REDRESS_FAKE_UNARY(AssignComplaint, AssignComplaintRequest)
  REDRESS_FAKE_UNARY(StartInvestigation, StartInvestigationRequest)
  REDRESS_FAKE_UNARY(AddComplaintNote, AddComplaintNoteRequest)
  REDRESS_FAKE_UNARY(EscalateComplaint, EscalateComplaintRequest)
  REDRESS_FAKE_UNARY(RespondToComplaint, RespondToComplaintRequest)
  REDRESS_FAKE_UNARY(RecordComplainantDecision, RecordComplainantDecisionRequest)
  REDRESS_FAKE_UNARY(OpenDispute, OpenDisputeRequest)
  REDRESS_FAKE_UNARY(ResolveDispute, ResolveDisputeRequest)
  REDRESS_FAKE_UNARY(CloseComplaint, CloseComplaintRequest)
  REDRESS_FAKE_UNARY(WithdrawComplaint, WithdrawComplaintRequest)
  REDRESS_FAKE_UNARY(ReopenComplaint, ReopenComplaintRequest)
  REDRESS_FAKE_UNARY(RequestInformation, RequestInformationRequest)
  REDRESS_FAKE_UNARY(ReceiveInformation, ReceiveInformationRequest)
  REDRESS_FAKE_UNARY(SendHoldingResponse, SendHoldingResponseRequest)
  REDRESS_FAKE_UNARY(ExtendDeadline, ExtendDeadlineRequest)
  REDRESS_FAKE_UNARY(RecomputeDeadlines, RecomputeDeadlinesRequest)
  REDRESS_FAKE_UNARY(RecordSatisfaction, RecordSatisfactionRequest)
#undef REDRESS_FAKE_UNARY

  grpc::Status GetComplaintStatistics(grpc::ServerContext* ctx,
                                      const v1::GetComplaintStatisticsRequest* req,
                                      v1::ComplaintStatistics* resp) override {
    if (auto s = Record("GetComplaintStatistics", ctx, *req); !s.ok()) return s;
    *resp = report_fixture::SampleStatistics();
    return grpc::Status::OK;
  }

 private:
  template <typename Request>
  grpc::Status Record(const std::string& method, grpc::ServerContext* ctx, const Request& req) {
    Call call;
    call.method = method;
    auto it = ctx->client_metadata().find("x-redress-actor");
    call.actor = it == ctx->client_metadata().end()
                     ? "<none>"
                     : std::string(it->second.data(), it->second.size());
    call.deadline = ctx->deadline();
    call.request = std::make_shared<Request>(req);
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(std::move(call));
    if (fail_next_.has_value()) {
      grpc::Status s = *fail_next_;
      fail_next_.reset();
      return s;
    }
    return grpc::Status::OK;
  }

  std::mutex mu_;
  std::vector<Call> calls_;
  std::optional<grpc::Status> fail_next_;
  std::vector<v1::Complaint> complaints_;
  std::vector<v1::ComplaintEvent> events_;
};

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Loopback TCP, not InProcessChannel: in process, the server thread
    // parses the client's bytes straight from shared gRPC slices, ordered only
    // by gRPC's own (uninstrumented) locks -- races to ThreadSanitizer.
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    stub_ = v1::ComplaintService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  // Parses `args` (usage errors give 2, like Main) and executes them.
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    auto inv = ParseCommandLine(args, [](const std::string& name) -> std::optional<std::string> {
      if (name == "USER") return "tester";
      return std::nullopt;
    });
    if (!inv.ok()) {
      err_ << inv.status().message();
      return kExitUsage;
    }
    return Execute(*inv, *stub_, out_, err_);
  }

  template <typename Request>
  const Request& LastRequest() {
    calls_ = service_.calls();
    EXPECT_FALSE(calls_.empty());
    auto* req = dynamic_cast<const Request*>(calls_.back().request.get());
    EXPECT_NE(req, nullptr) << calls_.back().method;
    return *req;
  }

  FakeService service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::ComplaintService::Stub> stub_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::vector<Call> calls_;
};

TEST_F(RunTest, GetSendsActorAndDeadlineAndPrintsTable) {
  auto before = std::chrono::system_clock::now();
  ASSERT_EQ(Run({"get", "c1", "--actor", "alice", "--timeout", "30"}), kExitOk) << err_.str();
  std::vector<Call> calls = service_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "GetComplaint");
  EXPECT_EQ(calls[0].actor, "alice");
  EXPECT_GT(calls[0].deadline, before + std::chrono::seconds(25));
  EXPECT_LT(calls[0].deadline, before + std::chrono::seconds(35));
  EXPECT_EQ(LastRequest<v1::GetComplaintRequest>().name(), "complaints/c1");
  EXPECT_THAT(out_.str(), HasSubstr("reference:"));
  EXPECT_THAT(out_.str(), HasSubstr("CMP-2026-000001"));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(RunTest, ActorDefaultsToUser) {
  ASSERT_EQ(Run({"get", "c1"}), kExitOk);
  EXPECT_EQ(service_.calls().at(0).actor, "tester");
}

TEST_F(RunTest, EmptyActorSendsNoMetadata) {
  ASSERT_EQ(Run({"get", "c1", "--actor="}), kExitOk);
  EXPECT_EQ(service_.calls().at(0).actor, "<none>");
}

TEST_F(RunTest, GetJsonPrintsOneParsableObject) {
  ASSERT_EQ(Run({"--output", "json", "get", "complaints/c1"}), kExitOk);
  v1::Complaint c;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &c).ok()) << out_.str();
  EXPECT_EQ(c.name(), "complaints/c1");
  EXPECT_THAT(out_.str(), HasSubstr("\"reference\""));
}

TEST_F(RunTest, EachCommandCallsItsRpc) {
  const std::vector<std::vector<std::string>> invocations = {
      {"submit", "--name", "A", "--channel", "web", "--description", "d"},
      {"get", "c1"},
      {"list"},
      {"history", "c1"},
      {"ack", "c1"},
      {"assess", "c1", "--severity", "low", "--priority", "low", "--complexity", "low",
       "--impact", "low"},
      {"assign", "c1", "--assignee", "bob"},
      {"investigate", "c1"},
      {"note", "c1", "--text", "t"},
      {"escalate", "c1", "--reason", "r"},
      {"respond", "c1", "--decision", "upheld", "--text", "t", "--via", "email"},
      {"decide", "c1", "--outcome", "accepted"},
      {"dispute", "c1", "--kind", "internal-appeal"},
      {"resolve-dispute", "c1", "--outcome", "remitted", "--text", "t"},
      {"close", "c1", "--reason", "r"},
      {"withdraw", "c1"},
      {"reopen", "c1", "--reason", "r"},
      {"request-info", "c1", "--information", "i"},
      {"receive-info", "c1"},
      {"holding-response", "c1", "--text", "t"},
      {"extend-deadline", "c1", "--kind", "final-response", "--amount", "35", "--reason", "r"},
      {"recompute-deadlines", "c1", "--reason", "r"},
      {"satisfaction", "c1", "--nps", "9"},
      {"stats"},
      {"report", "--html", ::testing::TempDir() + "/each-command.html"},
  };
  size_t complaint_commands = 0;
  for (const CommandSpec& c : Commands()) complaint_commands += c.service == "ComplaintService";
  ASSERT_EQ(invocations.size(), complaint_commands);
  for (const auto& args : invocations) {
    size_t before = service_.calls().size();
    ASSERT_EQ(Run(args), kExitOk) << args[0] << ": " << err_.str();
    std::vector<Call> calls = service_.calls();
    ASSERT_GT(calls.size(), before) << args[0];
    EXPECT_EQ(calls[before].method, FindCommand(args[0])->rpc) << args[0];
  }
}

TEST_F(RunTest, MutatingCallCarriesEtagAndGeneratedRequestId) {
  ASSERT_EQ(Run({"assign", "c1", "--assignee", "bob", "--etag", "E7"}), kExitOk);
  const auto& req = LastRequest<v1::AssignComplaintRequest>();
  EXPECT_EQ(req.name(), "complaints/c1");
  EXPECT_EQ(req.etag(), "E7");
  EXPECT_EQ(req.assignee(), "bob");
  EXPECT_TRUE(IsUuidV4(req.request_id())) << req.request_id();
  std::string first = req.request_id();

  ASSERT_EQ(Run({"assign", "c1", "--assignee", "bob"}), kExitOk);
  EXPECT_NE(LastRequest<v1::AssignComplaintRequest>().request_id(), first);

  ASSERT_EQ(Run({"assign", "c1", "--assignee", "bob", "--request-id", "given"}), kExitOk);
  EXPECT_EQ(LastRequest<v1::AssignComplaintRequest>().request_id(), "given");
}

TEST_F(RunTest, RpcErrorPrintsCodeNameAndExitsOne) {
  service_.FailNext(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                 "complaint is in state CLOSED"));
  EXPECT_EQ(Run({"escalate", "c1", "--reason", "r"}), kExitFailure);
  EXPECT_EQ(err_.str(), "error: FAILED_PRECONDITION: complaint is in state CLOSED\n");
  EXPECT_EQ(out_.str(), "");

  service_.FailNext(grpc::Status(grpc::StatusCode::ABORTED, "etag mismatch"));
  EXPECT_EQ(Run({"close", "c1", "--reason", "r", "--etag", "old"}), kExitFailure);
  EXPECT_EQ(err_.str(), "error: ABORTED: etag mismatch\n");
}

TEST_F(RunTest, UsageErrorsMakeNoRpc) {
  EXPECT_EQ(Run({"assess", "c1", "--severity", "low", "--priority", "low", "--complexity",
                 "low", "--impact", "huge"}),
            kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--impact"));
  EXPECT_EQ(Run({"assign", "c1"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--assignee"));
  EXPECT_EQ(Run({"get", "c1", "--nope"}), kExitUsage);
  EXPECT_EQ(Run({"respond", "c1", "--decision", "upheld", "--text", "t", "--via", "web",
                 "--amount", "5"}),
            kExitUsage);
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(RunTest, ListOnePageShowsNextToken) {
  ASSERT_EQ(Run({"list", "--filter", "state = RECEIVED"}), kExitOk);
  std::vector<Call> calls = service_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(LastRequest<v1::ListComplaintsRequest>().filter(), "state = RECEIVED");
  EXPECT_THAT(out_.str(), StartsWith("NAME "));
  EXPECT_THAT(out_.str(), HasSubstr("complaints/c2"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("complaints/c3")));
  EXPECT_THAT(out_.str(), HasSubstr("--page-token 2"));
}

TEST_F(RunTest, ListAllFollowsPageTokens) {
  ASSERT_EQ(Run({"list", "--all", "--filter", "f", "--page-size", "2"}), kExitOk);
  std::vector<Call> calls = service_.calls();
  ASSERT_EQ(calls.size(), 3u);
  std::vector<std::string> tokens;
  for (const Call& c : calls) {
    auto* req = dynamic_cast<const v1::ListComplaintsRequest*>(c.request.get());
    ASSERT_NE(req, nullptr);
    EXPECT_EQ(req->filter(), "f");
    EXPECT_EQ(req->page_size(), 2);
    tokens.push_back(req->page_token());
  }
  EXPECT_THAT(tokens, ::testing::ElementsAre("", "2", "4"));
  for (int i = 1; i <= 5; ++i) EXPECT_THAT(out_.str(), HasSubstr(absl::StrCat("complaints/c", i)));
  EXPECT_THAT(out_.str(), Not(HasSubstr("--page-token")));
}

TEST_F(RunTest, ListAllJson) {
  ASSERT_EQ(Run({"list", "--all", "--output=json"}), kExitOk);
  v1::ListComplaintsResponse resp;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &resp).ok()) << out_.str();
  EXPECT_EQ(resp.complaints_size(), 5);
  EXPECT_EQ(resp.next_page_token(), "");
}

TEST_F(RunTest, HistoryFetchesAllPagesAndVerifies) {
  ASSERT_EQ(Run({"history", "c1", "--verify"}), kExitOk) << err_.str();
  std::vector<Call> calls = service_.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(LastRequest<v1::ListComplaintEventsRequest>().parent(), "complaints/c1");
  EXPECT_THAT(out_.str(), StartsWith("SEQ "));
  EXPECT_THAT(out_.str(), HasSubstr("SUBMITTED"));
  EXPECT_THAT(out_.str(), HasSubstr("NOTE_ADDED"));
  EXPECT_THAT(out_.str(), HasSubstr("\n5 "));
  EXPECT_THAT(out_.str(), HasSubstr("chain verified: 5 events\n"));
}

TEST_F(RunTest, HistoryPageSizeIsPassedOn) {
  ASSERT_EQ(Run({"history", "c1", "--page-size", "3"}), kExitOk);
  std::vector<Call> calls = service_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(LastRequest<v1::ListComplaintEventsRequest>().page_size(), 3);
  EXPECT_THAT(out_.str(), Not(HasSubstr("chain verified")));
}

TEST_F(RunTest, HistoryVerifyDetectsTampering) {
  service_.CorruptEvent(3);
  EXPECT_EQ(Run({"history", "c1", "--verify"}), kExitFailure);
  EXPECT_THAT(err_.str(), StartsWith("error: DATA_LOSS: "));
  EXPECT_THAT(err_.str(), HasSubstr("complaints/c1/events/4"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("chain verified")));
}

TEST_F(RunTest, HistoryJsonKeepsStdoutParsable) {
  ASSERT_EQ(Run({"history", "c1", "--verify", "--output", "json"}), kExitOk);
  v1::ListComplaintEventsResponse resp;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &resp).ok()) << out_.str();
  EXPECT_EQ(resp.events_size(), 5);
  EXPECT_EQ(resp.next_page_token(), "");
  EXPECT_EQ(err_.str(), "chain verified: 5 events\n");
}

TEST_F(RunTest, ListErrorStopsPaging) {
  service_.FailNext(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "filter: bad field"));
  EXPECT_EQ(Run({"list", "--all", "--filter", "colour = red"}), kExitFailure);
  EXPECT_EQ(err_.str(), "error: INVALID_ARGUMENT: filter: bad field\n");
  EXPECT_EQ(service_.calls().size(), 1u);
}

TEST_F(RunTest, FieldViolationsArePrinted) {
  google::rpc::BadRequest bad;
  auto* v = bad.add_field_violations();
  v->set_field("complaint.complainant.email");
  v->set_description("not an e-mail address");
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("complaint.complainant.email: not an e-mail address");
  details.add_details()->PackFrom(bad);
  service_.FailNext(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, details.message(),
                                 details.SerializeAsString()));
  EXPECT_EQ(Run({"list", "--all"}), kExitFailure);
  EXPECT_EQ(err_.str(),
            "error: INVALID_ARGUMENT: complaint.complainant.email: not an e-mail address\n"
            "field_violation: complaint.complainant.email: not an e-mail address\n");
  // Details that do not parse are ignored; the readable message remains.
  err_.str("");
  service_.FailNext(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "x: y", "\xff\xff"));
  EXPECT_EQ(Run({"list", "--all"}), kExitFailure);
  EXPECT_EQ(err_.str(), "error: INVALID_ARGUMENT: x: y\n");
}

TEST_F(RunTest, StatsSendsFiltersAndPrintsTableOrJson) {
  ASSERT_EQ(Run({"stats", "--category", "billing", "--channel", "email", "--from",
                 "2026-10-01T00:00:00Z"}),
            kExitOk)
      << err_.str();
  const auto& req = LastRequest<v1::GetComplaintStatisticsRequest>();
  EXPECT_EQ(req.category(), "billing");
  EXPECT_EQ(req.channel(), v1::CHANNEL_EMAIL);
  EXPECT_EQ(req.start_time().seconds(), 1790812800);
  EXPECT_THAT(out_.str(), HasSubstr("DISP 1.10 by category:"));
  EXPECT_THAT(out_.str(), HasSubstr("+33.3 (n=6: 3 promoters, 1 detractors)"));

  ASSERT_EQ(Run({"stats", "--output", "json"}), kExitOk);
  v1::ComplaintStatistics stats;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &stats).ok()) << out_.str();
  EXPECT_EQ(stats.complaint_count(), 12);
  EXPECT_EQ(stats.weeks_size(), 3);
  EXPECT_THAT(out_.str(), HasSubstr("\"received_by_channel\""));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(RunTest, ReportWritesHtmlAndCsv) {
  const std::string html = ::testing::TempDir() + "/run-report.html";
  const std::string csv = ::testing::TempDir() + "/run-report.csv";
  std::remove(html.c_str());
  std::remove(csv.c_str());
  ASSERT_EQ(Run({"report", "--html", html, "--csv", csv, "--policy", "fca-disp", "--title",
                 "November"}),
            kExitOk)
      << err_.str();
  EXPECT_EQ(LastRequest<v1::GetComplaintStatisticsRequest>().policy_id(), "fca-disp");
  EXPECT_EQ(out_.str(), absl::StrCat("wrote ", html, " (12 complaints, 3 weeks)\nwrote ", csv,
                                     " (3 categories and a total)\n"));
  const std::string page = ReadFile(html);
  EXPECT_THAT(page, HasSubstr("<h1>November</h1>"));
  EXPECT_THAT(page, HasSubstr("policy fca-disp"));
  EXPECT_THAT(page, HasSubstr("id=\"chart-volume\""));
  EXPECT_THAT(ReadFile(csv), HasSubstr("\r\ntotal,,12,4,7,"));
  EXPECT_FALSE(std::ifstream(html + ".tmp").good());

  ASSERT_EQ(Run({"report", "--html", html, "--output", "json"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("\"complaint_count\": 12"));
}

TEST_F(RunTest, ReportUsageAndWriteErrors) {
  EXPECT_EQ(Run({"report"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--html"));
  EXPECT_EQ(Run({"report", "--html", "same", "--csv", "same"}), kExitUsage);
  EXPECT_TRUE(service_.calls().empty());
  EXPECT_EQ(Run({"report", "--html", "/nonexistent-dir/r.html"}), kExitFailure);
  EXPECT_THAT(err_.str(), StartsWith("error: UNAVAILABLE: cannot write /nonexistent-dir/r.html.tmp"));
}

TEST_F(RunTest, ClockMutationsCarryTheirFields) {
  ASSERT_EQ(Run({"extend-deadline", "c1", "--kind", "final-response", "--amount", "35",
                 "--reason", "exceptional", "--etag", "E9"}),
            kExitOk);
  const auto& ext = LastRequest<v1::ExtendDeadlineRequest>();
  EXPECT_EQ(ext.etag(), "E9");
  EXPECT_EQ(ext.extension().amount(), 35);
  EXPECT_TRUE(IsUuidV4(ext.request_id()));
  ASSERT_EQ(Run({"satisfaction", "c1", "--csat", "5", "--request-id", "fixed"}), kExitOk);
  EXPECT_EQ(LastRequest<v1::RecordSatisfactionRequest>().request_id(), "fixed");
  EXPECT_EQ(LastRequest<v1::RecordSatisfactionRequest>().satisfaction().csat_score(), 5);
  ASSERT_EQ(Run({"list", "--view", "full"}), kExitOk);
  EXPECT_EQ(LastRequest<v1::ListComplaintsRequest>().view(), v1::COMPLAINT_VIEW_FULL);
}

// Main() end to end, without a server.
class MainTest : public ::testing::Test {
 protected:
  int RunMain(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return Main(args, out_, err_, [](const std::string&) { return std::nullopt; });
  }
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(MainTest, VersionPrintsVersionAndRevision) {
  EXPECT_EQ(RunMain({"--version"}), kExitOk);
  EXPECT_EQ(out_.str(), redress::VersionLine("redressctl") + "\n");
  EXPECT_THAT(out_.str(), StartsWith(std::string("redressctl ") + redress::kVersion + " (git "));
  EXPECT_NE(std::string(redress::kGitRevision), "");
}

TEST_F(MainTest, Help) {
  EXPECT_EQ(RunMain({"--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Usage: redressctl"));
  EXPECT_THAT(out_.str(), HasSubstr("resolve-dispute"));
  EXPECT_EQ(RunMain({"submit", "--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Usage: redressctl submit"));
  EXPECT_THAT(out_.str(), HasSubstr("--attachment"));
  EXPECT_EQ(RunMain({"help", "respond"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("--currency"));
}

TEST_F(MainTest, UsageErrorsExitTwoAndNameTheFlag) {
  EXPECT_EQ(RunMain({}), kExitUsage);
  EXPECT_EQ(RunMain({"note", "c1", "--visibility", "internal"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--text"));
  EXPECT_THAT(err_.str(), HasSubstr("redressctl note --help"));
  EXPECT_EQ(RunMain({"decide", "c1", "--outcome", "perhaps"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--outcome"));
  EXPECT_EQ(out_.str(), "");
}

TEST_F(MainTest, UnreachableServerIsAnRpcError) {
  // Port 1 on localhost: connection refused.
  EXPECT_EQ(RunMain({"get", "c1", "--server", "127.0.0.1:1", "--timeout", "2"}), kExitFailure);
  EXPECT_THAT(err_.str(), ::testing::AnyOf(StartsWith("error: UNAVAILABLE: "),
                                           StartsWith("error: DEADLINE_EXCEEDED: ")));
}

}  // namespace
}  // namespace redress::cli
