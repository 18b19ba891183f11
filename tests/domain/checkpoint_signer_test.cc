// Ed25519 checkpoint signing: key files, the signed message, verification
// and its failure modes. Known answers from an independent Python
// (cryptography) implementation of compliance-docs/audit-trail.md §6.
#include "server/domain/checkpoint_signer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace redress::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// RFC 8032-style private key: seed bytes 00 01 02 ... 1f, PKCS#8 PEM.
constexpr char kFixedKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kFixedPublicKey[] = "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
constexpr char kFixedKeyId[] = "56475aa75463474c";
constexpr char kRoot7[] = "d01437ad52b18e6584ce03f2d29d7597f8d31803f2160fb31c670a64af325417";
constexpr char kFixedSignature[] =
    "4/IIlxFl+BxBIGM/unpooH8u+mwD2s61x3W7cUn/Zk7dVPW5JVgZEMfA4cdsUDaUeR8IHK9bs0etY7k4zp7kCA==";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = std::filesystem::temp_directory_path() / "redress-signer-XXXXXX";
    char* dir = mkdtemp(tmpl.data());
    EXPECT_NE(dir, nullptr);
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string RawKey(const CheckpointSigner& s) { return *ParsePublicKey(s.public_key()); }

TEST(CheckpointSignerTest, MessageIsExactlyTheDocumentedText) {
  EXPECT_EQ(CheckpointMessage(7, kRoot7, 1790000000123456),
            std::string("redress.checkpoint.v1\n7\n") + kRoot7 + "\n1790000000123456\n");
  EXPECT_EQ(CheckpointMessage(0, kRoot7, -5),
            std::string("redress.checkpoint.v1\n0\n") + kRoot7 + "\n-5\n");
  EXPECT_EQ(CheckpointMessage(18446744073709551615ull, "ab", 0),
            "redress.checkpoint.v1\n18446744073709551615\nab\n0\n");
}

TEST(CheckpointSignerTest, KnownAnswerFromFixedKey) {
  TempDir dir;
  const std::string path = dir.File("key.pem");
  WriteFile(path, kFixedKeyPem);
  bool created = true;
  auto signer = CheckpointSigner::LoadOrCreate(path, &created);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_FALSE(created);
  EXPECT_EQ((*signer)->public_key(), kFixedPublicKey);
  EXPECT_EQ((*signer)->key_id(), kFixedKeyId);
  Checkpoint c = (*signer)->Sign(7, kRoot7, 1790000000123456);
  EXPECT_EQ(c.tree_size, 7u);
  EXPECT_EQ(c.root_hash_hex, kRoot7);
  EXPECT_EQ(c.seal_time_us, 1790000000123456);
  EXPECT_EQ(c.key_id, kFixedKeyId);
  EXPECT_EQ(c.signature_b64, kFixedSignature);  // Ed25519 is deterministic
  EXPECT_TRUE(VerifyCheckpoint(c, *ParsePublicKey(kFixedPublicKey)));
}

TEST(CheckpointSignerTest, LoadOrCreateCreatesPrivateFileAndReloadsSameKey) {
  TempDir dir;
  const std::string path = dir.File("signing.pem");
  bool created = false;
  auto first = CheckpointSigner::LoadOrCreate(path, &created);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(created);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string pem = ReadFile(path);
  EXPECT_THAT(pem, StartsWith("-----BEGIN PRIVATE KEY-----\n"));
  // No temporary files are left behind.
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.File(""))) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);

  auto second = CheckpointSigner::LoadOrCreate(path, &created);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(created);
  EXPECT_EQ((*second)->public_key(), (*first)->public_key());
  EXPECT_EQ((*second)->key_id(), (*first)->key_id());
  EXPECT_EQ(ReadFile(path), pem);
  // A checkpoint signed by one verifies under the other's key.
  Checkpoint c = (*first)->Sign(3, kRoot7, 42);
  EXPECT_TRUE(VerifyCheckpoint(c, RawKey(**second)));
  // `created` may be null.
  EXPECT_TRUE(CheckpointSigner::LoadOrCreate(path, nullptr).ok());
}

