#include "server/domain/checkpoint_signer.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/sha256.h"

namespace redress::domain {
namespace {

constexpr char kPublicKeyPrefix[] = "ed25519:";
constexpr size_t kPublicKeySize = 32;
constexpr size_t kSignatureSize = 64;

EVP_PKEY* AsKey(void* p) { return static_cast<EVP_PKEY*>(p); }

// The first OpenSSL error as text (and the queue cleared).
std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

// Never prompt for a passphrase: an encrypted key is simply not loadable.
int NoPassphrase(char*, int, int, void*) { return 0; }

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Decodes base64 (standard alphabet, padded) only in its one canonical form.
bool StrictBase64Decode(absl::string_view text, std::string* out) {
  if (!absl::Base64Unescape(text, out)) return false;
  return absl::Base64Escape(*out) == text;
}

std::string RawPublicKey(EVP_PKEY* pkey) {
  unsigned char buf[kPublicKeySize];
  size_t len = sizeof buf;
  if (EVP_PKEY_get_raw_public_key(pkey, buf, &len) != 1 || len != kPublicKeySize) return "";
  return std::string(reinterpret_cast<const char*>(buf), len);
}

EVP_PKEY* NewKey() {
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  if (ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1) EVP_PKEY_keygen(ctx, &pkey);
  EVP_PKEY_CTX_free(ctx);
  return pkey;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read signing key ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

absl::StatusOr<EVP_PKEY*> ParsePrivateKeyPem(const std::string& path, const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf failed");
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, &NoPassphrase, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "signing key ", path, " is not a PEM private key (", OpenSslError(), ")"));
  }
  if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(pkey);
    return absl::FailedPreconditionError(
        absl::StrCat("signing key ", path, " is not an Ed25519 private key"));
  }
  return pkey;
}

absl::StatusOr<std::string> PrivateKeyPem(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return absl::InternalError("BIO_new failed");
  // PKCS#8 "PRIVATE KEY", unencrypted.
  if (PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    BIO_free(bio);
    return absl::InternalError(absl::StrCat("cannot encode the key: ", OpenSslError()));
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  return pem;
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Writes `pem` to `path` atomically, only if `path` does not exist yet:
// a private temporary file (0600) is written and fsynced, then hard-linked
// to `path` (link(2) fails with EEXIST rather than replacing a key another
// process created meanwhile). Returns false in *linked on EEXIST.
absl::Status WriteNewKeyFile(const std::string& path, const std::string& pem, bool* linked) {
  *linked = false;
  std::random_device rd;
  const std::string tmp = absl::StrCat(path, ".tmp.", getpid(), ".", rd());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create signing key ", path, ": ", std::strerror(errno)));
  }
  auto fail = [&](const char* what) {
    int e = errno;
    close(fd);
    unlink(tmp.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create signing key ", path, ": ", what, ": ", std::strerror(e)));
  };
  if (fchmod(fd, 0600) != 0) return fail("fchmod");
  size_t done = 0;
  while (done < pem.size()) {
    ssize_t n = write(fd, pem.data() + done, pem.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return fail("fsync");
  close(fd);
  if (link(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    unlink(tmp.c_str());
    if (e == EEXIST) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create signing key ", path, ": link: ", std::strerror(e)));
  }
  unlink(tmp.c_str());
  *linked = true;
  int dfd = open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return absl::OkStatus();
}

}  // namespace

std::string CheckpointMessage(uint64_t tree_size, absl::string_view root_hash_hex,
                              int64_t seal_time_us) {
  return absl::StrCat("redress.checkpoint.v1\n", tree_size, "\n", root_hash_hex, "\n",
                      seal_time_us, "\n");
}

CheckpointSigner::CheckpointSigner(void* pkey) : pkey_(pkey) {
  const std::string raw = RawPublicKey(AsKey(pkey_));
  public_key_ = absl::StrCat(kPublicKeyPrefix, absl::Base64Escape(raw));
  key_id_ = KeyIdOf(raw);
}

CheckpointSigner::~CheckpointSigner() { EVP_PKEY_free(AsKey(pkey_)); }

absl::StatusOr<std::unique_ptr<CheckpointSigner>> CheckpointSigner::LoadOrCreate(
    const std::string& path, bool* created) {
  if (created != nullptr) *created = false;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot access signing key ", path, ": ", std::strerror(errno)));
    }
    EVP_PKEY* pkey = NewKey();
    if (pkey == nullptr) {
      return absl::InternalError(absl::StrCat("cannot generate a key: ", OpenSslError()));
    }
    absl::StatusOr<std::string> pem = PrivateKeyPem(pkey);
    if (!pem.ok()) {
      EVP_PKEY_free(pkey);
      return pem.status();
    }
    bool linked = false;
    absl::Status written = WriteNewKeyFile(path, *pem, &linked);
    if (!written.ok()) {
      EVP_PKEY_free(pkey);
      return written;
    }
    if (linked) {
      if (created != nullptr) *created = true;
      return std::unique_ptr<CheckpointSigner>(new CheckpointSigner(pkey));
    }
    // Another process created the file first: use its key.
    EVP_PKEY_free(pkey);
  } else if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("signing key ", path, " is not a regular file"));
  }
  absl::StatusOr<std::string> pem = ReadFile(path);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<EVP_PKEY*> pkey = ParsePrivateKeyPem(path, *pem);
  if (!pkey.ok()) return pkey.status();
  return std::unique_ptr<CheckpointSigner>(new CheckpointSigner(*pkey));
}

