// libFuzzer target: the deadline-policy file parser and validator
// (server/domain/policy.h): ParsePolicySetText, ValidatePolicySet,
// PolicyRegistry::Create and, for sets that load, policy selection and
// lookup. The input is a text-format redress.v1.PolicySet (what
// `redressd --policies` reads); seeds are the repository's policies/*.textproto.
//
// Invariants: parse errors are INVALID_ARGUMENT naming the source; a set
// loads (Create) exactly when it validates; in a loaded set every policy is
// found by (id, version), resolves with its calendar, and every calendar is
// found; a selection names a policy and a calendar of the set.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"
#include "server/domain/policy.h"

namespace {

namespace v1 = redress::v1;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "policy_fuzz: invariant violated: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);  // the text parser's own error log
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto set = redress::domain::ParsePolicySetText(text, "fuzz.textproto");
  if (!set.ok()) {
    if (set.status().code() != absl::StatusCode::kInvalidArgument ||
        !absl::StartsWith(set.status().message(), "fuzz.textproto:")) {
      Fail("parse error: " + set.status().ToString());
    }
    return 0;
  }
  const absl::Status valid = redress::domain::ValidatePolicySet(*set);
  if (!valid.ok() && valid.code() != absl::StatusCode::kInvalidArgument) {
    Fail("validation error is not INVALID_ARGUMENT: " + valid.ToString());
  }
  auto registry = redress::domain::PolicyRegistry::Create(*set);
  if (registry.ok() != valid.ok()) {
    Fail("Create and ValidatePolicySet disagree: " + valid.ToString() + " vs " +
         registry.status().ToString());
  }
  if (!registry.ok()) return 0;

  for (const v1::Calendar& c : set->calendars()) {
    if (!registry->FindCalendar(c.id()).ok()) Fail("calendar not found: " + c.id());
  }
  for (const v1::Policy& p : set->policies()) {
    auto found = registry->FindPolicy(p.id(), p.version());
    if (!found.ok() || (*found)->id() != p.id() || (*found)->version() != p.version()) {
      Fail("policy not found: " + p.id());
    }
    v1::PolicyRef ref;
    ref.set_id(p.id());
    ref.set_version(p.version());
    ref.set_calendar_id(p.calendar_id());
    auto resolved = registry->Resolve(ref);
    if (resolved.ok() && (resolved->policy == nullptr || resolved->calendar == nullptr)) {
      Fail("resolved without a policy or calendar: " + p.id());
    }
  }
  // A few complaints at a few receipt times.
  for (const char* jurisdiction : {"GB", "GB-SCT", "IE", ""}) {
    for (int64_t receipt : {int64_t{0}, int64_t{1790000000}, int64_t{4102444800}}) {
      redress::domain::ComplaintAttributes attrs;
      attrs.jurisdiction = jurisdiction;
      attrs.product_line = "payment_services";
      attrs.category = "billing";
      attrs.channel = v1::CHANNEL_EMAIL;
      auto sel = registry->Select(attrs, absl::FromUnixSeconds(receipt));
      if (!sel.ok()) {
        if (sel.status().code() != absl::StatusCode::kNotFound) {
          Fail("Select error is not NOT_FOUND: " + sel.status().ToString());
        }
        continue;
      }
      if (sel->policy == nullptr || sel->calendar == nullptr) Fail("selection incomplete");
      if (!registry->FindPolicy(sel->ref.id(), sel->ref.version()).ok() ||
          !registry->FindCalendar(sel->ref.calendar_id()).ok()) {
        Fail("selection ref does not resolve: " + sel->ref.ShortDebugString());
      }
    }
  }
  return 0;
}
