// The per-RPC declarations of proto/redress/v1/action_rule.proto (the
// `(redress.v1.action)` method option), read from the generated descriptors
// of every Redress service and checked once. The lifecycle transition table
// (lifecycle.h), the access-policy table (access_policy.h), the adapters'
// action lookup and redressctl's command table are built from these; see
// docs/how-to-add-action.md.
//
// Thread-safety: DeclaredRpcs() is built once (thread-safe static) and
// immutable afterwards; the other functions are pure.
#ifndef REDRESS_SERVER_DOMAIN_ACTION_RULES_H_
#define REDRESS_SERVER_DOMAIN_ACTION_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "redress/v1/action_rule.pb.h"

namespace redress::domain {

// One RPC with its declared rule.
struct DeclaredRpc {
  std::string service;  // full name, e.g. "redress.v1.ComplaintService"
  std::string rpc;      // e.g. "AcknowledgeComplaint"
  const google::protobuf::Descriptor* request = nullptr;   // the input type
  const google::protobuf::Descriptor* response = nullptr;  // the output type
  bool has_rule = false;  // the method carries the (redress.v1.action) option
  redress::v1::ActionRule rule;

  // A lifecycle action: records `rule.event_type()`.
  bool mutating() const {
    return rule.event_type() != redress::v1::ComplaintEvent::TYPE_UNSPECIFIED;
  }
  // Bit sets (1 << enum value) of rule.roles / assigned_or_queued_roles /
  // own_submissions_roles / from_states.
  uint32_t RoleBits() const;
  uint32_t AssignedOrQueuedBits() const;
  uint32_t OwnSubmissionsBits() const;
  uint32_t FromStateBits() const;
};

// The Redress services, in documentation order: ComplaintService,
// AuditService, EventService.
std::vector<const google::protobuf::ServiceDescriptor*> RedressServices();

// Every RPC of `services` in declaration order, rules as declared (unchecked).
std::vector<DeclaredRpc> ReadDeclaredRpcs(
    absl::Span<const google::protobuf::ServiceDescriptor* const> services);

// OK, or INVALID_ARGUMENT listing every problem, one per line, each naming
// the RPC: an RPC without a rule; a role, state or event type that is not a
// value of its enum (or is UNSPECIFIED where that is not allowed); a scope
// role that is not among `roles`; an event type recorded by two RPCs; a
// mutating RPC without from_states or target, with both to_state and
// keeps_state, whose request lacks the string fields name (not for a
// creating RPC, i.e. from_states = [STATE_UNSPECIFIED]), etag (idem) and
// request_id, or that does not return redress.v1.Complaint; a read-only RPC
// with lifecycle fields; a cli_verb without cli_help (or the reverse) or
// used twice.
absl::Status CheckDeclaredRpcs(absl::Span<const DeclaredRpc> rpcs);

// The RPCs of RedressServices(), checked. The first call aborts the process
// with CheckDeclaredRpcs()'s message if the declarations are inconsistent (a
// build defect that action_rules_test catches).
const std::vector<DeclaredRpc>& DeclaredRpcs();

// The declared RPC `service`/`rpc` (service: full name), or null.
const DeclaredRpc* FindDeclaredRpc(absl::string_view service, absl::string_view rpc);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_ACTION_RULES_H_
