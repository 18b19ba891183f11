#include "server/core/audit_engine.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <future>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/page_token.h"
#include "server/domain/ids.h"
#include "server/domain/merkle.h"
#include "server/domain/status_macros.h"
#include "server/domain/time_util.h"
#include "server/domain/validation.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;

// Every level of the Merkle tree of a ledger prefix, for O(log n) inclusion
// proofs. Pairing left to right and carrying an unpaired last node up
// unchanged builds exactly the RFC 6962 tree.
class MerkleLevels {
 public:
  explicit MerkleLevels(std::vector<std::string> leaves) {
    levels_.push_back(std::move(leaves));
    while (levels_.back().size() > 1) {
      const auto& below = levels_.back();
      std::vector<std::string> up;
      up.reserve((below.size() + 1) / 2);
      for (size_t i = 0; i + 1 < below.size(); i += 2) {
        up.push_back(domain::MerkleNodeHash(below[i], below[i + 1]));
      }
      if (below.size() % 2 == 1) up.push_back(below.back());
      levels_.push_back(std::move(up));
    }
  }
  std::vector<std::string> InclusionProofHex(uint64_t index) const {
    std::vector<std::string> proof;
    for (size_t k = 0; k + 1 < levels_.size(); ++k) {
      const uint64_t sibling = index ^ 1;
      if (sibling < levels_[k].size()) proof.push_back(absl::BytesToHexString(levels_[k][sibling]));
      index >>= 1;
    }
    return proof;
  }

 private:
  std::vector<std::vector<std::string>> levels_;
};

v1::SignedCheckpoint ToProto(const domain::Checkpoint& c) {
  v1::SignedCheckpoint p;
  p.set_tree_size(static_cast<int64_t>(c.tree_size));
  p.set_root_hash(c.root_hash_hex);
  p.set_seal_time_us(c.seal_time_us);
  p.set_key_id(c.key_id);
  p.set_signature(c.signature_b64);
  return p;
}

absl::StatusOr<std::vector<std::string>> LoadLeaves(store::ComplaintStore* store, int64_t size) {
  std::vector<std::string> leaves;
  leaves.reserve(static_cast<size_t>(size));
  REDRESS_RETURN_IF_ERROR(store->ScanLedgerHashes(0, size, [&](int64_t, const std::string& hex) {
    leaves.push_back(domain::MerkleLeafHashFromEventHashHex(hex));
  }));
  return leaves;
}

}  // namespace

AuditEngine::AuditEngine(store::ComplaintStore* store, ComplaintEngine* complaints,
                         CheckpointSealer* sealer, const domain::Clock* clock, Options options)
    : store_(store),
      complaints_(complaints),
      sealer_(sealer),
      clock_(clock),
      options_(std::move(options)) {}

std::string AuditEngine::RedactedDigest(const std::string& value) const {
  if (value.empty()) return "";
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), options_.export_digest_key.data(),
       static_cast<int>(options_.export_digest_key.size()),
       reinterpret_cast<const unsigned char*>(value.data()), value.size(), out, &len);
  return absl::StrCat("hmac-sha256:",
                      absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(out), len)));
}

