#include "server/core/audit_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "server/domain/event_hash.h"
#include "server/domain/ids.h"
#include "server/domain/merkle.h"
#include "server/domain/time_util.h"
#include "tests/testing/test_db.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;
using domain::Action;
using testing::Backend;
using testing::TestDatabase;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const absl::Time kStart = absl::FromUnixSeconds(1790000000);

struct Export {
  v1::ExportHeader header;
  std::vector<v1::LedgerEntry> entries;
  std::vector<v1::ComplainantRecord> complainants;
  std::vector<v1::SignedCheckpoint> checkpoints;
};

domain::Checkpoint FromProto(const v1::SignedCheckpoint& p) {
  domain::Checkpoint c;
  c.tree_size = static_cast<uint64_t>(p.tree_size());
  c.root_hash_hex = p.root_hash();
  c.seal_time_us = p.seal_time_us();
  c.key_id = p.key_id();
  c.signature_b64 = p.signature();
  return c;
}

class AuditEngineTest : public ::testing::TestWithParam<Backend> {
 protected:
  struct Replica {
    std::unique_ptr<store::ComplaintStore> store;
    std::unique_ptr<ComplaintEngine> engine;
    std::unique_ptr<CheckpointSealer> sealer;
    std::unique_ptr<AuditEngine> audit;
  };

  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->available()) GTEST_SKIP() << db_->skip_reason();
    signer_ = domain::CheckpointSigner::Generate();
    a_ = NewReplica();
  }

  Replica NewReplica() {
    Replica r;
    store::ComplaintStore::Options o;
    o.url = db_->url();
    auto s = store::ComplaintStore::Open(o, clock_.Now());
    EXPECT_TRUE(s.ok()) << s.status();
    r.store = std::move(*s);
    r.engine = std::make_unique<ComplaintEngine>(r.store.get(), &clock_, ComplaintEngine::Options{});
    CheckpointSealer::Options so;
    so.every_events = 4;
    so.every = absl::Hours(1);
    r.sealer = std::make_unique<CheckpointSealer>(r.store.get(), signer_.get(), &clock_, so);
    AuditEngine::Options ao;
    ao.export_digest_key = std::string(32, '\x42');
    r.audit = std::make_unique<AuditEngine>(r.store.get(), r.engine.get(), r.sealer.get(), &clock_, ao);
    return r;
  }

  template <typename R>
  absl::StatusOr<v1::Complaint> Do(const R& req, Action action, ComplaintEngine* engine = nullptr) {
    std::promise<absl::StatusOr<v1::Complaint>> p;
    (engine ? engine : a_.engine.get())
        ->Mutate(RequestContext{"auditor-test"}, action, std::make_unique<R>(req),
                 [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  v1::Complaint Submit(const std::string& person, const std::string& category = "billing") {
    v1::SubmitComplaintRequest r;
    r.mutable_complaint()->mutable_complainant()->set_display_name(person);
    r.mutable_complaint()->mutable_complainant()->set_email(person + "@example.org");
    r.mutable_complaint()->set_channel(v1::CHANNEL_WEB);
    r.mutable_complaint()->set_category(category);
    r.mutable_complaint()->set_description("text");
    auto c = Do(r, Action::kSubmit);
    EXPECT_TRUE(c.ok()) << c.status();
    return *c;
  }

  void Note(const v1::Complaint& c, ComplaintEngine* engine = nullptr) {
    v1::AddComplaintNoteRequest n;
    n.set_name(c.name());
    n.set_text("note");
    n.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
    ASSERT_TRUE(Do(n, Action::kAddNote, engine).ok());
  }

  absl::StatusOr<Export> RunExport(const v1::ExportAuditTrailRequest& req, AuditEngine* audit = nullptr,
                                   bool export_grant = false) {
    Export out;
    RequestContext ctx{"auditor"};
    ctx.export_personal_data = export_grant;
    absl::Status st = (audit ? audit : a_.audit.get())
                          ->Export(ctx, req, [&](const auto& item) {
                            if (item.has_header()) out.header = item.header();
                            if (item.has_entry()) out.entries.push_back(item.entry());
                            if (item.has_complainant()) out.complainants.push_back(item.complainant());
                            if (item.has_checkpoint()) out.checkpoints.push_back(item.checkpoint());
                            return true;
                          });
    if (!st.ok()) return st;
    return out;
  }

  std::string RawKey() { return *domain::ParsePublicKey(signer_->public_key()); }

  // Recomputes what an offline verifier of a complete export checks.
  void ExpectCompleteExportVerifies(const Export& e) {
    ASSERT_TRUE(e.header.complete());
    ASSERT_FALSE(e.checkpoints.empty());
    std::vector<std::string> leaves;
    std::map<std::string, std::vector<v1::ComplaintEvent>> chains;
    for (size_t i = 0; i < e.entries.size(); ++i) {
      EXPECT_EQ(e.entries[i].ledger_index(), static_cast<int64_t>(i));  // gap-free
      EXPECT_EQ(domain::ComputeEventHash(e.entries[i].event()), e.entries[i].event().hash());
      leaves.push_back(domain::MerkleLeafHashFromEventHashHex(e.entries[i].event().hash()));
      const std::string& n = e.entries[i].event().name();
      chains[n.substr(0, n.find("/events/"))].push_back(e.entries[i].event());
    }
    for (const auto& [name, chain] : chains) {
      EXPECT_TRUE(domain::VerifyEventChain(chain).ok()) << name;
    }
    for (const auto& cp : e.checkpoints) {
      EXPECT_TRUE(domain::VerifyCheckpoint(FromProto(cp), RawKey())) << cp.tree_size();
      ASSERT_LE(cp.tree_size(), static_cast<int64_t>(leaves.size()));
      std::vector<std::string> prefix(leaves.begin(), leaves.begin() + cp.tree_size());
      EXPECT_EQ(absl::BytesToHexString(domain::MerkleRoot(prefix)), cp.root_hash()) << cp.tree_size();
    }
    EXPECT_EQ(e.checkpoints.back().tree_size(), static_cast<int64_t>(leaves.size()));
  }

  domain::FakeClock clock_{kStart};
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<domain::CheckpointSigner> signer_;
  Replica a_;
};

TEST_P(AuditEngineTest, CompleteExportIsCoveredBySignedCheckpointsAndVerifies) {
  auto a = Submit("Ada"), b = Submit("Bob");
  Note(a);
  ASSERT_TRUE(a_.sealer->MaybeSeal().ok());  // 3 < 4 events: nothing sealed yet
  EXPECT_FALSE(a_.store->LatestCheckpoint()->has_value());
  Note(b);
  ASSERT_TRUE(a_.sealer->MaybeSeal().ok());  // 4 events: sealed
  ASSERT_TRUE(a_.store->LatestCheckpoint()->has_value());
  EXPECT_EQ((*a_.store->LatestCheckpoint())->tree_size, 4u);
  Note(a);
  auto e = RunExport({});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->entries.size(), 5u);
  ASSERT_EQ(e->checkpoints.size(), 2u);  // the one at 4, and the export's own at 5
  EXPECT_EQ(e->checkpoints[0].tree_size(), 4);
  ExpectCompleteExportVerifies(*e);
  EXPECT_EQ(e->header.personal_data(), "redacted");
}

TEST_P(AuditEngineTest, TimeBasedSealingAfterTheInterval) {
  Submit("Ada");
  ASSERT_TRUE(a_.sealer->MaybeSeal().ok());  // first sight of an unsealed entry
  EXPECT_FALSE(a_.store->LatestCheckpoint()->has_value());
  clock_.Advance(absl::Hours(2));
  ASSERT_TRUE(a_.sealer->MaybeSeal().ok());
  ASSERT_TRUE(a_.store->LatestCheckpoint()->has_value());
  EXPECT_EQ((*a_.store->LatestCheckpoint())->tree_size, 1u);
}

TEST_P(AuditEngineTest, RedactionUsesKeyedDigestsThatCorrelateOnePerson) {
  auto a = Submit("Ada"), b = Submit("Ada"), c = Submit("Carl");
  auto e = RunExport({});
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->complainants.size(), 3u);
  std::map<std::string, v1::ComplainantRecord> by;
  for (const auto& r : e->complainants) by[r.complaint()] = r;
  EXPECT_THAT(by[a.name()].display_name(), StartsWith("hmac-sha256:"));
  EXPECT_EQ(by[a.name()].display_name(), by[b.name()].display_name());
  EXPECT_NE(by[a.name()].display_name(), by[c.name()].display_name());
  EXPECT_EQ(by[a.name()].phone(), "");  // not given
  for (const auto& r : e->complainants) {
    EXPECT_THAT(r.DebugString(), ::testing::Not(HasSubstr("Ada")));
  }
  v1::ExportAuditTrailRequest clear;
  clear.set_include_personal_data(true);
  EXPECT_EQ(RunExport(clear).status().code(), absl::StatusCode::kPermissionDenied);
  auto in_clear = RunExport(clear, nullptr, /*export_grant=*/true);
  ASSERT_TRUE(in_clear.ok());
  EXPECT_EQ(in_clear->header.personal_data(), "included");
  EXPECT_EQ(in_clear->complainants[0].email().find("@example.org") != std::string::npos, true);
}

