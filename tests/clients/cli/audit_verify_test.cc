// The export writers (JSON Lines, CSV) and the offline verifier: what the
// writer produces from a server's stream verifies; tampering is named by
// line; verify-consistency links exports. (The cross-implementation tamper
// matrix is tests/audit/tamper_matrix.py.)
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cli/audit_export.h"
#include "clients/cli/audit_verify.h"
#include "clients/cli/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/cli/audit_test_util.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::MakeLedger;
using testing::MakeStream;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

class AuditVerifyTest : public ::testing::Test {
 protected:
  AuditVerifyTest()
      : signer_(domain::CheckpointSigner::Generate()),
        key_(*domain::ParsePublicKey(signer_->public_key())),
        events_(MakeLedger(4, 5)) {}

  std::string WriteJsonl(const std::vector<v1::ExportAuditTrailResponse>& items,
                         const std::string& name, int64_t consistency_from = 0) {
    std::ostringstream out;
    JsonlExportWriter w(out, "{}", false);
    if (consistency_from > 0) {
      w.AddConsistencyFrom(consistency_from, [&](int64_t first, int64_t second) {
        v1::ConsistencyProof p;
        p.set_first(first);
        p.set_second(second);
        const std::vector<std::string> proof =
            *domain::MerkleConsistencyProof(testing::Leaves(events_), first, second);
        for (const auto& h : proof) {
          p.add_proof(absl::BytesToHexString(h));
        }
        *p.mutable_first_checkpoint() = testing::Sign(*signer_, testing::Leaves(events_), first);
        return absl::StatusOr<v1::ConsistencyProof>(p);
      });
    }
    for (const auto& item : items) EXPECT_TRUE(w.Add(item).ok());
    EXPECT_TRUE(w.Finish().ok());
    const std::string path = dir_.File(name);
    WriteFile(path, out.str());
    return path;
  }

  ExportVerification Verify(const std::string& path) {
    absl::StatusOr<ExportVerification> v = VerifyExportFile(path, key_);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : ExportVerification();
  }

  std::vector<std::string> Lines(const std::string& path) {
    return absl::StrSplit(ReadFile(path), '\n', absl::SkipEmpty());
  }
  std::string Rewrite(const std::vector<std::string>& lines, const std::string& name) {
    std::string text;
    for (const auto& l : lines) absl::StrAppend(&text, l, "\n");
    const std::string path = dir_.File(name);
    WriteFile(path, text);
    return path;
  }

  TempDir dir_;
  std::unique_ptr<domain::CheckpointSigner> signer_;
  std::string key_;
  std::vector<v1::ComplaintEvent> events_;
};

