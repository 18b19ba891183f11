#include "server/domain/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "absl/strings/escaping.h"

namespace redress::domain {
namespace {

// The digest implementation, fetched once: OpenSSL 3's one-shot SHA256()
// fetches it from the provider on every call, which was a third of the cost
// of hashing a short event (perf of `redressctl audit verify`).
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) std::abort();  // no default provider: nothing can be hashed
    return fetched;
  }();
  return md;
}

}  // namespace

std::string Sha256Raw(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &n, Sha256Md(), nullptr) != 1 || n != 32) {
    std::abort();  // cannot happen with a fetched SHA-256; never return a wrong hash
  }
  return std::string(reinterpret_cast<const char*>(digest), n);
}

std::string Sha256Hex(absl::string_view data) { return absl::BytesToHexString(Sha256Raw(data)); }

}  // namespace redress::domain
