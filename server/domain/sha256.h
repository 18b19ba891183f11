// SHA-256 (OpenSSL). Pure, thread-safe.
#ifndef REDRESS_SERVER_DOMAIN_SHA256_H_
#define REDRESS_SERVER_DOMAIN_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace redress::domain {

// The 32 raw bytes of SHA-256(data).
std::string Sha256Raw(absl::string_view data);

// Lower-case hex of SHA-256(data): 64 characters.
std::string Sha256Hex(absl::string_view data);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_SHA256_H_