std::unique_ptr<CheckpointSigner> CheckpointSigner::Generate() {
  EVP_PKEY* pkey = NewKey();
  if (pkey == nullptr) return nullptr;
  return std::unique_ptr<CheckpointSigner>(new CheckpointSigner(pkey));
}

Checkpoint CheckpointSigner::Sign(uint64_t tree_size, absl::string_view root_hash_hex,
                                  int64_t seal_time_us) const {
  Checkpoint c;
  c.tree_size = tree_size;
  c.root_hash_hex = std::string(root_hash_hex);
  c.seal_time_us = seal_time_us;
  c.key_id = key_id_;
  const std::string sig = SignBytes(CheckpointMessage(tree_size, root_hash_hex, seal_time_us));
  if (!sig.empty()) c.signature_b64 = absl::Base64Escape(sig);  // empty: never verifies
  return c;
}

std::string CheckpointSigner::raw_public_key() const { return RawPublicKey(AsKey(pkey_)); }

std::string CheckpointSigner::SignBytes(absl::string_view message) const {
  unsigned char sig[kSignatureSize];
  size_t sig_len = sizeof sig;
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  bool ok = mctx != nullptr &&
            EVP_DigestSignInit(mctx, nullptr, nullptr, nullptr, AsKey(pkey_)) == 1 &&
            EVP_DigestSign(mctx, sig, &sig_len,
                           reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) == 1;
  EVP_MD_CTX_free(mctx);
  if (!ok) {
    ERR_clear_error();
    return "";
  }
  return std::string(reinterpret_cast<const char*>(sig), sig_len);
}

absl::StatusOr<std::string> ParsePublicKey(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  if (absl::StartsWith(t, kPublicKeyPrefix)) t.remove_prefix(sizeof(kPublicKeyPrefix) - 1);
  std::string raw;
  if (!StrictBase64Decode(t, &raw) || raw.size() != kPublicKeySize) {
    return absl::InvalidArgumentError(
        "invalid public key: expected \"ed25519:\" followed by the base64 of 32 bytes");
  }
  return raw;
}

std::string KeyIdOf(absl::string_view raw_public_key) {
  return Sha256Hex(raw_public_key).substr(0, 16);
}

bool VerifyCheckpoint(const Checkpoint& c, absl::string_view raw_public_key) {
  if (raw_public_key.size() != kPublicKeySize) return false;
  if (!IsLowerHex64(c.root_hash_hex)) return false;
  if (c.key_id != KeyIdOf(raw_public_key)) return false;
  std::string sig;
  if (!StrictBase64Decode(c.signature_b64, &sig)) return false;
  return VerifyEd25519(raw_public_key, CheckpointMessage(c.tree_size, c.root_hash_hex, c.seal_time_us),
                       sig);
}

bool VerifyEd25519(absl::string_view raw_public_key, absl::string_view message,
                   absl::string_view sig) {
  if (raw_public_key.size() != kPublicKeySize || sig.size() != kSignatureSize) return false;
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw_public_key.data()),
      raw_public_key.size());
  if (pkey == nullptr) {
    ERR_clear_error();
    return false;
  }
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  bool ok = mctx != nullptr &&
            EVP_DigestVerifyInit(mctx, nullptr, nullptr, nullptr, pkey) == 1 &&
            EVP_DigestVerify(mctx, reinterpret_cast<const unsigned char*>(sig.data()),
                             sig.size(),
                             reinterpret_cast<const unsigned char*>(message.data()),
                             message.size()) == 1;
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_free(pkey);
  ERR_clear_error();
  return ok;
}

}  // namespace redress::domain