TEST_P(AuditEngineTest, FilteredExportCarriesInclusionProofs) {
  auto a = Submit("Ada", "billing"), b = Submit("Bob", "service");
  Note(a);
  Note(b);
  Note(a);
  v1::ExportAuditTrailRequest req;
  req.add_complaints(a.name());
  auto e = RunExport(req);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_FALSE(e->header.complete());
  ASSERT_EQ(e->entries.size(), 3u);
  ASSERT_EQ(e->checkpoints.size(), 1u);
  const auto& cp = e->checkpoints[0];
  EXPECT_EQ(cp.tree_size(), 5);
  const std::string root = absl::HexStringToBytes(cp.root_hash());
  for (const auto& entry : e->entries) {
    std::vector<std::string> proof;
    for (const auto& h : entry.inclusion_proof()) proof.push_back(absl::HexStringToBytes(h));
    EXPECT_TRUE(domain::VerifyMerkleInclusion(
        domain::MerkleLeafHashFromEventHashHex(entry.event().hash()),
        static_cast<uint64_t>(entry.ledger_index()), static_cast<uint64_t>(cp.tree_size()), proof,
        root));
    // A proof for another index does not verify.
    EXPECT_FALSE(domain::VerifyMerkleInclusion(
        domain::MerkleLeafHashFromEventHashHex(entry.event().hash()),
        static_cast<uint64_t>(entry.ledger_index()) ^ 1, static_cast<uint64_t>(cp.tree_size()),
        proof, root));
  }
  v1::ExportAuditTrailRequest by_category;
  by_category.set_category("service");
  EXPECT_EQ(RunExport(by_category)->entries.size(), 2u);
  v1::ExportAuditTrailRequest by_time;
  *by_time.mutable_start_time() = domain::ToTimestamp(kStart + absl::Seconds(1));
  EXPECT_EQ(RunExport(by_time)->entries.size(), 0u);
  v1::ExportAuditTrailRequest bad;
  bad.add_complaints("complaints/nope");
  EXPECT_EQ(RunExport(bad).status().code(), absl::StatusCode::kInvalidArgument);
  // The category filter is echoed in the export header: no control characters.
  for (const char* hostile : {"a\x1b[2J", "a\xc2\x9b" "31m", "a\xe2\x80\xae" "b", "a\nb"}) {
    v1::ExportAuditTrailRequest c;
    c.set_category(hostile);
    EXPECT_EQ(RunExport(c).status().code(), absl::StatusCode::kInvalidArgument) << hostile;
  }
}

