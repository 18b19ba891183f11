#include "server/domain/ids.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <stdexcept>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/domain/field_violation.h"

namespace redress::domain {
namespace {

void FillRandom(unsigned char* buf, size_t n) {
  if (RAND_bytes(buf, static_cast<int>(n)) != 1) {
    // The CSPRNG failing is unrecoverable: identifiers must never repeat.
    std::abort();
  }
}

}  // namespace

std::string NewUuid() {
  unsigned char b[16];
  FillRandom(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  std::string hex = absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(b), 16));
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4), "-",
                      hex.substr(16, 4), "-", hex.substr(20, 12));
}

bool IsUuid(absl::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::string ComplaintName(absl::string_view id) { return absl::StrCat(kComplaintsCollection, id); }

absl::StatusOr<std::string> ParseComplaintName(absl::string_view name, absl::string_view field) {
  if (name.empty()) return InvalidField(field, "required");
  if (!absl::StartsWith(name, kComplaintsCollection) ||
      !IsUuid(name.substr(kComplaintsCollection.size()))) {
    return InvalidField(field, "must be a complaint name of the form complaints/{uuid}");
  }
  return absl::AsciiStrToLower(name.substr(kComplaintsCollection.size()));
}

std::string FormatReference(int year, int64_t number) {
  return absl::StrFormat("CMP-%04d-%06d", year, number);
}

std::string RandomHex(size_t bytes) {
  std::string buf(bytes, '\0');
  FillRandom(reinterpret_cast<unsigned char*>(buf.data()), bytes);
  return absl::BytesToHexString(buf);
}

}  // namespace redress::domain