TEST_F(AuditVerifyTest, WriterOutputIsExactlyTheDocumentedFormat) {
  const std::string path = WriteJsonl(MakeStream(*signer_, events_, {8, 20}), "a.jsonl");
  std::vector<std::string> lines = Lines(path);
  ASSERT_EQ(lines.size(), 1u + 20 + 4 + 2 + 1);
  EXPECT_EQ(lines[0],
            R"({"record":"header","format":"redress-audit-trail/1","export_time":"2026-11-30T00:53:20.123456Z","filter":{},"personal_data":"redacted","complete":true})");
  const v1::ComplaintEvent& e = events_[0];
  EXPECT_EQ(lines[1], absl::StrCat(
                          R"({"record":"event","ledger_index":0,"complaint":"complaints/c0-0b7a2f4e","sequence":1,"type":"SUBMITTED","from_state":0,"to_state":1,"actor":"b\"o\\b )",
                          "\xc3\xa9", R"(","request_id":"req-0-1","event_time_us":1790000000000000,"payload":"{\"text\":\"line1\\nline2 \\\"q\\\" )",
                          "\xe2\x82\xac", R"(\",\"n\":0}\t\u0001","prev_hash":")",
                          domain::kGenesisHashHex, R"(","hash":")", e.hash(), R"("})"));
  EXPECT_THAT(lines[21], StartsWith(R"({"record":"complainant","complaint":"complaints/c0-0b7a2f4e","display_name":"hmac-sha256:)"));
  EXPECT_THAT(lines[25], StartsWith(R"({"record":"checkpoint","tree_size":8,"root_hash":")"));
  EXPECT_EQ(lines.back(), R"({"record":"footer","event_count":20,"line_count":28})");
  // Every line is strict JSON.
  for (const auto& l : lines) EXPECT_TRUE(ParseJson(l).has_value()) << l;

  ExportVerification v = Verify(path);
  EXPECT_TRUE(v.ok()) << absl::StrJoin(v.problems, "\n");
  EXPECT_EQ(v.Summary(), "verified: 20 events, 4 complaints, 2 checkpoints: OK");
}

TEST_F(AuditVerifyTest, FilteredExportWithInclusionProofsVerifies) {
  auto stream = MakeStream(*signer_, events_, {8, 20}, {"complaints/c1-0b7a2f4e"});
  std::ostringstream out;
  JsonlExportWriter w(out, R"({"complaints":["complaints/c1-0b7a2f4e"]})", false);
  for (const auto& item : stream) ASSERT_TRUE(w.Add(item).ok());
  ASSERT_TRUE(w.Finish().ok());
  EXPECT_EQ(w.events(), 5);
  EXPECT_EQ(w.checkpoints(), 1);
  const std::string path = dir_.File("f.jsonl");
  WriteFile(path, out.str());
  EXPECT_THAT(out.str(), HasSubstr(R"("complete":false)"));
  EXPECT_THAT(out.str(), HasSubstr(R"("inclusion_proof":[")"));
  ExportVerification v = Verify(path);
  EXPECT_TRUE(v.ok()) << absl::StrJoin(v.problems, "\n");
  EXPECT_FALSE(v.complete);
  EXPECT_EQ(v.Summary(), "verified: 5 events, 1 complaint, 1 checkpoint: OK");
}

TEST_F(AuditVerifyTest, ConsistencyFromInsertsTheOlderCheckpointAndAProof) {
  auto stream = MakeStream(*signer_, events_, {8, 20}, {"complaints/c1-0b7a2f4e"});
  const std::string path = WriteJsonl(stream, "f.jsonl", /*consistency_from=*/8);
  std::vector<std::string> lines = Lines(path);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_THAT(lines[lines.size() - 4], StartsWith(R"({"record":"checkpoint","tree_size":8,)"));
  EXPECT_THAT(lines[lines.size() - 3], StartsWith(R"({"record":"checkpoint","tree_size":20,)"));
  EXPECT_THAT(lines[lines.size() - 2], StartsWith(R"({"record":"consistency","first":8,"second":20,"proof":[)"));
  ExportVerification v = Verify(path);
  EXPECT_TRUE(v.ok()) << absl::StrJoin(v.problems, "\n");
  EXPECT_THAT(v.consistency_links, ElementsAre(std::make_pair(uint64_t{8}, uint64_t{20})));

  // The complete export already has checkpoint 8: only the proof is added.
  const std::string full = WriteJsonl(MakeStream(*signer_, events_, {8, 20}), "c.jsonl", 8);
  std::string text = ReadFile(full);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 20 + 4 + 2 + 1 + 1);
  EXPECT_TRUE(Verify(full).ok());
}

TEST_F(AuditVerifyTest, WriterRejectsAStreamWithoutHeader) {
  auto stream = MakeStream(*signer_, events_, {20});
  std::ostringstream out;
  JsonlExportWriter w(out, "{}", false);
  EXPECT_EQ(w.Add(stream[1]).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(w.Finish().code(), absl::StatusCode::kFailedPrecondition);
  JsonlExportWriter twice(out, "{}", false);
  EXPECT_TRUE(twice.Add(stream[0]).ok());
  EXPECT_EQ(twice.Add(stream[0]).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(AuditVerifyTest, CsvHasOneQuotedRowPerEvent) {
  std::ostringstream out;
  CsvExportWriter w(out);
  for (const auto& item : MakeStream(*signer_, events_, {20})) ASSERT_TRUE(w.Add(item).ok());
  ASSERT_TRUE(w.Finish().ok());
  std::vector<std::string> rows = absl::StrSplit(out.str(), "\r\n", absl::SkipEmpty());
  // Payloads hold a quoted newline, so split rows do not equal events: check
  // the header and the first row exactly.
  EXPECT_EQ(rows[0],
            "ledger_index,complaint,sequence,type,from_state,to_state,actor,request_id,"
            "event_time,payload,prev_hash,hash");
  EXPECT_EQ(w.events(), 20);
  EXPECT_THAT(out.str(), HasSubstr(absl::StrCat(
                             "0,complaints/c0-0b7a2f4e,1,SUBMITTED,0,1,\"b\"\"o\\b \xc3\xa9\",req-0-1,"
                             "2026-09-21T14:13:20Z,\"{\"\"text\"\"")));
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST_F(AuditVerifyTest, ExportFilterJsonUsesProtoFieldNames) {
  v1::ExportAuditTrailRequest req;
  EXPECT_EQ(ExportFilterJson(req), "{}");
  req.add_complaints("complaints/x");
  req.set_state(v1::Complaint::STATE_CLOSED);
  req.set_include_personal_data(true);
  req.mutable_start_time()->set_seconds(1790000000);
  EXPECT_EQ(ExportFilterJson(req),
            R"({"start_time":"2026-09-21T14:13:20Z","complaints":["complaints/x"],"state":"STATE_CLOSED"})");
}

TEST_F(AuditVerifyTest, TamperedLinesAreNamed) {
  const std::string path = WriteJsonl(MakeStream(*signer_, events_, {8, 20}), "a.jsonl");
  std::vector<std::string> lines = Lines(path);

  // A modified actor on line 6 (ledger index 4).
  std::vector<std::string> t = lines;
  t[5].replace(t[5].find("\"actor\":\"") + 9, 0, "x");
  ExportVerification v = Verify(Rewrite(t, "t1.jsonl"));
  EXPECT_THAT(v.problems,
              ElementsAre("line 6 (complaints/c0-0b7a2f4e/events/2): hash does not match its "
                          "content"));
  EXPECT_EQ(v.Summary(), "FAILED: 1 problem (20 events, 4 complaints, 2 checkpoints)");

  // A deleted event (line 6), footer left alone.
  t = lines;
  t.erase(t.begin() + 5);
  v = Verify(Rewrite(t, "t2.jsonl"));
  EXPECT_THAT(v.problems,
              ElementsAre("line 6 (complaints/c1-0b7a2f4e/events/2): ledger_index 5 where 4 was "
                          "expected",
                          "line 9 (complaints/c0-0b7a2f4e/events/3): sequence 3 where 2 was "
                          "expected",
                          "line 25 (checkpoint 8): root_hash does not match the Merkle root of the "
                          "first 8 events",
                          "line 26 (checkpoint 20): tree_size 20 exceeds the 19 events in the "
                          "export",
                          "line 27 (footer): event_count 20 but the export has 19 events",
                          "line 27 (footer): line_count 28 but the footer is line 27"));

  // Wrong key.
  auto other = domain::CheckpointSigner::Generate();
  absl::StatusOr<ExportVerification> wrong =
      VerifyExportFile(path, *domain::ParsePublicKey(other->public_key()));
  ASSERT_TRUE(wrong.ok());
  ASSERT_EQ(wrong->problems.size(), 2u);
  EXPECT_THAT(wrong->problems[0], StartsWith("line 26 (checkpoint 8): key_id \""));
  EXPECT_THAT(wrong->problems[0], HasSubstr("is not the id of the given public key (" +
                                            other->key_id() + ")"));
}

TEST_F(AuditVerifyTest, MissingOrUnreadableFile) {
  EXPECT_FALSE(VerifyExportFile(dir_.File("none.jsonl"), key_).ok());
  EXPECT_FALSE(VerifyExportFile(dir_.File(""), key_).ok());  // a directory
  std::ostringstream out, err;
  EXPECT_EQ(RunAuditVerify(dir_.File("none.jsonl"), key_, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("cannot"));
  WriteFile(dir_.File("empty.jsonl"), "");
  EXPECT_EQ(RunAuditVerify(dir_.File("empty.jsonl"), key_, out, err), 1);
  EXPECT_THAT(out.str(), HasSubstr("line 1 (end of file): the file is empty\nFAILED: 1 problem"));
}

TEST_F(AuditVerifyTest, VerifyConsistencyLinksAnOlderExport) {
  const std::string older = WriteJsonl(MakeStream(*signer_, events_, {8}), "old.jsonl");
  const std::string newer = WriteJsonl(MakeStream(*signer_, events_, {8, 20}), "new.jsonl");
  std::ostringstream out, err;
  EXPECT_EQ(RunAuditVerifyConsistency(older, newer, key_, out, err), 0) << out.str();
  EXPECT_THAT(out.str(), HasSubstr("consistent: NEW (tree_size 20) extends OLD (tree_size 8): OK"));
  std::ostringstream out2;
  EXPECT_EQ(RunAuditVerifyConsistency(newer, older, key_, out2, err), 1);
  EXPECT_THAT(out2.str(), HasSubstr("link: OLD's last checkpoint (tree_size 20) is beyond NEW's"));

  // A rewritten history signed by the same key.
  std::vector<v1::ComplaintEvent> forked = events_;
  forked[3].set_payload("{\"rewritten\":true}");
  forked[3].set_hash(domain::ComputeEventHash(forked[3]));
  const std::string fork = WriteJsonl(MakeStream(*signer_, forked, {8}), "fork.jsonl");
  std::ostringstream out3;
  EXPECT_EQ(RunAuditVerifyConsistency(fork, newer, key_, out3, err), 1);
  EXPECT_THAT(out3.str(), HasSubstr("has another root_hash than OLD's last checkpoint"));
}

TEST_F(AuditVerifyTest, PublicKeyArgument) {
  auto raw = LoadPublicKeyArgument(signer_->public_key());
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, key_);
  WriteFile(dir_.File("key.pub"), signer_->public_key() + "\n");
  EXPECT_EQ(*LoadPublicKeyArgument(dir_.File("key.pub")), key_);
  WriteFile(dir_.File("bad.pub"), "not a key\n");
  EXPECT_EQ(LoadPublicKeyArgument(dir_.File("bad.pub")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadPublicKeyArgument("ed25519:AAAA").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadPublicKeyArgument("").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace redress::cli
