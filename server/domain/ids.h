// Identifiers: complaint ids, resource names, human references, request ids.
// All functions are pure and thread-safe except NewUuid (thread-safe, uses
// OpenSSL's CSPRNG).
#ifndef REDRESS_SERVER_DOMAIN_IDS_H_
#define REDRESS_SERVER_DOMAIN_IDS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace redress::domain {

inline constexpr absl::string_view kComplaintsCollection = "complaints/";

// A random RFC 4122 version-4 UUID in canonical lower-case form.
std::string NewUuid();

// True for a canonical 8-4-4-4-12 hex UUID (either case).
bool IsUuid(absl::string_view s);

// "complaints/{id}".
std::string ComplaintName(absl::string_view id);

// Parses "complaints/{id}" and returns the id. INVALID_ARGUMENT naming
// `field` when the name is empty or malformed.
absl::StatusOr<std::string> ParseComplaintName(absl::string_view name,
                                               absl::string_view field);

// "CMP-{year}-{number:06}", e.g. CMP-2026-000123.
std::string FormatReference(int year, int64_t number);

// Lower-case hex of random bytes (for salts).
std::string RandomHex(size_t bytes);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_IDS_H_
