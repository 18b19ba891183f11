// The ListComplaints filter: a small AIP-160 subset, parsed into conditions
// the store turns into bound SQL parameters (never into SQL text).
//
// Grammar:   filter := "" | cond { "AND" cond }
//            cond   := field op value
//            field  := state | channel | category | assignee | create_time
//            op     := "=" | "!=" | "<" | "<=" | ">" | ">="  (ordering: create_time only)
//            value  := bare word | "double-quoted string" (\" and \\ escapes)
// Enum values may be given with or without their prefix (RECEIVED or
// STATE_RECEIVED); times are RFC 3339. Errors: INVALID_ARGUMENT "filter: ...".
#ifndef REDRESS_SERVER_DOMAIN_LIST_FILTER_H_
#define REDRESS_SERVER_DOMAIN_LIST_FILTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace redress::domain {

struct FilterCondition {
  enum class Field { kState, kChannel, kCategory, kAssignee, kCreateTime };
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
  Field field;
  Op op;
  int64_t number = 0;  // enum value, or create_time in Unix microseconds
  std::string text;    // category / assignee
};

struct ListFilter {
  std::vector<FilterCondition> conditions;
  // Canonical text of the conditions; page tokens are bound to it.
  std::string Fingerprint() const;
};

absl::StatusOr<ListFilter> ParseListFilter(absl::string_view filter);

// SQL operator for `op` ("=", "<>", "<", ...).
absl::string_view SqlOperator(FilterCondition::Op op);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_LIST_FILTER_H_
