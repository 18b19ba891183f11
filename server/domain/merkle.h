// RFC 6962 / RFC 9162 Merkle tree over the audit ledger.
//
//   leaf hash   = SHA-256(0x00 || event hash (32 raw bytes))
//   node hash   = SHA-256(0x01 || left || right)
//   MTH({})     = SHA-256("")
//   MTH(D[n])   = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest
//                 power of two smaller than n
//
// Hashes here are 32 raw bytes (std::string of size 32) unless named *Hex.
// Everything is pure and thread-safe except MerkleAccumulator (not
// thread-safe; one owner).
#ifndef REDRESS_SERVER_DOMAIN_MERKLE_H_
#define REDRESS_SERVER_DOMAIN_MERKLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace redress::domain {

// Leaf hash of an event given its lower-case hex event hash. Empty string if
// the hex is malformed.
std::string MerkleLeafHashFromEventHashHex(absl::string_view event_hash_hex);
std::string MerkleNodeHash(absl::string_view left, absl::string_view right);

// MTH over leaf hashes (raw, 32 bytes each).
std::string MerkleRoot(const std::vector<std::string>& leaf_hashes);

// Audit path for leaf `index` in the tree of the first `tree_size` leaves
// (RFC 6962 2.1.1). INVALID_ARGUMENT if index >= tree_size or tree_size >
// leaf_hashes.size().
absl::StatusOr<std::vector<std::string>> MerkleInclusionProof(
    const std::vector<std::string>& leaf_hashes, uint64_t index, uint64_t tree_size);

// Consistency proof between the trees of sizes `first` <= `second` (RFC 6962
// 2.1.2). INVALID_ARGUMENT if first > second or second > leaf_hashes.size().
absl::StatusOr<std::vector<std::string>> MerkleConsistencyProof(
    const std::vector<std::string>& leaf_hashes, uint64_t first, uint64_t second);

// RFC 9162 2.1.3.2: true iff `proof` shows `leaf_hash` at `index` in a tree
// of `tree_size` with root `root`.
bool VerifyMerkleInclusion(absl::string_view leaf_hash, uint64_t index, uint64_t tree_size,
                           const std::vector<std::string>& proof, absl::string_view root);

// RFC 9162 2.1.4.2: true iff `proof` shows the tree of size `first` with
// root `first_root` is a prefix of the tree of size `second` with root
// `second_root`.
bool VerifyMerkleConsistency(uint64_t first, uint64_t second, absl::string_view first_root,
                             absl::string_view second_root,
                             const std::vector<std::string>& proof);

// Incremental root: append leaves one by one, read the root at any time in
// O(log n) memory ("compact range" of perfect subtrees).
class MerkleAccumulator {
 public:
  void Append(absl::string_view leaf_hash);
  uint64_t size() const { return size_; }
  std::string Root() const;  // MTH of everything appended so far

 private:
  // Roots of perfect subtrees, largest first; sizes are the set bits of size_.
  std::vector<std::string> peaks_;
  uint64_t size_ = 0;
};

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_MERKLE_H_
