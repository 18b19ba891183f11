// Opaque page tokens (AIP-158): base64url of "v1|<after>|<query digest>".
// A token is bound to the query (filter or parent) it was issued for.
#ifndef REDRESS_SERVER_CORE_PAGE_TOKEN_H_
#define REDRESS_SERVER_CORE_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace redress::core {

std::string EncodePageToken(int64_t after, absl::string_view query);

// 0 for an empty token; INVALID_ARGUMENT "page_token: ..." when the token is
// malformed or was issued for another query.
absl::StatusOr<int64_t> DecodePageToken(absl::string_view token, absl::string_view query);

}  // namespace redress::core

#endif  // REDRESS_SERVER_CORE_PAGE_TOKEN_H_
