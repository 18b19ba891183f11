// The RFC 6962 / RFC 9162 Merkle tree of the audit ledger: roots, inclusion
// and consistency proofs cross-checked against a naive recursive MTH written
// here from the RFC text, known answers computed independently in Python,
// and tampered proofs.
#include "server/domain/merkle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/domain/sha256.h"

namespace redress::domain {
namespace {

using ::testing::ElementsAreArray;

std::string Raw(const std::string& hex) { return absl::HexStringToBytes(hex); }
std::string Hex(const std::string& raw) { return absl::BytesToHexString(raw); }

// The event hash of test leaf i: SHA-256("event-<i>") as hex.
std::string EventHashHex(int i) { return Sha256Hex(absl::StrCat("event-", i)); }

std::vector<std::string> Leaves(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(MerkleLeafHashFromEventHashHex(EventHashHex(i)));
  return out;
}

// --- A naive reference, straight from RFC 6962 section 2.1 ----------------
std::string NaiveHash(const std::string& data) { return Raw(Sha256Hex(data)); }

std::vector<std::string> Slice(const std::vector<std::string>& v, size_t lo, size_t hi) {
  return std::vector<std::string>(v.begin() + lo, v.begin() + hi);
}

size_t NaiveK(size_t n) {
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

std::string NaiveMth(const std::vector<std::string>& d) {
  if (d.empty()) return NaiveHash("");
  if (d.size() == 1) return d[0];
  size_t k = NaiveK(d.size());
  return NaiveHash("\x01" + NaiveMth(Slice(d, 0, k)) + NaiveMth(Slice(d, k, d.size())));
}

std::vector<std::string> NaivePath(size_t m, const std::vector<std::string>& d) {
  if (d.size() <= 1) return {};
  size_t k = NaiveK(d.size());
  std::vector<std::string> out;
  if (m < k) {
    out = NaivePath(m, Slice(d, 0, k));
    out.push_back(NaiveMth(Slice(d, k, d.size())));
  } else {
    out = NaivePath(m - k, Slice(d, k, d.size()));
    out.push_back(NaiveMth(Slice(d, 0, k)));
  }
  return out;
}

std::vector<std::string> NaiveSubproof(size_t m, const std::vector<std::string>& d, bool b) {
  if (m == d.size()) {
    if (b) return {};
    return {NaiveMth(d)};
  }
  size_t k = NaiveK(d.size());
  std::vector<std::string> out;
  if (m <= k) {
    out = NaiveSubproof(m, Slice(d, 0, k), b);
    out.push_back(NaiveMth(Slice(d, k, d.size())));
  } else {
    out = NaiveSubproof(m - k, Slice(d, k, d.size()), false);
    out.push_back(NaiveMth(Slice(d, 0, k)));
  }
  return out;
}

// ---------------------------------------------------------------------------

TEST(MerkleTest, EmptyTreeRootIsSha256OfNothing) {
  EXPECT_EQ(Hex(MerkleRoot({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(MerkleAccumulator().Root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleTest, LeafAndNodeHashesAreDomainSeparated) {
  const std::string ev = EventHashHex(0);
  EXPECT_EQ(ev, "23352a67ac7ffc4b5d98023dc1a54ee507d4bf95dc1c4154045c5e2bbde73317");
  const std::string leaf = MerkleLeafHashFromEventHashHex(ev);
  EXPECT_EQ(leaf, NaiveHash(std::string(1, '\0') + Raw(ev)));
  EXPECT_EQ(Hex(leaf), "e92348a95c75e943f06588e8f4e6c73d17fbe56595c75169aafbb8086ad75adf");
  EXPECT_EQ(MerkleNodeHash(leaf, leaf), NaiveHash("\x01" + leaf + leaf));
  EXPECT_NE(MerkleNodeHash(leaf, leaf), NaiveHash(std::string(1, '\0') + leaf + leaf));
}

TEST(MerkleTest, LeafHashRejectsMalformedHex) {
  const std::string ev = EventHashHex(0);
  EXPECT_EQ(MerkleLeafHashFromEventHashHex(""), "");
  EXPECT_EQ(MerkleLeafHashFromEventHashHex(ev.substr(1)), "");
  EXPECT_EQ(MerkleLeafHashFromEventHashHex(ev + "0"), "");
  std::string upper = ev;
  upper[1] = 'A';
  EXPECT_EQ(MerkleLeafHashFromEventHashHex(upper), "");
  std::string bad = ev;
  bad[5] = 'g';
  EXPECT_EQ(MerkleLeafHashFromEventHashHex(bad), "");
}

// Pinned values from an independent Python implementation of RFC 6962
// (leaf i = SHA-256(0x00 || SHA-256("event-<i>"))).
TEST(MerkleTest, KnownAnswers) {
  const std::vector<std::string> leaves = Leaves(70);
  auto root = [&](int n) { return Hex(MerkleRoot(Slice(leaves, 0, n))); };
  EXPECT_EQ(root(1), "e92348a95c75e943f06588e8f4e6c73d17fbe56595c75169aafbb8086ad75adf");
  EXPECT_EQ(root(2), "6de3c59a3e329a98770e8c038c0ddc766ec1043d9f69b53330a6e20da76fe934");
  EXPECT_EQ(root(3), "889c7b0b601b40a117fd856be1a22a045b6e521b8f1e08c8e7bd8f0646fbed72");
  EXPECT_EQ(root(7), "d01437ad52b18e6584ce03f2d29d7597f8d31803f2160fb31c670a64af325417");
  EXPECT_EQ(root(8), "3b14351aac7052f4631b41d0d988e758eb9e2e310a768f7a975fde6e66ff8721");
  EXPECT_EQ(root(70), "020595b7a97ef298d102eec44e15c9b0923b72248f6a3bdcb93cc37e57b20120");

  auto hexes = [](const std::vector<std::string>& v) {
    std::vector<std::string> out;
    for (const std::string& h : v) out.push_back(Hex(h));
    return out;
  };
  auto path = MerkleInclusionProof(leaves, 5, 7);
  ASSERT_TRUE(path.ok());
  EXPECT_THAT(hexes(*path),
              ElementsAreArray({
                  "212a1c1d1d79110c48b5c4f95a9baf8612666fa80d023db23b6e5f35047dd20b",
                  "dbbb72e9f3b8d5b9f16742948a1c8774a93e2f0c96b7118a0ebf379f9bdc1c20",
                  "8b897bec17dfc6f9f4d1563d12da0feb2cad54820b11146a3a9dcab584de6fa0",
              }));
  auto c37 = MerkleConsistencyProof(leaves, 3, 7);
  ASSERT_TRUE(c37.ok());
  EXPECT_THAT(hexes(*c37),
              ElementsAreArray({
                  "d1c02dd09e1affe3ded8d8e59e915fbf19c7cac0156aa56ae7ddd646884144b5",
                  "c8f17fc2943f60c71e301a1de70d03029c8dc8387b3ce091898546b9bc4931e2",
                  "6de3c59a3e329a98770e8c038c0ddc766ec1043d9f69b53330a6e20da76fe934",
                  "dcf3c9fe2bd92388af611bec2e7143308a6f42837cc3cdff7b74d634cb0b9aa3",
              }));
  auto c470 = MerkleConsistencyProof(leaves, 4, 70);
  ASSERT_TRUE(c470.ok());
  EXPECT_THAT(hexes(*c470),
              ElementsAreArray({
                  "524dd6a518e8a664e8f4f07270313cd99281a6942c840c52830695ff5fcfda0b",
                  "dbc0077b26d41ddee89d418140321c3f69176e5f3e1b0d79836b3d8ef1e246f8",
                  "862ef1e7edea3ff88c91b3fe975625f701667788d92c1762f9f8692c5d5969b6",
                  "366c64c05700f6971f61941bc2b362c54e486d186032d36a21f57f459ea5a6e5",
                  "0af48bb1a983fda191c12ff610a8d27924f214db9800b5b54057768c04231fee",
              }));
}

TEST(MerkleTest, RootMatchesNaiveForEverySize) {
  const std::vector<std::string> leaves = Leaves(70);
  for (int n = 0; n <= 70; ++n) {
    EXPECT_EQ(MerkleRoot(Slice(leaves, 0, n)), NaiveMth(Slice(leaves, 0, n))) << n;
  }
}

TEST(MerkleTest, AccumulatorEqualsRootForEverySize) {
  const std::vector<std::string> leaves = Leaves(200);
  MerkleAccumulator acc;
  EXPECT_EQ(acc.size(), 0u);
  EXPECT_EQ(acc.Root(), MerkleRoot({}));
  for (int n = 1; n <= 200; ++n) {
    acc.Append(leaves[n - 1]);
    ASSERT_EQ(acc.size(), static_cast<uint64_t>(n));
    ASSERT_EQ(acc.Root(), MerkleRoot(Slice(leaves, 0, n))) << n;
    // Reading the root does not disturb the accumulator.
    ASSERT_EQ(acc.Root(), MerkleRoot(Slice(leaves, 0, n))) << n;
  }
}

TEST(MerkleTest, InclusionProofsMatchNaiveAndVerifyForEveryIndex) {
  const std::vector<std::string> leaves = Leaves(70);
  for (uint64_t n = 1; n <= 70; ++n) {
    const std::vector<std::string> d = Slice(leaves, 0, n);
    const std::string root = NaiveMth(d);
    for (uint64_t m = 0; m < n; ++m) {
      auto proof = MerkleInclusionProof(leaves, m, n);
      ASSERT_TRUE(proof.ok()) << m << "/" << n;
      ASSERT_EQ(*proof, NaivePath(m, d)) << m << "/" << n;
      ASSERT_TRUE(VerifyMerkleInclusion(leaves[m], m, n, *proof, root)) << m << "/" << n;
    }
  }
}

TEST(MerkleTest, TamperedInclusionProofsAreRejected) {
  const std::vector<std::string> leaves = Leaves(71);
  std::vector<std::string> roots;
  for (int n = 0; n <= 71; ++n) roots.push_back(MerkleRoot(Slice(leaves, 0, n)));
  for (uint64_t n = 1; n <= 70; ++n) {
    const std::string& root = roots[n];
    for (uint64_t m = 0; m < n; ++m) {
      const std::vector<std::string> proof = *MerkleInclusionProof(leaves, m, n);
      const std::string where = absl::StrCat(m, "/", n);
      // Wrong index, wrong size, wrong leaf, wrong root.
      for (uint64_t other = 0; other < n; ++other) {
        if (other != m) {
          ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], other, n, proof, root)) << where;
        }
      }
      // (A size is only meaningful with that size's root: the signature binds
      // the two. A proof for (m, n) must not verify for the true tree of
      // another size.)
      ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n + 1, proof, roots[n + 1])) << where;
      if (n > 1 && m < n - 1) {
        ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n - 1, proof, roots[n - 1])) << where;
      }
      if (n > 1) {
        // The leaf itself is not the root of a larger tree.
        ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n, proof, leaves[m])) << where;
      }
      ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], n, n, proof, root)) << where;
      ASSERT_FALSE(VerifyMerkleInclusion(leaves[(m + 1) % 70], m, n, proof, root)) << where;
      // Every single bit flip of every proof element.
      for (size_t i = 0; i < proof.size(); ++i) {
        for (size_t bit = 0; bit < 256; bit += 37) {
          std::vector<std::string> bad = proof;
          bad[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
          ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n, bad, root)) << where << " " << i;
        }
      }
      // A flipped bit in the leaf or the root.
      std::string bad_leaf = leaves[m];
      bad_leaf[31] ^= 1;
      ASSERT_FALSE(VerifyMerkleInclusion(bad_leaf, m, n, proof, root)) << where;
      std::string bad_root = root;
      bad_root[0] ^= 0x80;
      ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n, proof, bad_root)) << where;
      // An extra or a missing element.
      std::vector<std::string> longer = proof;
      longer.push_back(leaves[0]);
      ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n, longer, root)) << where;
      std::vector<std::string> prefixed = proof;
      prefixed.insert(prefixed.begin(), leaves[0]);
      ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n, prefixed, root)) << where;
      if (!proof.empty()) {
        std::vector<std::string> shorter(proof.begin(), proof.end() - 1);
        ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n, shorter, root)) << where;
        std::vector<std::string> headless(proof.begin() + 1, proof.end());
        ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n, headless, root)) << where;
        std::vector<std::string> truncated = proof;
        truncated[0].resize(31);
        ASSERT_FALSE(VerifyMerkleInclusion(leaves[m], m, n, truncated, root)) << where;
      }
    }
  }
}

