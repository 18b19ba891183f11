// Ed25519 keys (OpenSSL) and the signed checkpoint format of the audit
// ledger. Format (compliance-docs/audit-trail.md §6): the signed message is
// the UTF-8 text
//
//   redress.checkpoint.v1\n<tree_size>\n<root hash hex>\n<seal_time_us>\n
//
// the signature is Ed25519 over exactly those bytes, base64 (standard
// alphabet, padded). A public key is written "ed25519:" + base64 of its 32 raw
// bytes; its key id is the first 16 hex characters of SHA-256 of those bytes.
//
// Thread-safety: a CheckpointSigner is immutable after creation and may sign
// from several threads.
#ifndef REDRESS_SERVER_DOMAIN_CHECKPOINT_SIGNER_H_
#define REDRESS_SERVER_DOMAIN_CHECKPOINT_SIGNER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace redress::domain {

struct Checkpoint {
  uint64_t tree_size = 0;
  std::string root_hash_hex;  // MTH of the first tree_size ledger entries
  int64_t seal_time_us = 0;
  std::string key_id;
  std::string signature_b64;
};

// The exact bytes that are signed.
std::string CheckpointMessage(uint64_t tree_size, absl::string_view root_hash_hex,
                              int64_t seal_time_us);

class CheckpointSigner {
 public:
  ~CheckpointSigner();

  // Loads the private key from `path` (PEM, PKCS#8 Ed25519). When the file
  // does not exist, creates a new key there (mode 0600) and sets *created.
  // FAILED_PRECONDITION if the file exists but is not an Ed25519 private key.
  static absl::StatusOr<std::unique_ptr<CheckpointSigner>> LoadOrCreate(const std::string& path,
                                                                        bool* created);
  // A fresh in-memory key (tests).
  static std::unique_ptr<CheckpointSigner> Generate();

  std::string public_key() const { return public_key_; }  // "ed25519:<base64>"
  std::string key_id() const { return key_id_; }
  std::string raw_public_key() const;  // 32 bytes

  // Ed25519 signature (64 raw bytes) of exactly `message`; empty if OpenSSL
  // fails (which then never verifies).
  std::string SignBytes(absl::string_view message) const;

  Checkpoint Sign(uint64_t tree_size, absl::string_view root_hash_hex,
                  int64_t seal_time_us) const;

 private:
  explicit CheckpointSigner(void* pkey);
  void* pkey_;  // EVP_PKEY*
  std::string public_key_;
  std::string key_id_;
};

// Parses "ed25519:<base64>" (or bare base64 of 32 bytes) into raw bytes.
absl::StatusOr<std::string> ParsePublicKey(absl::string_view text);
std::string KeyIdOf(absl::string_view raw_public_key);

// True iff `c` is signed by `raw_public_key` (and its key_id matches it).
bool VerifyCheckpoint(const Checkpoint& c, absl::string_view raw_public_key);

// True iff `signature` (64 raw bytes) is the Ed25519 signature of `message`
// under `raw_public_key` (32 bytes).
bool VerifyEd25519(absl::string_view raw_public_key, absl::string_view message,
                   absl::string_view signature);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_CHECKPOINT_SIGNER_H_
