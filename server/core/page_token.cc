#include "server/core/page_token.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/domain/sha256.h"

namespace redress::core {
namespace {

std::string QueryDigest(absl::string_view query) { return domain::Sha256Hex(query).substr(0, 16); }

}  // namespace

std::string EncodePageToken(int64_t after, absl::string_view query) {
  return absl::WebSafeBase64Escape(absl::StrCat("v1|", after, "|", QueryDigest(query)));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view token, absl::string_view query) {
  if (token.empty()) return 0;
  std::string raw;
  if (token.size() > 256 || !absl::WebSafeBase64Unescape(token, &raw)) {
    return absl::InvalidArgumentError("page_token: not a valid page token");
  }
  std::vector<std::string> parts = absl::StrSplit(raw, '|');
  int64_t after = 0;
  if (parts.size() != 3 || parts[0] != "v1" || !absl::SimpleAtoi(parts[1], &after) || after < 0) {
    return absl::InvalidArgumentError("page_token: not a valid page token");
  }
  if (parts[2] != QueryDigest(query)) {
    return absl::InvalidArgumentError(
        "page_token: issued for a different filter or parent; start again without a token");
  }
  return after;
}

}  // namespace redress::core
