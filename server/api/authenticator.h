// Authenticator: turns a gRPC call's credentials into the RequestContext the
// engines act on, or refuses the call.
//
//  - With an access configuration: the principal comes from the bearer token
//    in the `authorization` metadata (looked up by its SHA-256) or from the
//    subject of the verified TLS client certificate; no credentials or
//    unknown ones -> UNAUTHENTICATED. The RPC must be allowed to one of the
//    principal's roles -> else PERMISSION_DENIED. Each principal has a token
//    bucket -> RESOURCE_EXHAUSTED when exceeded.
//  - Without one (development mode, loopback only -- see main.cc): the
//    principal is the `x-redress-actor` metadata entry, with every role, but
//    safe by default: every call must name an actor (UNAUTHENTICATED
//    otherwise), names in the reserved `system:` namespace are refused
//    (UNAUTHENTICATED), complainants' personal data is never returned, and
//    the RPCs that handle personal data in bulk or destroy it
//    (ExportAuditTrail, EraseComplainantData, SweepRetention) are
//    PERMISSION_DENIED -- unless Options::dev_allow_personal_data is set
//    (`--dev-allow-personal-data`).
//
// Thread-safety: Check() is called concurrently; Reload() may run at any
// time (SIGHUP) and takes effect for calls that start after it.
#ifndef REDRESS_SERVER_API_AUTHENTICATOR_H_
#define REDRESS_SERVER_API_AUTHENTICATOR_H_

#include <grpcpp/server_context.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "server/core/complaint_engine.h"
#include "server/domain/access_policy.h"

namespace redress::api {

class Authenticator {
 public:
  struct Options {
    double default_rate_per_second = 200;       // per principal
    // Development mode only: return complainants' personal data and allow
    // ExportAuditTrail, EraseComplainantData and SweepRetention.
    bool dev_allow_personal_data = false;
    // Development mode only: exports may carry personal data in clear
    // (implies dev_allow_personal_data).
    bool dev_allow_personal_data_export = false;
  };

  // `policy` null: development mode.
  Authenticator(std::shared_ptr<const domain::AccessPolicy> policy, Options options);

  void Reload(std::shared_ptr<const domain::AccessPolicy> policy);
  bool development_mode() const;

  absl::StatusOr<core::RequestContext> Check(const grpc::ServerContextBase& ctx,
                                             absl::string_view service, absl::string_view rpc);

 private:
  bool Allow(const std::string& principal, double rate);
  absl::StatusOr<core::RequestContext> CheckCredentials(const grpc::ServerContextBase& ctx,
                                                        absl::string_view service,
                                                        absl::string_view rpc);

  const Options options_;
  mutable std::mutex mu_;  // guards policy_ and buckets_
  std::shared_ptr<const domain::AccessPolicy> policy_;  // guarded by mu_
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  std::map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_AUTHENTICATOR_H_