absl::Status AuditEngine::Export(const RequestContext& ctx, const v1::ExportAuditTrailRequest& req,
                                 Sink sink) {
  // Validate the filter before touching anything.
  store::LedgerFilter filter;
  if (req.complaints_size() > 1000) {
    return absl::InvalidArgumentError("complaints: at most 1000");
  }
  for (int i = 0; i < req.complaints_size(); ++i) {
    REDRESS_ASSIGN_OR_RETURN(
        std::string id, domain::ParseComplaintName(req.complaints(i), absl::StrCat("complaints[", i, "]")));
    filter.complaint_ids.push_back(std::move(id));
  }
  if (!v1::Complaint::State_IsValid(req.state())) {
    return absl::InvalidArgumentError("state: unknown value");
  }
  filter.state = req.state();
  REDRESS_RETURN_IF_ERROR(domain::ValidateCategoryFilter(req.category()));
  filter.category = req.category();
  if (req.has_start_time()) filter.start_time_us = domain::ToUnixMicros(req.start_time());
  if (req.has_end_time()) filter.end_time_us = domain::ToUnixMicros(req.end_time());
  if (req.has_start_time() && req.has_end_time() && filter.end_time_us <= filter.start_time_us) {
    return absl::InvalidArgumentError("end_time: must be after start_time");
  }
  if (req.include_personal_data() && !ctx.export_personal_data) {
    return absl::PermissionDeniedError(
        "include_personal_data: exporting personal data unredacted needs the "
        "GRANT_EXPORT_PERSONAL_DATA permission");
  }

  REDRESS_ASSIGN_OR_RETURN(std::optional<domain::Checkpoint> cp, sealer_->SealNow());
  const int64_t size = cp ? static_cast<int64_t>(cp->tree_size) : 0;
  const bool complete = filter.empty();

  v1::ExportAuditTrailResponse item;
  auto* header = item.mutable_header();
  header->set_complete(complete);
  header->set_personal_data(req.include_personal_data() ? "included" : "redacted");
  std::vector<std::string> parts;
  if (!filter.complaint_ids.empty()) parts.push_back(absl::StrCat("complaints=", absl::StrJoin(req.complaints(), ",")));
  if (filter.start_time_us) parts.push_back(absl::StrCat("start_time_us=", filter.start_time_us));
  if (filter.end_time_us) parts.push_back(absl::StrCat("end_time_us=", filter.end_time_us));
  if (filter.state) parts.push_back(absl::StrCat("state=", v1::Complaint::State_Name(req.state())));
  if (!filter.category.empty()) parts.push_back(absl::StrCat("category=", filter.category));
  header->set_filter(absl::StrJoin(parts, " "));
  *header->mutable_export_time() = domain::ToTimestamp(clock_->Now());
  if (!sink(item)) return absl::CancelledError("the export was cancelled by the client");

  std::optional<MerkleLevels> levels;
  if (!complete && size > 0) {
    REDRESS_ASSIGN_OR_RETURN(std::vector<std::string> leaves, LoadLeaves(store_, size));
    levels.emplace(std::move(leaves));
  }

  std::set<std::string> complaint_ids;
  bool cancelled = false;
  REDRESS_RETURN_IF_ERROR(store_->ScanLedger(
      0, size, filter, [&](int64_t index, const v1::ComplaintEvent& event) {
        item.Clear();
        auto* entry = item.mutable_entry();
        entry->set_ledger_index(index);
        *entry->mutable_event() = event;
        if (levels) {
          for (auto& h : levels->InclusionProofHex(static_cast<uint64_t>(index))) {
            entry->add_inclusion_proof(std::move(h));
          }
        }
        const std::string& name = event.name();
        complaint_ids.insert(name.substr(0, name.find("/events/")));
        if (!sink(item)) {
          cancelled = true;
          return false;
        }
        return true;
      }));
  if (cancelled) return absl::CancelledError("the export was cancelled by the client");

  // The set's nodes are released as the ids are taken (memory grows with the
  // number of complaints in the export: keep one copy, not two).
  std::vector<std::string> ids;
  ids.reserve(complaint_ids.size());
  while (!complaint_ids.empty()) {
    auto node = complaint_ids.extract(complaint_ids.begin());
    REDRESS_ASSIGN_OR_RETURN(std::string id,
                             domain::ParseComplaintName(node.value(), "complaint"));
    ids.push_back(std::move(id));
  }
  REDRESS_RETURN_IF_ERROR(store_->ScanComplainantsForExport(
      ids, [&](size_t i, const std::optional<store::ComplainantExport>& person) {
        item.Clear();
        auto* rec = item.mutable_complainant();
        rec->set_complaint(domain::ComplaintName(ids[i]));
        if (!person || person->erased) {
          rec->set_display_name("erased");
          rec->set_email("erased");
          rec->set_phone("erased");
          rec->set_customer_id("erased");
        } else if (req.include_personal_data()) {
          rec->set_display_name(person->data.display_name());
          rec->set_email(person->data.email());
          rec->set_phone(person->data.phone());
          rec->set_customer_id(person->data.customer_id());
        } else {
          rec->set_display_name(RedactedDigest(person->data.display_name()));
          rec->set_email(RedactedDigest(person->data.email()));
          rec->set_phone(RedactedDigest(person->data.phone()));
          rec->set_customer_id(RedactedDigest(person->data.customer_id()));
        }
        if (!sink(item)) {
          cancelled = true;
          return false;
        }
        return true;
      }));
  if (cancelled) return absl::CancelledError("the export was cancelled by the client");

  if (cp) {
    std::vector<domain::Checkpoint> checkpoints;
    if (complete) {
      int64_t after = 0;
      for (;;) {
        REDRESS_ASSIGN_OR_RETURN(auto page, store_->ListCheckpoints(after, size, 1000));
        if (page.empty()) break;
        after = static_cast<int64_t>(page.back().tree_size);
        for (auto& c : page) checkpoints.push_back(std::move(c));
      }
    } else {
      checkpoints.push_back(*cp);
    }
    for (const auto& c : checkpoints) {
      item.Clear();
      *item.mutable_checkpoint() = ToProto(c);
      if (!sink(item)) return absl::CancelledError("the export was cancelled by the client");
    }
  }
  return absl::OkStatus();
}

