// redressctl's audit commands against an in-process fake AuditService: the
// right RPC and request, the export file (written via FILE.tmp), output,
// errors and exit codes; and the offline verify commands.
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/commands.h"
#include "clients/cli/flags.h"
#include "clients/cli/run.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/server_context.h"
#include "gtest/gtest.h"
#include "tests/clients/cli/audit_test_util.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::ReadFile;
using testing::TempDir;

class FakeAudit final : public v1::AuditService::Service {
 public:
  FakeAudit()
      : signer_(domain::CheckpointSigner::Generate()), events_(testing::MakeLedger(3, 4)) {}

  grpc::Status ExportAuditTrail(grpc::ServerContext* ctx, const v1::ExportAuditTrailRequest* req,
                                grpc::ServerWriter<v1::ExportAuditTrailResponse>* writer) override {
    Record("ExportAuditTrail", ctx, *req);
    std::set<std::string> only(req->complaints().begin(), req->complaints().end());
    auto items = testing::MakeStream(*signer_, events_, {6, 12}, only);
    int fail_after;
    bool permission_denied;
    {
      std::lock_guard<std::mutex> lock(mu_);
      fail_after = fail_after_;
      permission_denied = permission_denied_;
    }
    int sent = 0;
    for (const auto& item : items) {
      if (fail_after >= 0 && sent == fail_after) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection lost");
      }
      writer->Write(item);
      ++sent;
    }
    if (permission_denied) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not permitted");
    }
    return grpc::Status::OK;
  }

  grpc::Status GetSigningKey(grpc::ServerContext* ctx, const v1::GetSigningKeyRequest* req,
                             v1::SigningKey* resp) override {
    Record("GetSigningKey", ctx, *req);
    resp->set_public_key(signer_->public_key());
    resp->set_key_id(signer_->key_id());
    return grpc::Status::OK;
  }

  grpc::Status ListCheckpoints(grpc::ServerContext* ctx, const v1::ListCheckpointsRequest* req,
                               v1::ListCheckpointsResponse* resp) override {
    Record("ListCheckpoints", ctx, *req);
    const auto leaves = testing::Leaves(events_);
    // Pages of one checkpoint each: 4, 8, 12.
    int start = req->page_token().empty() ? 0 : std::stoi(req->page_token());
    *resp->add_checkpoints() = testing::Sign(*signer_, leaves, 4 * (start + 1));
    if (start < 2) resp->set_next_page_token(absl::StrCat(start + 1));
    return grpc::Status::OK;
  }

  grpc::Status GetConsistencyProof(grpc::ServerContext* ctx,
                                   const v1::GetConsistencyProofRequest* req,
                                   v1::ConsistencyProof* resp) override {
    Record("GetConsistencyProof", ctx, *req);
    const auto leaves = testing::Leaves(events_);
    resp->set_first(req->first_tree_size());
    resp->set_second(req->second_tree_size());
    const std::vector<std::string> proof =
        *domain::MerkleConsistencyProof(leaves, req->first_tree_size(), req->second_tree_size());
    for (const auto& h : proof) {
      resp->add_proof(absl::BytesToHexString(h));
    }
    *resp->mutable_first_checkpoint() = testing::Sign(*signer_, leaves, req->first_tree_size());
    *resp->mutable_second_checkpoint() = testing::Sign(*signer_, leaves, req->second_tree_size());
    return grpc::Status::OK;
  }

  grpc::Status EraseComplainantData(grpc::ServerContext* ctx,
                                    const v1::EraseComplainantDataRequest* req,
                                    v1::Complaint* resp) override {
    Record("EraseComplainantData", ctx, *req);
    resp->set_name(req->name());
    resp->set_state(v1::Complaint::STATE_CLOSED);
    return grpc::Status::OK;
  }

  grpc::Status SweepRetention(grpc::ServerContext* ctx, const v1::SweepRetentionRequest* req,
                              v1::SweepRetentionResponse* resp) override {
    Record("SweepRetention", ctx, *req);
    resp->add_complaints("complaints/old1");
    resp->add_complaints("complaints/old2");
    resp->set_retention_days(1095);
    return grpc::Status::OK;
  }

  std::vector<std::pair<std::string, std::shared_ptr<google::protobuf::Message>>> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  std::string public_key() const { return signer_->public_key(); }
  // Set by the test thread, read by gRPC's handler thread: under mu_.
  void FailAfter(int items) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_after_ = items;
  }
  void DenyAtEnd() {
    std::lock_guard<std::mutex> lock(mu_);
    permission_denied_ = true;
  }
  std::string last_authorization() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_authorization_;
  }

 private:
  template <typename Request>
  void Record(const std::string& method, grpc::ServerContext* ctx, const Request& req) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.emplace_back(method, std::make_shared<Request>(req));
    auto it = ctx->client_metadata().find("authorization");
    last_authorization_ = it == ctx->client_metadata().end()
                              ? "<none>"
                              : std::string(it->second.data(), it->second.size());
  }
  std::string last_authorization_;

  std::unique_ptr<domain::CheckpointSigner> signer_;
  std::vector<v1::ComplaintEvent> events_;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::shared_ptr<google::protobuf::Message>>> calls_;
  int fail_after_ = -1;             // guarded by mu_
  bool permission_denied_ = false;  // guarded by mu_
};

class AuditRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Loopback TCP, not InProcessChannel: see RunTest::SetUp (run_test.cc).
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
    stub_ = v1::ComplaintService::NewStub(channel);
    audit_ = v1::AuditService::NewStub(channel);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    auto inv = ParseCommandLine(args, [](const std::string&) { return std::nullopt; });
    if (!inv.ok()) {
      err_ << inv.status().message();
      return kExitUsage;
    }
    if (inv->help) {
      out_ << CommandHelp(*inv->command);
      return kExitOk;
    }
    return Execute(*inv, *stub_, audit_.get(), out_, err_);
  }

  template <typename Request>
  const Request& Last(const std::string& method) {
    calls_ = service_.calls();
    EXPECT_FALSE(calls_.empty());
    EXPECT_EQ(calls_.back().first, method);
    return *dynamic_cast<const Request*>(calls_.back().second.get());
  }

  FakeAudit service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::ComplaintService::Stub> stub_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::vector<std::pair<std::string, std::shared_ptr<google::protobuf::Message>>> calls_;
  TempDir dir_;
};

TEST_F(AuditRunTest, ExportWritesAVerifiableFileViaTmp) {
  const std::string file = dir_.File("trail.jsonl");
  ASSERT_EQ(Run({"audit", "export", "--out", file}), kExitOk) << err_.str();
  EXPECT_EQ(out_.str(), "exported 12 events, 3 complaints, 2 checkpoints to " + file + "\n");
  EXPECT_FALSE(std::filesystem::exists(file + ".tmp"));
  const auto& req = Last<v1::ExportAuditTrailRequest>("ExportAuditTrail");
  EXPECT_FALSE(req.include_personal_data());
  EXPECT_EQ(req.complaints_size(), 0);

  ASSERT_EQ(Run({"audit", "verify", file, "--public-key", service_.public_key()}), kExitOk)
      << out_.str();
  EXPECT_EQ(out_.str(), "verified: 12 events, 3 complaints, 2 checkpoints: OK\n");
}

TEST_F(AuditRunTest, ExportFiltersBecomeTheRequestAndTheHeader) {
  const std::string file = dir_.File("f.jsonl");
  ASSERT_EQ(Run({"audit", "export", "--from", "2026-01-01T00:00:00Z", "--to",
                 "2027-01-01T00:00:00+01:00", "--complaint", "c1-0b7a2f4e", "--complaint",
                 "complaints/c2-0b7a2f4e", "--state", "closed", "--category", "billing",
                 "--include-personal-data", "--out", file, "--consistency-from", "6"}),
            kExitOk)
      << err_.str();
  calls_ = service_.calls();
  ASSERT_EQ(calls_.size(), 2u);
  EXPECT_EQ(calls_[1].first, "GetConsistencyProof");
  const auto& req = *dynamic_cast<const v1::ExportAuditTrailRequest*>(calls_[0].second.get());
  EXPECT_EQ(req.start_time().seconds(), 1767225600);
  EXPECT_EQ(req.end_time().seconds(), 1798758000);
  ASSERT_EQ(req.complaints_size(), 2);
  EXPECT_EQ(req.complaints(0), "complaints/c1-0b7a2f4e");
  EXPECT_EQ(req.state(), v1::Complaint::STATE_CLOSED);
  EXPECT_EQ(req.category(), "billing");
  EXPECT_TRUE(req.include_personal_data());
  const std::string text = ReadFile(file);
  EXPECT_THAT(text, StartsWith(R"({"record":"header","format":"redress-audit-trail/1","export_time":"2026-11-30T00:53:20.123456Z","filter":{"start_time":"2026-01-01T00:00:00Z","end_time":"2026-12-31T23:00:00Z","complaints":["complaints/c1-0b7a2f4e","complaints/c2-0b7a2f4e"],"state":"STATE_CLOSED","category":"billing"},)"));
  ASSERT_EQ(Run({"audit", "verify", file, "--public-key", service_.public_key()}), kExitOk)
      << out_.str();
  EXPECT_EQ(out_.str(), "verified: 8 events, 2 complaints, 2 checkpoints: OK\n");
}