TEST(CheckpointSignerTest, WrongFileContentIsFailedPrecondition) {
  TempDir dir;
  const std::string path = dir.File("bad.pem");
  for (const std::string& content : {
           std::string("not a key\n"),
           std::string(""),
           std::string("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
           // A valid PKCS#8 PEM, but an X25519 key, not Ed25519.
           std::string("-----BEGIN PRIVATE KEY-----\n"
                       "MC4CAQAwBQYDK2VuBCIEICCM4+3sZaAaknf0nWHFYbix/tnFLEB6QCuR8GNt/LdB\n"
                       "-----END PRIVATE KEY-----\n"),
       }) {
    WriteFile(path, content);
    bool created = true;
    auto s = CheckpointSigner::LoadOrCreate(path, &created);
    ASSERT_FALSE(s.ok()) << content;
    EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition) << s.status();
    EXPECT_THAT(s.status().message(), HasSubstr(path));
    EXPECT_FALSE(created);
    EXPECT_EQ(ReadFile(path), content) << "the file must not be replaced";
  }
  // A directory where the file should be.
  auto s = CheckpointSigner::LoadOrCreate(dir.File(""), nullptr);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  // A missing directory: cannot create.
  auto missing = CheckpointSigner::LoadOrCreate(dir.File("no/such/dir/key.pem"), nullptr);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(CheckpointSignerTest, SignVerifyRoundTripAndFailures) {
  auto signer = CheckpointSigner::Generate();
  auto other = CheckpointSigner::Generate();
  ASSERT_NE(signer, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_NE(signer->public_key(), other->public_key());
  const std::string key = RawKey(*signer);
  EXPECT_EQ(signer->key_id(), KeyIdOf(key));
  EXPECT_EQ(signer->key_id().size(), 16u);

  const Checkpoint good = signer->Sign(1234, kRoot7, 1790000000000000);
  ASSERT_TRUE(VerifyCheckpoint(good, key));

  // Every byte of the signature, one bit flipped.
  std::string sig;
  ASSERT_TRUE(absl::Base64Unescape(good.signature_b64, &sig));
  ASSERT_EQ(sig.size(), 64u);
  for (size_t i = 0; i < sig.size(); ++i) {
    std::string bad = sig;
    bad[i] ^= 0x01;
    Checkpoint c = good;
    c.signature_b64 = absl::Base64Escape(bad);
    EXPECT_FALSE(VerifyCheckpoint(c, key)) << "byte " << i;
  }
  // Another key.
  EXPECT_FALSE(VerifyCheckpoint(good, RawKey(*other)));
  Checkpoint other_signed = other->Sign(1234, kRoot7, 1790000000000000);
  EXPECT_FALSE(VerifyCheckpoint(other_signed, key));
  other_signed.key_id = good.key_id;  // a lie about the key id does not help
  EXPECT_FALSE(VerifyCheckpoint(other_signed, key));
  // Each message field modified.
  Checkpoint c = good;
  c.tree_size = 1235;
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  c = good;
  c.seal_time_us += 1;
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  c = good;
  c.root_hash_hex[63] = c.root_hash_hex[63] == '7' ? '8' : '7';
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  c = good;
  c.root_hash_hex = absl::AsciiStrToUpper(c.root_hash_hex);
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  // key_id must match the key.
  c = good;
  c.key_id = other->key_id();
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  // Malformed signatures: empty, unpadded, non-canonical, too short.
  c = good;
  c.signature_b64 = "";
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  c.signature_b64 = good.signature_b64.substr(0, good.signature_b64.size() - 2);
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  c.signature_b64 = good.signature_b64 + "\n";
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  c.signature_b64 = absl::Base64Escape(sig.substr(0, 63));
  EXPECT_FALSE(VerifyCheckpoint(c, key));
  // A malformed key.
  EXPECT_FALSE(VerifyCheckpoint(good, key.substr(1)));
}

TEST(CheckpointSignerTest, ParsePublicKey) {
  auto raw = ParsePublicKey(kFixedPublicKey);
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_EQ(KeyIdOf(*raw), kFixedKeyId);
  // Bare base64 and surrounding whitespace (a key file's newline).
  EXPECT_EQ(*ParsePublicKey("A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="), *raw);
  EXPECT_EQ(*ParsePublicKey(std::string(kFixedPublicKey) + "\n"), *raw);
  for (const char* bad : {
           "",
           "ed25519:",
           "garbage",
           "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg",     // unpadded
           "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbh=",    // non-canonical
           "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbgA",    // 33 bytes
           "ed25519:AAAA",                                            // 3 bytes
           "ed448:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",
           "ed25519:A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",    // URL alphabet
           "ed25519: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",
       }) {
    auto r = ParsePublicKey(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    }
  }
}

}  // namespace
}  // namespace redress::domain