v1::SigningKey AuditEngine::GetSigningKey() const {
  v1::SigningKey k;
  k.set_public_key(sealer_->signer().public_key());
  k.set_key_id(sealer_->signer().key_id());
  return k;
}

absl::StatusOr<v1::ListCheckpointsResponse> AuditEngine::ListCheckpoints(
    const v1::ListCheckpointsRequest& req) {
  REDRESS_ASSIGN_OR_RETURN(int size, domain::EffectivePageSize(req.page_size(), 100));
  REDRESS_ASSIGN_OR_RETURN(int64_t after, DecodePageToken(req.page_token(), "checkpoints"));
  REDRESS_ASSIGN_OR_RETURN(auto page,
                           store_->ListCheckpoints(after, INT64_MAX, size + 1));
  v1::ListCheckpointsResponse out;
  for (size_t i = 0; i < page.size() && static_cast<int>(i) < size; ++i) {
    *out.add_checkpoints() = ToProto(page[i]);
  }
  if (static_cast<int>(page.size()) > size) {
    out.set_next_page_token(
        EncodePageToken(out.checkpoints(out.checkpoints_size() - 1).tree_size(), "checkpoints"));
  }
  return out;
}

absl::StatusOr<v1::ConsistencyProof> AuditEngine::GetConsistencyProof(
    const v1::GetConsistencyProofRequest& req) {
  const int64_t first = req.first_tree_size(), second = req.second_tree_size();
  if (first <= 0 || second <= 0 || first > second) {
    return absl::InvalidArgumentError(
        "first_tree_size, second_tree_size: need 0 < first_tree_size <= second_tree_size");
  }
  REDRESS_ASSIGN_OR_RETURN(auto a, store_->ListCheckpoints(first - 1, first, 1));
  REDRESS_ASSIGN_OR_RETURN(auto b, store_->ListCheckpoints(second - 1, second, 1));
  if (a.empty()) return absl::NotFoundError(absl::StrCat("no checkpoint of tree size ", first));
  if (b.empty()) return absl::NotFoundError(absl::StrCat("no checkpoint of tree size ", second));
  REDRESS_ASSIGN_OR_RETURN(std::vector<std::string> leaves, LoadLeaves(store_, second));
  REDRESS_ASSIGN_OR_RETURN(
      std::vector<std::string> proof,
      domain::MerkleConsistencyProof(leaves, static_cast<uint64_t>(first), static_cast<uint64_t>(second)));
  v1::ConsistencyProof out;
  out.set_first(first);
  out.set_second(second);
  for (const auto& h : proof) out.add_proof(absl::BytesToHexString(h));
  *out.mutable_first_checkpoint() = ToProto(a.front());
  *out.mutable_second_checkpoint() = ToProto(b.front());
  return out;
}

void AuditEngine::Erase(const RequestContext& ctx, const v1::EraseComplainantDataRequest& req,
                        ComplaintEngine::Done done) {
  complaints_->Mutate(ctx, domain::Action::kEraseComplainantData,
                      std::make_unique<v1::EraseComplainantDataRequest>(req), std::move(done));
}

absl::StatusOr<v1::SweepRetentionResponse> AuditEngine::SweepRetention(
    const RequestContext& ctx, const v1::SweepRetentionRequest& req) {
  v1::SweepRetentionResponse out;
  const int days = static_cast<int>(options_.retention / absl::Hours(24));
  out.set_retention_days(days);
  const int64_t cutoff = absl::ToUnixMicros(clock_->Now() - options_.retention);
  REDRESS_ASSIGN_OR_RETURN(std::vector<std::string> due, store_->ListRetentionDue(cutoff, 10000));
  for (const std::string& id : due) {
    const std::string name = domain::ComplaintName(id);
    if (req.dry_run()) {
      out.add_complaints(name);
      continue;
    }
    v1::EraseComplainantDataRequest erase;
    erase.set_name(name);
    erase.set_reason(absl::StrCat("retention period of ", days,
                                  " days after closure elapsed (FCA DISP 1.9.1R)"));
    std::promise<absl::StatusOr<v1::Complaint>> p;
    Erase(ctx, erase, [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
    absl::StatusOr<v1::Complaint> r = p.get_future().get();
    if (r.ok()) {
      out.add_complaints(name);
    } else if (r.status().code() != absl::StatusCode::kFailedPrecondition) {
      // Already erased concurrently is fine; anything else stops the sweep
      // (what was erased so far stays erased and audited).
      return r.status();
    }
  }
  return out;
}

}  // namespace redress::core
