#include "server/domain/merkle.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/domain/sha256.h"

namespace redress::domain {
namespace {

constexpr size_t kHashSize = 32;

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 2 * kHashSize) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The largest power of two strictly smaller than n (n >= 2).
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k < n - k) k <<= 1;  // k * 2 < n, without overflow
  return k;
}

// MTH(D[lo:hi]), hi > lo.
std::string SubtreeRoot(const std::vector<std::string>& leaves, uint64_t lo, uint64_t hi) {
  if (hi - lo == 1) return leaves[lo];
  const uint64_t k = SplitPoint(hi - lo);
  return MerkleNodeHash(SubtreeRoot(leaves, lo, lo + k), SubtreeRoot(leaves, lo + k, hi));
}

// RFC 6962 2.1.1 PATH(m, D[lo:hi]), appended leaf-side first.
void AuditPath(const std::vector<std::string>& leaves, uint64_t m, uint64_t lo, uint64_t hi,
               std::vector<std::string>* out) {
  const uint64_t n = hi - lo;
  if (n <= 1) return;
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    AuditPath(leaves, m, lo, lo + k, out);
    out->push_back(SubtreeRoot(leaves, lo + k, hi));
  } else {
    AuditPath(leaves, m - k, lo + k, hi, out);
    out->push_back(SubtreeRoot(leaves, lo, lo + k));
  }
}

// RFC 6962 2.1.2 SUBPROOF(m, D[lo:hi], b).
void SubProof(const std::vector<std::string>& leaves, uint64_t m, uint64_t lo, uint64_t hi,
              bool complete_subtree, std::vector<std::string>* out) {
  const uint64_t n = hi - lo;
  if (m == n) {
    if (!complete_subtree) out->push_back(SubtreeRoot(leaves, lo, hi));
    return;
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    SubProof(leaves, m, lo, lo + k, complete_subtree, out);
    out->push_back(SubtreeRoot(leaves, lo + k, hi));
  } else {
    SubProof(leaves, m - k, lo + k, hi, false, out);
    out->push_back(SubtreeRoot(leaves, lo, lo + k));
  }
}

bool AllHashes(const std::vector<std::string>& hashes) {
  for (const std::string& h : hashes) {
    if (h.size() != kHashSize) return false;
  }
  return true;
}

}  // namespace

std::string MerkleLeafHashFromEventHashHex(absl::string_view event_hash_hex) {
  if (!IsLowerHex64(event_hash_hex)) return "";
  std::string input(1, '\x00');
  input += absl::HexStringToBytes(event_hash_hex);
  return Sha256Raw(input);
}

std::string MerkleNodeHash(absl::string_view left, absl::string_view right) {
  std::string input;
  input.reserve(1 + left.size() + right.size());
  input.push_back('\x01');
  input.append(left.data(), left.size());
  input.append(right.data(), right.size());
  return Sha256Raw(input);
}

std::string MerkleRoot(const std::vector<std::string>& leaf_hashes) {
  if (leaf_hashes.empty()) return Sha256Raw("");
  return SubtreeRoot(leaf_hashes, 0, leaf_hashes.size());
}

absl::StatusOr<std::vector<std::string>> MerkleInclusionProof(
    const std::vector<std::string>& leaf_hashes, uint64_t index, uint64_t tree_size) {
  if (tree_size > leaf_hashes.size()) {
    return absl::InvalidArgumentError(absl::StrCat("tree size ", tree_size, " exceeds the ",
                                                   leaf_hashes.size(), " leaves"));
  }
  if (index >= tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not below the tree size ", tree_size));
  }
  std::vector<std::string> proof;
  AuditPath(leaf_hashes, index, 0, tree_size, &proof);
  return proof;
}

absl::StatusOr<std::vector<std::string>> MerkleConsistencyProof(
    const std::vector<std::string>& leaf_hashes, uint64_t first, uint64_t second) {
  if (second > leaf_hashes.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree size ", second, " exceeds the ", leaf_hashes.size(), " leaves"));
  }
  if (first > second) {
    return absl::InvalidArgumentError(
        absl::StrCat("first tree size ", first, " exceeds the second ", second));
  }
  std::vector<std::string> proof;
  // The empty tree and an identical tree need no proof.
  if (first == 0 || first == second) return proof;
  SubProof(leaf_hashes, first, 0, second, true, &proof);
  return proof;
}

bool VerifyMerkleInclusion(absl::string_view leaf_hash, uint64_t index, uint64_t tree_size,
                           const std::vector<std::string>& proof, absl::string_view root) {
  if (leaf_hash.size() != kHashSize || root.size() != kHashSize || !AllHashes(proof)) {
    return false;
  }
  if (index >= tree_size) return false;
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = MerkleNodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyMerkleConsistency(uint64_t first, uint64_t second, absl::string_view first_root,
                             absl::string_view second_root,
                             const std::vector<std::string>& proof) {
  if (first_root.size() != kHashSize || second_root.size() != kHashSize || !AllHashes(proof)) {
    return false;
  }
  if (first > second) return false;
  if (first == second) return proof.empty() && first_root == second_root;
  if (first == 0) return proof.empty() && first_root == Sha256Raw("");
  // RFC 9162 2.1.4.2.
  if (proof.empty()) return false;
  std::vector<std::string> path;
  path.reserve(proof.size() + 1);
  if ((first & (first - 1)) == 0) path.emplace_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = MerkleNodeHash(c, fr);
      sr = MerkleNodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = MerkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_root && sr == second_root && sn == 0;
}

void MerkleAccumulator::Append(absl::string_view leaf_hash) {
  peaks_.emplace_back(leaf_hash);
  // Each trailing one bit of the old size is a perfect subtree of the same
  // height as the new one: merge them.
  for (uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    std::string right = std::move(peaks_.back());
    peaks_.pop_back();
    std::string left = std::move(peaks_.back());
    peaks_.pop_back();
    peaks_.push_back(MerkleNodeHash(left, right));
  }
  ++size_;
}

std::string MerkleAccumulator::Root() const {
  if (peaks_.empty()) return Sha256Raw("");
  std::string r = peaks_.back();
  for (size_t i = peaks_.size() - 1; i-- > 0;) r = MerkleNodeHash(peaks_[i], r);
  return r;
}

}  // namespace redress::domain
