// A valid request for every mutating action, with the steps that bring a new
// complaint to a state where it is allowed. For tests that must cover every
// mutating RPC (e.g. cross-principal idempotency): a test runs `steps` in
// order on one new complaint; the last step is `action` itself.
//
// The paths assume the engine runs with EveryMutationPolicies(start) and a
// clock that starts at `start` and is advanced by each step's
// `advance_before` (ExtendDeadline needs a policy with an extensible
// deadline, RecomputeDeadlines a newer policy version in force).
#ifndef REDRESS_TESTS_TESTING_EVERY_MUTATION_H_
#define REDRESS_TESTS_TESTING_EVERY_MUTATION_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/domain/action.h"
#include "server/domain/policy.h"

namespace redress::testing {

struct MutationStep {
  domain::Action action;
  // The request for the complaint `name` (ignored by SubmitComplaint).
  std::function<std::unique_ptr<google::protobuf::Message>(const std::string& name)> request;
  absl::Duration advance_before = absl::ZeroDuration();
};

struct MutationPath {
  domain::Action action;            // the action under test
  std::vector<MutationStep> steps;  // steps.back().action == action
};

// One path per mutating action, in Action order.
std::vector<MutationPath> EveryMutationPath();

// The built-in policy presets plus version 2 of asic-rg271, in force from
// `start` + 1 day.
domain::PolicyRegistry EveryMutationPolicies(absl::Time start);

// The RPC's name: "SubmitComplaint", ..., "EraseComplainantData".
std::string RpcName(domain::Action action);
// "redress.v1.ComplaintService" or, for EraseComplainantData, "redress.v1.AuditService".
std::string ServiceName(domain::Action action);

}  // namespace redress::testing

#endif  // REDRESS_TESTS_TESTING_EVERY_MUTATION_H_
