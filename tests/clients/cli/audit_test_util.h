// Test helpers: a small synthetic ledger and the ExportAuditTrail stream a
// server would send for it, built with the server's domain code (event
// hashes, Merkle tree, Ed25519 checkpoints).
#ifndef REDRESS_TESTS_CLIENTS_CLI_AUDIT_TEST_UTIL_H_
#define REDRESS_TESTS_CLIENTS_CLI_AUDIT_TEST_UTIL_H_

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "redress/v1/audit_service.pb.h"
#include "server/domain/checkpoint_signer.h"
#include "server/domain/event_hash.h"
#include "server/domain/merkle.h"
#include "server/domain/time_util.h"

namespace redress::cli::testing {

namespace v1 = ::redress::v1;

// `complaints` complaints, each with `per_complaint` events, interleaved
// round-robin in ledger order. Payloads and actors hold characters JSON must
// escape.
inline std::vector<v1::ComplaintEvent> MakeLedger(int complaints, int per_complaint) {
  std::vector<v1::ComplaintEvent> out;
  std::vector<std::string> prev(complaints, domain::kGenesisHashHex);
  for (int seq = 1; seq <= per_complaint; ++seq) {
    for (int c = 0; c < complaints; ++c) {
      v1::ComplaintEvent e;
      e.set_name(absl::StrCat("complaints/c", c, "-0b7a2f4e/events/", seq));
      e.set_sequence(seq);
      e.set_type(seq == 1 ? v1::ComplaintEvent::TYPE_SUBMITTED
                          : v1::ComplaintEvent::TYPE_NOTE_ADDED);
      e.set_from_state(seq == 1 ? v1::Complaint::STATE_UNSPECIFIED
                                : v1::Complaint::STATE_RECEIVED);
      e.set_to_state(v1::Complaint::STATE_RECEIVED);
      e.set_actor(c % 2 ? "alice" : "b\"o\\b \xc3\xa9");
      e.set_request_id(seq % 3 ? absl::StrCat("req-", c, "-", seq) : "");
      *e.mutable_event_time() = domain::TimestampFromMicros(1790000000000000 + 1000 * out.size());
      e.set_payload(absl::StrCat("{\"text\":\"line1\\nline2 \\\"q\\\" \xe2\x82\xac\",\"n\":",
                                 out.size(), "}\t\x01"));
      e.set_prev_hash(prev[c]);
      e.set_hash(domain::ComputeEventHash(e));
      prev[c] = e.hash();
      out.push_back(e);
    }
  }
  return out;
}

inline std::vector<std::string> Leaves(const std::vector<v1::ComplaintEvent>& events) {
  std::vector<std::string> leaves;
  for (const auto& e : events) leaves.push_back(domain::MerkleLeafHashFromEventHashHex(e.hash()));
  return leaves;
}

inline v1::SignedCheckpoint Sign(const domain::CheckpointSigner& signer,
                                 const std::vector<std::string>& leaves, uint64_t size) {
  std::vector<std::string> prefix(leaves.begin(), leaves.begin() + size);
  domain::Checkpoint c = signer.Sign(size, absl::BytesToHexString(domain::MerkleRoot(prefix)),
                                     1795000000000000 + static_cast<int64_t>(size));
  v1::SignedCheckpoint p;
  p.set_tree_size(static_cast<int64_t>(c.tree_size));
  p.set_root_hash(c.root_hash_hex);
  p.set_seal_time_us(c.seal_time_us);
  p.set_key_id(c.key_id);
  p.set_signature(c.signature_b64);
  return p;
}

// The stream of an export: complete (every checkpoint of `sizes`), or
// filtered to `only` (inclusion proofs, last checkpoint only).
inline std::vector<v1::ExportAuditTrailResponse> MakeStream(
    const domain::CheckpointSigner& signer, const std::vector<v1::ComplaintEvent>& events,
    const std::vector<uint64_t>& sizes, const std::set<std::string>& only = {}) {
  const bool complete = only.empty();
  const std::vector<std::string> leaves = Leaves(events);
  const uint64_t end = sizes.back();
  std::vector<v1::ExportAuditTrailResponse> items;
  v1::ExportAuditTrailResponse h;
  h.mutable_header()->set_complete(complete);
  h.mutable_header()->set_personal_data("redacted");
  *h.mutable_header()->mutable_export_time() = domain::TimestampFromMicros(1796000000123456);
  items.push_back(h);
  std::vector<std::string> shown;
  for (uint64_t i = 0; i < end; ++i) {
    const std::string name = events[i].name();
    const std::string complaint = name.substr(0, name.find("/events/"));
    if (!complete && !only.contains(complaint)) continue;
    v1::ExportAuditTrailResponse item;
    item.mutable_entry()->set_ledger_index(static_cast<int64_t>(i));
    *item.mutable_entry()->mutable_event() = events[i];
    if (!complete) {
      const std::vector<std::string> proof = *domain::MerkleInclusionProof(leaves, i, end);
      for (const std::string& p : proof) {
        item.mutable_entry()->add_inclusion_proof(absl::BytesToHexString(p));
      }
    }
    items.push_back(item);
    if (std::find(shown.begin(), shown.end(), complaint) == shown.end()) shown.push_back(complaint);
  }
  for (const std::string& c : shown) {
    v1::ExportAuditTrailResponse item;
    item.mutable_complainant()->set_complaint(c);
    item.mutable_complainant()->set_display_name(
        absl::StrCat("hmac-sha256:", std::string(64, 'a')));
    item.mutable_complainant()->set_email("erased");
    items.push_back(item);
  }
  for (size_t k = complete ? 0 : sizes.size() - 1; k < sizes.size(); ++k) {
    v1::ExportAuditTrailResponse item;
    *item.mutable_checkpoint() = Sign(signer, leaves, sizes[k]);
    items.push_back(item);
  }
  return items;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = std::filesystem::temp_directory_path() / "redress-cli-audit-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace redress::cli::testing

#endif  // REDRESS_TESTS_CLIENTS_CLI_AUDIT_TEST_UTIL_H_
