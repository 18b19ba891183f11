#include "server/domain/access_policy.h"

#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "server/domain/action_rules.h"
#include "server/domain/sha256.h"
#include "server/domain/validation.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;

// The permission table, from the declarations of every RPC.
const std::vector<RpcRule>& Table() {
  static const std::vector<RpcRule>* table = [] {
    auto* t = new std::vector<RpcRule>();
    for (const DeclaredRpc& d : DeclaredRpcs()) {
      t->push_back(RpcRule{d.service, d.rpc, d.RoleBits(), d.AssignedOrQueuedBits(),
                           d.OwnSubmissionsBits()});
    }
    return t;
  }();
  return *table;
}

absl::Status Bad(const std::string& where, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("access config: ", where, ": ", why));
}

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

absl::Span<const RpcRule> AccessTable() { return Table(); }

AccessScope ScopeFor(v1::Role role, const RpcRule& rule) {
  if (rule.assigned_or_queued & RoleBit(role)) return AccessScope::kAssignedOrQueued;
  if (rule.own_submissions & RoleBit(role)) return AccessScope::kOwnSubmissions;
  return AccessScope::kAny;
}

absl::StatusOr<AccessScope> AccessPolicy::Authorize(const PrincipalInfo& p,
                                                    absl::string_view service,
                                                    absl::string_view rpc) {
  for (const RpcRule& rule : Table()) {
    if (rule.service != service || rule.rpc != rpc) continue;
    const uint32_t allowed = rule.roles & p.roles;
    if (allowed == 0) break;
    // The least restrictive scope among the caller's allowed roles.
    AccessScope best = AccessScope::kOwnSubmissions;
    bool any = false;
    for (int r = v1::Role_MIN + 1; r <= v1::Role_MAX; ++r) {
      if (!(allowed & (1u << r))) continue;
      const AccessScope s = ScopeFor(static_cast<v1::Role>(r), rule);
      if (s == AccessScope::kAny) return AccessScope::kAny;
      if (!any || s == AccessScope::kAssignedOrQueued) best = s;
      any = true;
    }
    return best;
  }
  return absl::PermissionDeniedError(
      absl::StrCat("principal ", p.name, " may not call ", service, "/", rpc));
}

absl::StatusOr<std::unique_ptr<AccessPolicy>> AccessPolicy::Parse(absl::string_view text) {
  v1::AccessConfig config;
  google::protobuf::TextFormat::Parser parser;
  if (!parser.ParseFromString(std::string(text), &config)) {
    return absl::InvalidArgumentError("access config: not valid protobuf text format "
                                      "(redress.v1.AccessConfig)");
  }
  auto policy = std::unique_ptr<AccessPolicy>(new AccessPolicy());
  std::set<std::string> names;
  for (int i = 0; i < config.principals_size(); ++i) {
    const v1::Principal& p = config.principals(i);
    const std::string where = absl::StrCat("principals[", i, "] (", p.name(), ")");
    if (auto st = ValidateActor(p.name()); !st.ok()) return Bad(where, "name must be 1-128 printable ASCII characters without spaces");
    if (IsSystemActorName(p.name())) {
      return Bad(where, absl::StrCat("name: the \"", kSystemActorPrefix,
                                     "\" namespace is reserved for Redress's own actors"));
    }
    if (!names.insert(p.name()).second) return Bad(where, "duplicate name");
    auto info = std::make_unique<PrincipalInfo>();
    info->name = p.name();
    if (p.roles_size() == 0) return Bad(where, "roles: at least one role is required");
    for (int r : p.roles()) {
      if (!v1::Role_IsValid(r) || r == v1::ROLE_UNSPECIFIED) return Bad(where, "roles: unknown role");
      info->roles |= 1u << r;
    }
    for (int g : p.grants()) {
      if (g == v1::GRANT_READ_PERSONAL_DATA) info->read_personal_data = true;
      else if (g == v1::GRANT_EXPORT_PERSONAL_DATA) info->export_personal_data = true;
      else return Bad(where, "grants: unknown grant");
    }
    if (p.rate_limit_per_second() < 0) return Bad(where, "rate_limit_per_second: must be >= 0");
    info->rate_limit_per_second = p.rate_limit_per_second();
    if (p.token_sha256_size() == 0 && p.client_cert_subjects_size() == 0) {
      return Bad(where, "needs a token_sha256 or a client_cert_subjects entry");
    }
    for (const std::string& d : p.token_sha256()) {
      if (!IsLowerHex64(d)) return Bad(where, "token_sha256: must be 64 lower-case hex characters");
      if (!policy->by_token_digest_.emplace(d, info.get()).second) {
        return Bad(where, "token_sha256: the same token belongs to two principals");
      }
    }
    for (const std::string& s : p.client_cert_subjects()) {
      if (s.empty()) return Bad(where, "client_cert_subjects: empty subject");
      if (!policy->by_subject_.emplace(s, info.get()).second) {
        return Bad(where, "client_cert_subjects: the same subject belongs to two principals");
      }
    }
    policy->principals_.push_back(std::move(info));
  }
  return policy;
}

absl::StatusOr<std::unique_ptr<AccessPolicy>> AccessPolicy::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("access config: cannot read ", path));
  std::stringstream buf;
  buf << in.rdbuf();
  return Parse(buf.str());
}

const PrincipalInfo* AccessPolicy::FindByToken(absl::string_view bearer_token) const {
  if (bearer_token.empty()) return nullptr;
  auto it = by_token_digest_.find(Sha256Hex(bearer_token));
  return it == by_token_digest_.end() ? nullptr : it->second;
}

const PrincipalInfo* AccessPolicy::FindByCertSubject(absl::string_view subject) const {
  auto it = by_subject_.find(subject);
  return it == by_subject_.end() ? nullptr : it->second;
}

}  // namespace redress::domain