TEST_F(AuditRunTest, ExportCsv) {
  const std::string file = dir_.File("t.csv");
  ASSERT_EQ(Run({"--output", "json", "audit", "export", "--format", "csv", "--out", file}),
            kExitOk);
  EXPECT_EQ(out_.str(), "{\n \"file\": \"" + file +
                            "\",\n \"events\": 12,\n \"complaints\": 3,\n \"checkpoints\": 2\n}\n");
  EXPECT_THAT(ReadFile(file), StartsWith("ledger_index,complaint,sequence,type,"));
}

TEST_F(AuditRunTest, FailedExportLeavesNoFile) {
  const std::string file = dir_.File("broken.jsonl");
  service_.FailAfter(5);
  EXPECT_EQ(Run({"audit", "export", "--out", file}), kExitFailure);
  EXPECT_EQ(err_.str(), "error: UNAVAILABLE: connection lost\n");
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_FALSE(std::filesystem::exists(file + ".tmp"));
  service_.FailAfter(-1);
  service_.DenyAtEnd();
  EXPECT_EQ(Run({"audit", "export", "--out", file}), kExitFailure);
  EXPECT_THAT(err_.str(), StartsWith("error: PERMISSION_DENIED:"));
  EXPECT_FALSE(std::filesystem::exists(file));
  // A file that exists is only replaced by a complete export.
  testing::WriteFile(file, "previous\n");
  EXPECT_EQ(Run({"audit", "export", "--out", file}), kExitFailure);
  EXPECT_EQ(ReadFile(file), "previous\n");
}

