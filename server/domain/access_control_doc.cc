#include "server/domain/access_control_doc.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "redress/v1/access.pb.h"
#include "server/domain/access_policy.h"

namespace redress::domain {

std::string AccessTableMarkdown() {
  namespace v1 = redress::v1;
  std::string header = "| service | RPC |";
  std::string rule = "|---|---|";
  for (int r = v1::Role_MIN + 1; r <= v1::Role_MAX; ++r) {
    if (!v1::Role_IsValid(r)) continue;
    absl::string_view name = v1::Role_Name(static_cast<v1::Role>(r));
    absl::ConsumePrefix(&name, "ROLE_");
    absl::StrAppend(&header, " ", absl::AsciiStrToLower(name), " |");
    absl::StrAppend(&rule, "---|");
  }
  std::string out = absl::StrCat(header, "\n", rule, "\n");
  for (const RpcRule& row : AccessTable()) {
    absl::string_view service = row.service;
    absl::ConsumePrefix(&service, "redress.v1.");
    absl::StrAppend(&out, "| ", service, " | ", row.rpc, " |");
    for (int r = v1::Role_MIN + 1; r <= v1::Role_MAX; ++r) {
      if (!v1::Role_IsValid(r)) continue;
      const auto role = static_cast<v1::Role>(r);
      const char* cell = "-";
      if (row.roles & RoleBit(role)) {
        switch (ScopeFor(role, row)) {
          case AccessScope::kAny: cell = "yes"; break;
          case AccessScope::kAssignedOrQueued: cell = "assigned"; break;
          case AccessScope::kOwnSubmissions: cell = "own"; break;
        }
      }
      absl::StrAppend(&out, " ", cell, " |");
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace redress::domain