TEST(MerkleTest, ConsistencyProofsMatchNaiveAndVerifyForEverySizePair) {
  const std::vector<std::string> leaves = Leaves(70);
  for (uint64_t n = 1; n <= 70; ++n) {
    const std::vector<std::string> d = Slice(leaves, 0, n);
    const std::string second_root = NaiveMth(d);
    for (uint64_t m = 1; m <= n; ++m) {
      const std::string first_root = NaiveMth(Slice(leaves, 0, m));
      auto proof = MerkleConsistencyProof(leaves, m, n);
      ASSERT_TRUE(proof.ok()) << m << "->" << n;
      if (m < n) {
        ASSERT_EQ(*proof, NaiveSubproof(m, d, true)) << m << "->" << n;
      } else {
        ASSERT_TRUE(proof->empty());
      }
      ASSERT_TRUE(VerifyMerkleConsistency(m, n, first_root, second_root, *proof))
          << m << "->" << n;
    }
  }
}

TEST(MerkleTest, TamperedConsistencyProofsAreRejected) {
  const std::vector<std::string> leaves = Leaves(70);
  std::vector<std::string> roots;
  for (int n = 0; n <= 70; ++n) roots.push_back(MerkleRoot(Slice(leaves, 0, n)));
  // proofs[m][n] for 1 <= m <= n <= 70.
  std::vector<std::vector<std::vector<std::string>>> proofs(71);
  for (uint64_t m = 1; m <= 70; ++m) {
    proofs[m].resize(71);
    for (uint64_t n = m; n <= 70; ++n) proofs[m][n] = *MerkleConsistencyProof(leaves, m, n);
  }
  for (uint64_t n = 2; n <= 70; ++n) {
    for (uint64_t m = 1; m < n; ++m) {
      const std::vector<std::string>& proof = proofs[m][n];
      const std::string where = absl::StrCat(m, "->", n);
      ASSERT_FALSE(proof.empty()) << where;
      // Wrong sizes, each with the true root of that size (the signature
      // binds a size to its root). Accepting is only right where the true
      // proof for the other sizes happens to be the same list.
      for (uint64_t other = 1; other <= 70; ++other) {
        if (other != m && (other > n || proofs[other][n] != proof)) {
          ASSERT_FALSE(VerifyMerkleConsistency(other, n, roots[other], roots[n], proof))
              << where << " as " << other << "->" << n;
        }
        if (other != n && (other < m || proofs[m][other] != proof)) {
          ASSERT_FALSE(VerifyMerkleConsistency(m, other, roots[m], roots[other], proof))
              << where << " as " << m << "->" << other;
        }
        // The same sizes with another size's root.
        if (other != m) {
          ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[other], roots[n], proof)) << where;
        }
        if (other != n) {
          ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[other], proof)) << where;
        }
      }
      // Wrong roots (including a root of another size).
      ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m - 1], roots[n], proof)) << where;
      ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[n - 1], proof)) << where;
      std::string flipped = roots[m];
      flipped[7] ^= 4;
      ASSERT_FALSE(VerifyMerkleConsistency(m, n, flipped, roots[n], proof)) << where;
      flipped = roots[n];
      flipped[31] ^= 1;
      ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], flipped, proof)) << where;
      // One bit flipped in any element.
      for (size_t i = 0; i < proof.size(); ++i) {
        for (size_t bit = 0; bit < 256; bit += 53) {
          std::vector<std::string> bad = proof;
          bad[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
          ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[n], bad))
              << where << " element " << i;
        }
      }
      // Extra, missing, reordered elements; an empty proof.
      std::vector<std::string> longer = proof;
      longer.push_back(leaves[0]);
      ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[n], longer)) << where;
      std::vector<std::string> prefixed = proof;
      prefixed.insert(prefixed.begin(), roots[m]);
      ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[n], prefixed)) << where;
      std::vector<std::string> shorter(proof.begin(), proof.end() - 1);
      ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[n], shorter)) << where;
      if (proof.size() > 1) {
        std::vector<std::string> headless(proof.begin() + 1, proof.end());
        ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[n], headless)) << where;
        std::vector<std::string> swapped = proof;
        std::swap(swapped[0], swapped[1]);
        if (swapped != proof) {
          ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[n], swapped)) << where;
        }
      }
      ASSERT_FALSE(VerifyMerkleConsistency(m, n, roots[m], roots[n], {})) << where;
      // Reversed direction.
      ASSERT_FALSE(VerifyMerkleConsistency(n, m, roots[n], roots[m], proof)) << where;
    }
  }
}

