#include "server/api/authenticator.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "server/api/request_context.h"
#include "server/domain/validation.h"

namespace redress::api {
namespace {

// Refused in development mode without --dev-allow-personal-data.
bool HandlesPersonalDataInBulk(absl::string_view service, absl::string_view rpc) {
  return service == "redress.v1.AuditService" &&
         (rpc == "ExportAuditTrail" || rpc == "EraseComplainantData" || rpc == "SweepRetention");
}

}  // namespace

Authenticator::Authenticator(std::shared_ptr<const domain::AccessPolicy> policy, Options options)
    : options_(options), policy_(std::move(policy)) {}

void Authenticator::Reload(std::shared_ptr<const domain::AccessPolicy> policy) {
  std::lock_guard<std::mutex> lock(mu_);
  policy_ = std::move(policy);
}

bool Authenticator::development_mode() const {
  std::lock_guard<std::mutex> lock(mu_);
  return policy_ == nullptr;
}

bool Authenticator::Allow(const std::string& principal, double rate) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const double burst = std::max(rate, 1.0);
  auto [it, inserted] = buckets_.try_emplace(principal, Bucket{burst, now});
  Bucket& b = it->second;
  b.tokens = std::min(burst, b.tokens + std::chrono::duration<double>(now - b.last).count() * rate);
  b.last = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

absl::StatusOr<core::RequestContext> Authenticator::Check(const grpc::ServerContextBase& ctx,
                                                          absl::string_view service,
                                                          absl::string_view rpc) {
  auto rc = CheckCredentials(ctx, service, rpc);
  if (rc.ok()) rc->deadline = ctx.deadline();
  return rc;
}

absl::StatusOr<core::RequestContext> Authenticator::CheckCredentials(
    const grpc::ServerContextBase& ctx, absl::string_view service, absl::string_view rpc) {
  std::shared_ptr<const domain::AccessPolicy> policy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    policy = policy_;
  }
  if (policy == nullptr) {
    core::RequestContext rc = ContextFrom(ctx);
    if (rc.actor.empty()) {
      return absl::UnauthenticatedError(absl::StrCat(
          "development mode: every call must name its caller in the ", kActorMetadataKey,
          " metadata entry"));
    }
    if (absl::Status st = domain::ValidateActor(rc.actor); !st.ok()) {
      return absl::UnauthenticatedError(absl::StrCat(kActorMetadataKey, ": ", st.message()));
    }
    if (domain::IsSystemActorName(rc.actor)) {
      return absl::UnauthenticatedError(absl::StrCat(
          kActorMetadataKey, ": the \"", domain::kSystemActorPrefix,
          "\" namespace is reserved for Redress's own actors"));
    }
    const bool personal_data =
        options_.dev_allow_personal_data || options_.dev_allow_personal_data_export;
    if (!personal_data && HandlesPersonalDataInBulk(service, rpc)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "development mode: ", rpc, " is refused without --dev-allow-personal-data "
          "(or configure principals with --access-config)"));
    }
    rc.read_personal_data = personal_data;
    rc.export_personal_data = options_.dev_allow_personal_data_export;
    if (!Allow(rc.actor, options_.default_rate_per_second)) {
      return absl::ResourceExhaustedError(
          absl::StrCat("rate limit exceeded for ", rc.actor, "; retry later"));
    }
    return rc;
  }

  const domain::PrincipalInfo* who = nullptr;
  const auto& md = ctx.client_metadata();
  if (auto it = md.find("authorization"); it != md.end()) {
    absl::string_view value(it->second.data(), it->second.size());
    if (!absl::ConsumePrefix(&value, "Bearer ") && !absl::ConsumePrefix(&value, "bearer ")) {
      return absl::UnauthenticatedError("authorization: expected \"Bearer <token>\"");
    }
    who = policy->FindByToken(value);
    if (who == nullptr) return absl::UnauthenticatedError("authorization: unknown or revoked token");
  } else if (auto auth = ctx.auth_context(); auth && auth->IsPeerAuthenticated()) {
    for (const auto& subject : auth->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME)) {
      who = policy->FindByCertSubject(std::string(subject.data(), subject.size()));
      if (who != nullptr) break;
    }
    if (who == nullptr) {
      return absl::UnauthenticatedError("the client certificate's subject is not a known principal");
    }
  }
  if (who == nullptr) {
    return absl::UnauthenticatedError(
        "credentials required: send \"authorization: Bearer <token>\" or a client certificate");
  }
  auto scope = domain::AccessPolicy::Authorize(*who, service, rpc);
  if (!scope.ok()) return scope.status();
  const double rate =
      who->rate_limit_per_second > 0 ? who->rate_limit_per_second : options_.default_rate_per_second;
  if (!Allow(who->name, rate)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("rate limit of ", rate, " requests/s exceeded for ", who->name, "; retry later"));
  }
  core::RequestContext rc;
  rc.actor = who->name;
  rc.scope = *scope;
  rc.read_personal_data = who->read_personal_data;
  rc.export_personal_data = who->export_personal_data;
  return rc;
}

}  // namespace redress::api
