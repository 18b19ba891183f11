// Access control: the permission table (which roles may call which RPC; deny
// by default), built from the RPCs' `(redress.v1.action)` declarations
// (action_rules.h), and the access configuration (credentials -> principals
// -> roles). Pure and thread-safe; an AccessPolicy is immutable once parsed.
// compliance-docs/access-control.md shows the table (generated from the
// declarations: access_control_doc.h) and a test checks the two agree.
#ifndef REDRESS_SERVER_DOMAIN_ACCESS_POLICY_H_
#define REDRESS_SERVER_DOMAIN_ACCESS_POLICY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "redress/v1/access.pb.h"

namespace redress::domain {

constexpr uint32_t RoleBit(redress::v1::Role r) { return 1u << static_cast<int>(r); }

// Limits on what a role may do inside an allowed RPC.
enum class AccessScope {
  kAny,               // no further limit
  kAssignedOrQueued,  // handlers: only complaints assigned to them or to nobody
  kOwnSubmissions,    // intake: only complaints they submitted
};

struct RpcRule {
  absl::string_view service;    // e.g. "redress.v1.ComplaintService"
  absl::string_view rpc;        // e.g. "SubmitComplaint"
  uint32_t roles;               // RoleBit()s allowed
  uint32_t assigned_or_queued;  // of `roles`: limited to kAssignedOrQueued
  uint32_t own_submissions;     // of `roles`: limited to kOwnSubmissions
};

// Every RPC of every Redress service, one row each, in declaration order.
// An RPC with no row is denied to everyone.
absl::Span<const RpcRule> AccessTable();

// The scope `role` works under for `rule`'s RPC, which it is allowed (kAny
// unless the declaration limits the role).
AccessScope ScopeFor(redress::v1::Role role, const RpcRule& rule);

struct PrincipalInfo {
  std::string name;
  uint32_t roles = 0;
  bool read_personal_data = false;
  bool export_personal_data = false;
  double rate_limit_per_second = 0;  // 0: server default
};

// The decision for one call.
struct Access {
  const PrincipalInfo* principal = nullptr;
  AccessScope scope = AccessScope::kAny;  // the least restrictive of its allowed roles
};

class AccessPolicy {
 public:
  // Parses and validates an AccessConfig in protobuf text format.
  // INVALID_ARGUMENT naming the offending principal and field.
  static absl::StatusOr<std::unique_ptr<AccessPolicy>> Parse(absl::string_view text);
  static absl::StatusOr<std::unique_ptr<AccessPolicy>> LoadFile(const std::string& path);

  // nullptr when no principal has this token / certificate subject.
  const PrincipalInfo* FindByToken(absl::string_view bearer_token) const;
  const PrincipalInfo* FindByCertSubject(absl::string_view subject) const;

  size_t principal_count() const { return principals_.size(); }

  // OK with the scope, or PERMISSION_DENIED naming the principal and RPC.
  static absl::StatusOr<AccessScope> Authorize(const PrincipalInfo& p, absl::string_view service,
                                               absl::string_view rpc);

 private:
  std::vector<std::unique_ptr<PrincipalInfo>> principals_;
  std::map<std::string, const PrincipalInfo*, std::less<>> by_token_digest_;
  std::map<std::string, const PrincipalInfo*, std::less<>> by_subject_;
};

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_ACCESS_POLICY_H_