TEST_P(AuditEngineTest, ConsistencyProofBetweenCheckpoints) {
  for (int i = 0; i < 4; ++i) Submit("P" + std::to_string(i));
  auto first = a_.sealer->SealNow();
  ASSERT_TRUE(first.ok() && first->has_value());
  for (int i = 0; i < 7; ++i) Submit("Q" + std::to_string(i));
  auto second = a_.sealer->SealNow();
  ASSERT_TRUE(second.ok() && second->has_value());
  v1::GetConsistencyProofRequest req;
  req.set_first_tree_size(4);
  req.set_second_tree_size(11);
  auto proof = a_.audit->GetConsistencyProof(req);
  ASSERT_TRUE(proof.ok()) << proof.status();
  std::vector<std::string> p;
  for (const auto& h : proof->proof()) p.push_back(absl::HexStringToBytes(h));
  EXPECT_TRUE(domain::VerifyMerkleConsistency(
      4, 11, absl::HexStringToBytes(proof->first_checkpoint().root_hash()),
      absl::HexStringToBytes(proof->second_checkpoint().root_hash()), p));
  req.set_first_tree_size(5);
  EXPECT_EQ(a_.audit->GetConsistencyProof(req).status().code(), absl::StatusCode::kNotFound);
  req.set_first_tree_size(12);
  EXPECT_EQ(a_.audit->GetConsistencyProof(req).status().code(), absl::StatusCode::kInvalidArgument);
  auto listed = a_.audit->ListCheckpoints({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->checkpoints_size(), 2);
  EXPECT_EQ(listed->checkpoints(1).tree_size(), 11);
}

TEST_P(AuditEngineTest, ErasureIsAuditedAndEveryExportStillVerifies) {
  auto a = Submit("Ada");
  Note(a);
  auto before = RunExport({});
  ASSERT_TRUE(before.ok());
  v1::EraseComplainantDataRequest erase;
  erase.set_name(a.name());
  erase.set_reason("GDPR Art. 17 request 2026-114");
  std::promise<absl::StatusOr<v1::Complaint>> p;
  a_.audit->Erase(RequestContext{"dpo"}, erase, [&p](auto r) { p.set_value(std::move(r)); });
  auto erased = p.get_future().get();
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_FALSE(erased->has_complainant());
  EXPECT_TRUE(erased->has_personal_data_erase_time());
  auto got = a_.engine->Get([&] { v1::GetComplaintRequest g; g.set_name(a.name()); return g; }());
  EXPECT_FALSE(got->has_complainant());
  auto after = RunExport({});
  ASSERT_TRUE(after.ok());
  ExpectCompleteExportVerifies(*before);
  ExpectCompleteExportVerifies(*after);
  // The earlier export is a prefix of the later one: same leaves, same hashes.
  for (size_t i = 0; i < before->entries.size(); ++i) {
    EXPECT_EQ(before->entries[i].event().hash(), after->entries[i].event().hash());
  }
  EXPECT_EQ(after->entries.back().event().type(), v1::ComplaintEvent::TYPE_PERSONAL_DATA_ERASED);
  EXPECT_EQ(after->entries.back().event().actor(), "dpo");
  EXPECT_EQ(after->complainants[0].display_name(), "erased");
  std::promise<absl::StatusOr<v1::Complaint>> p2;
  a_.audit->Erase(RequestContext{"dpo"}, erase, [&p2](auto r) { p2.set_value(std::move(r)); });
  EXPECT_EQ(p2.get_future().get().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(AuditEngineTest, RetentionSweepErasesOnlyWhatIsDue) {
  auto old_closed = Submit("Old");
  v1::WithdrawComplaintRequest w;
  w.set_name(old_closed.name());
  ASSERT_TRUE(Do(w, Action::kWithdraw).ok());
  auto still_open = Submit("Open");
  clock_.Advance(absl::Hours(24 * 1096));
  auto recent = Submit("Recent");
  w.set_name(recent.name());
  ASSERT_TRUE(Do(w, Action::kWithdraw).ok());

  v1::SweepRetentionRequest dry;
  dry.set_dry_run(true);
  auto listed = a_.audit->SweepRetention(RequestContext{"admin"}, dry);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->complaints_size(), 1);
  EXPECT_EQ(listed->complaints(0), old_closed.name());
  EXPECT_EQ(listed->retention_days(), 1095);
  auto events_before = a_.store->CountRows()->at("complaint_events");
  EXPECT_EQ(events_before, 5);  // dry run wrote nothing

  auto swept = a_.audit->SweepRetention(RequestContext{"admin"}, {});
  ASSERT_TRUE(swept.ok());
  ASSERT_EQ(swept->complaints_size(), 1);
  v1::GetComplaintRequest g;
  g.set_name(old_closed.name());
  EXPECT_FALSE(a_.engine->Get(g)->has_complainant());
  g.set_name(still_open.name());
  EXPECT_EQ(a_.engine->Get(g)->complainant().display_name(), "Open");
  EXPECT_EQ(a_.audit->SweepRetention(RequestContext{"admin"}, {})->complaints_size(), 0);
}

TEST_P(AuditEngineTest, LedgerIsGapFreeCommitOrderAcrossTwoReplicas) {
  Replica b = NewReplica();
  std::vector<v1::Complaint> cs;
  for (int i = 0; i < 3; ++i) cs.push_back(Submit("P" + std::to_string(i)));
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      ComplaintEngine* e = (t % 2 == 0) ? a_.engine.get() : b.engine.get();
      for (int i = 0; i < 10; ++i) Note(cs[(t + i) % cs.size()], e);
    });
  }
  for (auto& th : threads) th.join();
  auto e = RunExport({}, b.audit.get());  // b seals; its accumulator agrees
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->entries.size(), 63u);
  ExpectCompleteExportVerifies(*e);
  // Within a complaint, ledger order is sequence order (commit order).
  std::map<std::string, int64_t> last_seq;
  for (const auto& entry : e->entries) {
    const std::string& n = entry.event().name();
    const std::string c = n.substr(0, n.find("/events/"));
    EXPECT_EQ(entry.event().sequence(), last_seq[c] + 1);
    last_seq[c] = entry.event().sequence();
  }
  // a's sealer reaches the same root for the same size.
  auto from_a = a_.sealer->SealNow();
  ASSERT_TRUE(from_a.ok());
  EXPECT_EQ((*from_a)->root_hash_hex, e->checkpoints.back().root_hash());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditEngineTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::core
