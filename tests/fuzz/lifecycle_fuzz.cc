// libFuzzer target: request validation and the lifecycle transition
// (server/domain/validation.h, lifecycle.h) on a complaint held in memory.
//
// The input is a sequence of (action, clock advance, request bytes) steps
// (request_steps.h). Each step's bytes are parsed as the RPC's request
// message; requests that parse are validated (ValidateFor) and, when valid,
// applied (Apply) to the current complaint, which becomes the result on
// success. Invariants checked on every step:
//   - validation fails only with INVALID_ARGUMENT and a "<field>: <reason>"
//     message;
//   - Apply fails only with FAILED_PRECONDITION or INVALID_ARGUMENT (never
//     INTERNAL: the request type always matches) and leaves the complaint
//     unchanged;
//   - on success: from_state is the state before, allowed by the action's
//     table row; to_state is the state after, one of the action's documented
//     targets (README lifecycle table); the event type is the row's; the
//     event count grows by one; name, reference and creation time are kept;
//     the payload is a JSON object.
// With REDRESS_FUZZ_TRACE set, every step's outcome is printed (to look at a
// seed or a crashing input: lifecycle_fuzz FILE).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "redress/v1/complaint.pb.h"
#include "server/domain/lifecycle.h"
#include "tests/fuzz/request_steps.h"

namespace {

namespace v1 = redress::v1;
using redress::domain::Action;
using C = v1::Complaint;

[[noreturn]] void Fail(const std::string& what, Action action, const C& before) {
  std::fprintf(stderr, "lifecycle_fuzz: invariant violated by %s: %s\nbefore: %s\n",
               std::string(redress::domain::Spec(action).rpc).c_str(), what.c_str(),
               before.ShortDebugString().c_str());
  std::abort();
}

#define CHECK_OR_FAIL(cond, what) \
  do {                            \
    if (!(cond)) Fail(what, step.action, current); \
  } while (0)

void Trace(Action action, const std::string& outcome) {
  static const bool on = std::getenv("REDRESS_FUZZ_TRACE") != nullptr;
  if (on) {
    std::fprintf(stderr, "%s: %s\n", std::string(redress::domain::Spec(action).rpc).c_str(),
                 outcome.c_str());
  }
}

bool OneOf(C::State s, std::initializer_list<C::State> states) {
  for (C::State x : states) {
    if (s == x) return true;
  }
  return false;
}

// The documented target states (README "Lifecycle").
bool TargetAllowed(Action a, C::State from, C::State to) {
  switch (a) {
    case Action::kSubmit: return to == C::STATE_RECEIVED;
    case Action::kAcknowledge: return to == C::STATE_ACKNOWLEDGED;
    case Action::kAssess:
    case Action::kAssign:
    case Action::kAddNote:
    case Action::kEscalate:
    case Action::kEraseComplainantData:
    case Action::kRequestInformation:
    case Action::kReceiveInformation:
    case Action::kSendHoldingResponse:
    case Action::kExtendDeadline:
    case Action::kRecomputeDeadlines:
    case Action::kRecordSatisfaction: return to == from;
    case Action::kStartInvestigation: return to == C::STATE_INVESTIGATING;
    case Action::kRespond: return to == C::STATE_RESPONDED;
    case Action::kRecordDecision: return OneOf(to, {C::STATE_CLOSED, C::STATE_RESPONDED});
    case Action::kOpenDispute: return to == C::STATE_DISPUTED;
    case Action::kResolveDispute: return OneOf(to, {C::STATE_CLOSED, C::STATE_INVESTIGATING});
    case Action::kClose: return to == C::STATE_CLOSED;
    case Action::kWithdraw: return to == C::STATE_WITHDRAWN;
    case Action::kReopen: return to == C::STATE_INVESTIGATING;
    default: break;
  }
  return false;
}

C Skeleton() {
  C c;
  c.set_name("complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
  c.set_reference("CMP-2026-000001");
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);  // "invalid UTF-8" parse errors
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::Time now = absl::FromUnixSeconds(1790000000);  // 2026-09-21
  C current = Skeleton();
  for (const redress::fuzz::Step& step : redress::fuzz::DecodeSteps(data, size)) {
    now += absl::Hours(step.advance_hours);
    auto request = redress::fuzz::NewRequest(step.action);
    if (!request->ParseFromString(step.request)) {
      Trace(step.action, "request does not parse");
      continue;
    }

    const absl::Status valid = redress::domain::ValidateFor(step.action, *request, now);
    if (!valid.ok()) {
      Trace(step.action, valid.ToString());
      CHECK_OR_FAIL(valid.code() == absl::StatusCode::kInvalidArgument,
                    "validation error is not INVALID_ARGUMENT: " + valid.ToString());
      CHECK_OR_FAIL(absl::StrContains(valid.message(), ": "),
                    "validation error without a field path: " + valid.ToString());
      continue;
    }

    // Submit creates a complaint: apply it to a fresh one.
    const C before = step.action == Action::kSubmit ? Skeleton() : current;
    const std::string before_bytes = before.SerializeAsString();
    redress::domain::ActionContext ctx;
    ctx.actor = "fuzz-actor";
    ctx.now = now;
    ctx.complainant_salt = "0123456789abcdef";
    auto t = redress::domain::Apply(step.action, *request, before, ctx);
    CHECK_OR_FAIL(before.SerializeAsString() == before_bytes, "Apply changed its input");
    if (!t.ok()) {
      Trace(step.action, t.status().ToString());
      CHECK_OR_FAIL(t.status().code() == absl::StatusCode::kFailedPrecondition ||
                        t.status().code() == absl::StatusCode::kInvalidArgument,
                    "Apply failed with an undocumented code: " + t.status().ToString());
      continue;
    }
    const auto& spec = redress::domain::Spec(step.action);
    CHECK_OR_FAIL(t->from_state == before.state(), "from_state is not the state before");
    CHECK_OR_FAIL((spec.from_states & redress::domain::StateBit(before.state())) != 0,
                  "applied from a state the table does not allow");
    CHECK_OR_FAIL(t->to_state == t->after.state(), "to_state is not the state after");
    CHECK_OR_FAIL(TargetAllowed(step.action, t->from_state, t->to_state),
                  "undocumented target state " + redress::domain::StateName(t->to_state));
    CHECK_OR_FAIL(t->event_type == spec.event_type, "event type is not the table's");
    CHECK_OR_FAIL(t->after.event_count() == before.event_count() + 1, "event count not +1");
    CHECK_OR_FAIL(t->after.name() == before.name() && t->after.reference() == before.reference(),
                  "name or reference changed");
    if (step.action != Action::kSubmit) {
      CHECK_OR_FAIL(t->after.create_time().SerializeAsString() ==
                        before.create_time().SerializeAsString(),
                    "create_time changed");
    }
    if (step.action == Action::kEscalate) {
      CHECK_OR_FAIL(t->after.escalation_level() == before.escalation_level() + 1,
                    "escalation level not +1");
    }
    if (step.action == Action::kEraseComplainantData) {
      CHECK_OR_FAIL(!t->after.has_complainant() && t->after.has_personal_data_erase_time(),
                    "erasure kept the complainant");
    }
    google::protobuf::Struct payload;
    CHECK_OR_FAIL(google::protobuf::util::JsonStringToMessage(t->payload, &payload).ok(),
                  "payload is not a JSON object: " + t->payload);
    Trace(step.action, "OK -> " + redress::domain::StateName(t->to_state));
    current = std::move(t->after);
  }
  return 0;
}
