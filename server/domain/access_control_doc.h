// The access table of compliance-docs/access-control.md, rendered from the
// RPCs' `(redress.v1.action)` declarations (action_rules.h). The document
// holds it between kAccessTableBegin and kAccessTableEnd; access_policy_test
// fails when the committed text differs and rewrites it when run with
// REDRESS_UPDATE_DOCS=1.
#ifndef REDRESS_SERVER_DOMAIN_ACCESS_CONTROL_DOC_H_
#define REDRESS_SERVER_DOMAIN_ACCESS_CONTROL_DOC_H_

#include <string>

namespace redress::domain {

inline constexpr char kAccessTableBegin[] =
    "<!-- BEGIN GENERATED access table: from the (redress.v1.action) declarations in proto/; "
    "do not edit -->";
inline constexpr char kAccessTableEnd[] = "<!-- END GENERATED access table -->";

// "| service | RPC | intake | ... |", the separator and one row per RPC
// (cells: yes, assigned, own, -), each line ending in '\n'.
std::string AccessTableMarkdown();

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_ACCESS_CONTROL_DOC_H_
