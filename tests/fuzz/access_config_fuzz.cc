// libFuzzer target: the access configuration parser
// (server/domain/access_policy.h, AccessPolicy::Parse), what
// `redressd --access-config FILE` reads: protobuf text format
// redress.v1.AccessConfig, then validation of every principal.
//
// Invariants: errors are INVALID_ARGUMENT; an accepted config has one
// principal per entry, each found by each of its certificate subjects, with
// exactly the roles it lists, and every RPC of the permission table is
// authorized for it exactly when one of its roles is in the RPC's row.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "server/domain/access_policy.h"

namespace {

namespace v1 = redress::v1;
using redress::domain::AccessPolicy;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "access_config_fuzz: invariant violated: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);  // the text parser's own error log
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto policy = AccessPolicy::Parse(text);
  if (!policy.ok()) {
    if (policy.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail("error is not INVALID_ARGUMENT: " + policy.status().ToString());
    }
    return 0;
  }
  v1::AccessConfig config;
  if (!google::protobuf::TextFormat::ParseFromString(text, &config)) {
    Fail("accepted a config that does not parse");
  }
  if ((*policy)->principal_count() != static_cast<size_t>(config.principals_size())) {
    Fail("principal count differs");
  }
  for (const v1::Principal& p : config.principals()) {
    uint32_t roles = 0;
    for (int r : p.roles()) roles |= redress::domain::RoleBit(static_cast<v1::Role>(r));
    for (const std::string& subject : p.client_cert_subjects()) {
      const auto* info = (*policy)->FindByCertSubject(subject);
      if (info == nullptr || info->name != p.name()) Fail("subject not found: " + subject);
      if (info->roles != roles) Fail("roles differ for " + p.name());
      for (const auto& rule : redress::domain::AccessTable()) {
        const bool allowed = (rule.roles & roles) != 0;
        auto scope = AccessPolicy::Authorize(*info, rule.service, rule.rpc);
        if (scope.ok() != allowed) Fail("Authorize disagrees with the table for " + p.name());
        if (!scope.ok() && scope.status().code() != absl::StatusCode::kPermissionDenied) {
          Fail("Authorize error is not PERMISSION_DENIED");
        }
      }
    }
  }
  return 0;
}