TEST_F(AuditRunTest, ExportUsageErrors) {
  EXPECT_EQ(Run({"audit", "export"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--out"));
  EXPECT_EQ(Run({"audit", "export", "--out", dir_.File("x"), "--format", "xml"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--format"));
  EXPECT_EQ(Run({"audit", "export", "--out", dir_.File("x"), "--from", "yesterday"}), kExitUsage);
  EXPECT_EQ(Run({"audit", "export", "--out", dir_.File("x"), "--state", "sleepy"}), kExitUsage);
  EXPECT_EQ(Run({"audit", "export", "--out", dir_.File("x"), "--complaint", "a/b"}), kExitUsage);
  EXPECT_EQ(Run({"audit", "export", "--out", dir_.File("x"), "--consistency-from", "0"}),
            kExitUsage);
  EXPECT_EQ(Run({"audit", "export", "--out", dir_.File("x"), "--format", "csv",
                 "--consistency-from", "3"}),
            kExitUsage);
  EXPECT_EQ(service_.calls().size(), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("x.tmp")));
}

TEST_F(AuditRunTest, BearerTokenIsSentWithEveryCall) {
  ASSERT_EQ(Run({"audit", "public-key"}), kExitOk);
  EXPECT_EQ(service_.last_authorization(), "<none>");
  ASSERT_EQ(Run({"--token", "s3cret", "audit", "public-key"}), kExitOk);
  EXPECT_EQ(service_.last_authorization(), "Bearer s3cret");
  ASSERT_EQ(Run({"audit", "export", "--out", dir_.File("t.jsonl"), "--token=t2"}), kExitOk);
  EXPECT_EQ(service_.last_authorization(), "Bearer t2");
  ASSERT_EQ(Run({"audit", "checkpoints", "--token", "t3"}), kExitOk);
  EXPECT_EQ(service_.last_authorization(), "Bearer t3");
}

TEST_F(AuditRunTest, PublicKeyPrintsOnlyTheKey) {
  ASSERT_EQ(Run({"audit", "public-key"}), kExitOk);
  EXPECT_EQ(out_.str(), service_.public_key() + "\n");
  ASSERT_EQ(Run({"--output", "json", "audit", "public-key"}), kExitOk);
  v1::SigningKey key;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &key).ok());
  EXPECT_EQ(key.public_key(), service_.public_key());
}

TEST_F(AuditRunTest, CheckpointsFollowsEveryPage) {
  ASSERT_EQ(Run({"audit", "checkpoints", "--page-size", "1"}), kExitOk) << err_.str();
  EXPECT_EQ(service_.calls().size(), 3u);
  EXPECT_THAT(out_.str(), StartsWith("TREE_SIZE  SEALED"));
  EXPECT_THAT(out_.str(), HasSubstr("\n12 "));
  ASSERT_EQ(Run({"--output", "json", "audit", "checkpoints"}), kExitOk);
  v1::ListCheckpointsResponse list;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &list).ok());
  EXPECT_EQ(list.checkpoints_size(), 3);
}

TEST_F(AuditRunTest, EraseSendsReasonAndRequestId) {
  ASSERT_EQ(Run({"erase", "c9", "--reason", "GDPR Art. 17", "--etag", "E1"}), kExitOk)
      << err_.str();
  const auto& req = Last<v1::EraseComplainantDataRequest>("EraseComplainantData");
  EXPECT_EQ(req.name(), "complaints/c9");
  EXPECT_EQ(req.reason(), "GDPR Art. 17");
  EXPECT_EQ(req.etag(), "E1");
  EXPECT_EQ(req.request_id().size(), 36u);
  EXPECT_THAT(out_.str(), HasSubstr("complaints/c9"));
  EXPECT_EQ(Run({"erase", "c9"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--reason"));
}

TEST_F(AuditRunTest, RetentionSweep) {
  ASSERT_EQ(Run({"retention", "sweep", "--dry-run"}), kExitOk);
  EXPECT_TRUE(Last<v1::SweepRetentionRequest>("SweepRetention").dry_run());
  EXPECT_EQ(out_.str(),
            "due: complaints/old1\ndue: complaints/old2\n"
            "would erase the personal data of 2 complaints (retention 1095 days)\n");
  ASSERT_EQ(Run({"retention", "sweep"}), kExitOk);
  EXPECT_FALSE(Last<v1::SweepRetentionRequest>("SweepRetention").dry_run());
  EXPECT_THAT(out_.str(), HasSubstr("erased: complaints/old1\n"));
}

TEST_F(AuditRunTest, GroupsNeedASubcommand) {
  EXPECT_EQ(Run({"audit"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("missing subcommand for 'audit'"));
  EXPECT_THAT(err_.str(), HasSubstr("export, verify"));
  EXPECT_EQ(Run({"audit", "bogus"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("unknown command \"audit bogus\""));
  EXPECT_EQ(Run({"retention"}), kExitUsage);
  ASSERT_EQ(Run({"audit", "verify", "--help"}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("Usage: redressctl audit verify FILE --public-key KEY"));
  EXPECT_THAT(out_.str(), HasSubstr("offline"));
}

TEST_F(AuditRunTest, VerifyExitCodes) {
  const std::string file = dir_.File("trail.jsonl");
  ASSERT_EQ(Run({"audit", "export", "--out", file}), kExitOk);
  // No --public-key, no FILE, a bad key, an unreadable file: usage (2).
  EXPECT_EQ(Run({"audit", "verify", file}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--public-key"));
  EXPECT_EQ(Run({"audit", "verify", "--public-key", service_.public_key()}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("missing argument FILE"));
  EXPECT_EQ(Run({"audit", "verify", file, "--public-key", "ed25519:nope"}), kExitUsage);
  EXPECT_EQ(Run({"audit", "verify", dir_.File("missing"), "--public-key",
                 service_.public_key()}),
            kExitUsage);
  // Another server's key: verification fails (1).
  auto other = domain::CheckpointSigner::Generate();
  EXPECT_EQ(Run({"audit", "verify", file, "--public-key", other->public_key()}), kExitFailure);
  EXPECT_THAT(out_.str(), HasSubstr("FAILED: 2 problems (12 events, 3 complaints, 2 checkpoints)"));
  // verify-consistency with itself.
  EXPECT_EQ(Run({"audit", "verify-consistency", file, file, "--public-key",
                 service_.public_key()}),
            kExitOk)
      << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("consistent: NEW (tree_size 12) extends OLD (tree_size 12): OK"));
  EXPECT_EQ(Run({"audit", "verify-consistency", file, "--public-key", service_.public_key()}),
            kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("missing argument NEW"));
}

}  // namespace
}  // namespace redress::cli