TEST(MerkleTest, ConsistencyEdgeCases) {
  const std::vector<std::string> leaves = Leaves(8);
  const std::string empty = MerkleRoot({});
  const std::string r5 = MerkleRoot(Slice(leaves, 0, 5));
  const std::string r8 = MerkleRoot(leaves);
  // The empty tree is a prefix of every tree, with an empty proof.
  EXPECT_TRUE(MerkleConsistencyProof(leaves, 0, 5)->empty());
  EXPECT_TRUE(VerifyMerkleConsistency(0, 5, empty, r5, {}));
  EXPECT_TRUE(VerifyMerkleConsistency(0, 0, empty, empty, {}));
  EXPECT_FALSE(VerifyMerkleConsistency(0, 5, r8, r5, {}));
  EXPECT_FALSE(VerifyMerkleConsistency(0, 5, empty, r5, {leaves[0]}));
  // Equal sizes: equal roots and no proof.
  EXPECT_TRUE(VerifyMerkleConsistency(5, 5, r5, r5, {}));
  EXPECT_FALSE(VerifyMerkleConsistency(5, 5, r5, r8, {}));
  EXPECT_FALSE(VerifyMerkleConsistency(5, 5, r5, r5, {leaves[0]}));
  // Malformed hashes.
  EXPECT_FALSE(VerifyMerkleConsistency(0, 5, empty.substr(1), r5, {}));
  EXPECT_FALSE(VerifyMerkleInclusion(leaves[0], 0, 1, {}, leaves[0] + "x"));
  EXPECT_TRUE(VerifyMerkleInclusion(leaves[0], 0, 1, {}, leaves[0]));
  EXPECT_FALSE(VerifyMerkleInclusion(leaves[0], 0, 0, {}, empty));
}

TEST(MerkleTest, ProofArgumentsAreChecked) {
  const std::vector<std::string> leaves = Leaves(5);
  EXPECT_EQ(MerkleInclusionProof(leaves, 5, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MerkleInclusionProof(leaves, 0, 6).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MerkleInclusionProof(leaves, 0, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MerkleConsistencyProof(leaves, 3, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MerkleConsistencyProof(leaves, 2, 6).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace redress::domain
