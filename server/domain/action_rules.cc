#include "server/domain/action_rules.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "redress/v1/access.pb.h"
#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "redress/v1/event_service.pb.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
namespace pb = google::protobuf;

template <typename Values>
uint32_t Bits(const Values& values) {
  uint32_t bits = 0;
  for (int v : values) {
    if (v >= 0 && v < 32) bits |= 1u << v;
  }
  return bits;
}

const pb::ServiceDescriptor* ServiceOf(const pb::Descriptor* any_message_of_its_file,
                                       absl::string_view name) {
  return any_message_of_its_file->file()->FindServiceByName(std::string(name));
}

// The string field `name` of `m`, or null.
const pb::FieldDescriptor* StringField(const pb::Descriptor* m, absl::string_view name) {
  const pb::FieldDescriptor* f = m->FindFieldByName(std::string(name));
  if (f == nullptr || f->is_repeated() || f->type() != pb::FieldDescriptor::TYPE_STRING) {
    return nullptr;
  }
  return f;
}

bool Creates(const v1::ActionRule& rule) {
  return rule.from_states_size() == 1 && rule.from_states(0) == v1::Complaint::STATE_UNSPECIFIED;
}

void CheckRoles(const DeclaredRpc& d, std::vector<std::string>* problems) {
  const std::string where = absl::StrCat(d.service, "/", d.rpc);
  auto check = [&](absl::string_view field, const auto& roles) {
    for (int r : roles) {
      if (!v1::Role_IsValid(r) || r == v1::ROLE_UNSPECIFIED) {
        problems->push_back(absl::StrCat(where, ": ", field, ": unknown role ", r));
      }
    }
  };
  check("roles", d.rule.roles());
  check("assigned_or_queued_roles", d.rule.assigned_or_queued_roles());
  check("own_submissions_roles", d.rule.own_submissions_roles());
  if (d.rule.roles_size() == 0) problems->push_back(absl::StrCat(where, ": roles: none"));
  if ((d.AssignedOrQueuedBits() | d.OwnSubmissionsBits()) & ~d.RoleBits()) {
    problems->push_back(absl::StrCat(where, ": a scope role is not among roles"));
  }
  if (d.AssignedOrQueuedBits() & d.OwnSubmissionsBits()) {
    problems->push_back(absl::StrCat(where, ": a role has two scopes"));
  }
}

void CheckMutation(const DeclaredRpc& d, std::vector<std::string>* problems) {
  const std::string where = absl::StrCat(d.service, "/", d.rpc);
  const v1::ActionRule& r = d.rule;
  if (!v1::ComplaintEvent_Type_IsValid(r.event_type())) {
    problems->push_back(absl::StrCat(where, ": event_type: unknown event type ", r.event_type()));
  }
  if (r.from_states_size() == 0) problems->push_back(absl::StrCat(where, ": from_states: none"));
  for (int s : r.from_states()) {
    if (!v1::Complaint_State_IsValid(s) ||
        (s == v1::Complaint::STATE_UNSPECIFIED && !Creates(r))) {
      problems->push_back(absl::StrCat(where, ": from_states: unknown state ", s));
    }
  }
  if (!v1::Complaint_State_IsValid(r.to_state())) {
    problems->push_back(absl::StrCat(where, ": to_state: unknown state ", r.to_state()));
  }
  if (r.keeps_state() && r.to_state() != v1::Complaint::STATE_UNSPECIFIED) {
    problems->push_back(absl::StrCat(where, ": both to_state and keeps_state"));
  }
  if (r.target().empty()) problems->push_back(absl::StrCat(where, ": target: empty"));
  std::vector<absl::string_view> header = {"request_id"};
  if (!Creates(r)) header = {"name", "etag", "request_id"};
  for (absl::string_view field : header) {
    if (d.request == nullptr || StringField(d.request, field) == nullptr) {
      problems->push_back(
          absl::StrCat(where, ": the request has no string field `", field, "`"));
    }
  }
  if (d.response != v1::Complaint::descriptor()) {
    problems->push_back(absl::StrCat(where, ": a mutating RPC must return redress.v1.Complaint"));
  }
}

void CheckReadOnly(const DeclaredRpc& d, std::vector<std::string>* problems) {
  const v1::ActionRule& r = d.rule;
  if (r.from_states_size() > 0 || r.to_state() != v1::Complaint::STATE_UNSPECIFIED ||
      r.keeps_state() || !r.target().empty() || r.touches_clocks()) {
    problems->push_back(absl::StrCat(d.service, "/", d.rpc,
                                     ": lifecycle fields on an RPC without event_type"));
  }
}

}  // namespace

uint32_t DeclaredRpc::RoleBits() const { return Bits(rule.roles()); }
uint32_t DeclaredRpc::AssignedOrQueuedBits() const { return Bits(rule.assigned_or_queued_roles()); }
uint32_t DeclaredRpc::OwnSubmissionsBits() const { return Bits(rule.own_submissions_roles()); }
uint32_t DeclaredRpc::FromStateBits() const { return Bits(rule.from_states()); }

std::vector<const pb::ServiceDescriptor*> RedressServices() {
  return {ServiceOf(v1::SubmitComplaintRequest::descriptor(), "ComplaintService"),
          ServiceOf(v1::ExportAuditTrailRequest::descriptor(), "AuditService"),
          ServiceOf(v1::WatchComplaintEventsRequest::descriptor(), "EventService")};
}

std::vector<DeclaredRpc> ReadDeclaredRpcs(absl::Span<const pb::ServiceDescriptor* const> services) {
  std::vector<DeclaredRpc> out;
  for (const pb::ServiceDescriptor* s : services) {
    if (s == nullptr) continue;
    for (int i = 0; i < s->method_count(); ++i) {
      const pb::MethodDescriptor* m = s->method(i);
      DeclaredRpc d;
      d.service = s->full_name();
      d.rpc = m->name();
      d.request = m->input_type();
      d.response = m->output_type();
      d.has_rule = m->options().HasExtension(v1::action);
      if (d.has_rule) d.rule = m->options().GetExtension(v1::action);
      out.push_back(std::move(d));
    }
  }
  return out;
}

absl::Status CheckDeclaredRpcs(absl::Span<const DeclaredRpc> rpcs) {
  std::vector<std::string> problems;
  std::map<int, std::string> by_event;
  std::set<std::string> verbs;
  for (const DeclaredRpc& d : rpcs) {
    const std::string where = absl::StrCat(d.service, "/", d.rpc);
    if (!d.has_rule) {
      problems.push_back(absl::StrCat(where, ": no (redress.v1.action) rule"));
      continue;
    }
    CheckRoles(d, &problems);
    if (d.mutating()) {
      CheckMutation(d, &problems);
      auto [it, fresh] = by_event.emplace(d.rule.event_type(), where);
      if (!fresh) {
        problems.push_back(absl::StrCat(where, ": event_type ",
                                        v1::ComplaintEvent_Type_Name(d.rule.event_type()),
                                        " is already recorded by ", it->second));
      }
    } else {
      CheckReadOnly(d, &problems);
    }
    if (d.rule.cli_verb().empty() != d.rule.cli_help().empty()) {
      problems.push_back(absl::StrCat(where, ": cli_verb and cli_help go together"));
    }
    if (!d.rule.cli_verb().empty() && !verbs.insert(d.rule.cli_verb()).second) {
      problems.push_back(absl::StrCat(where, ": cli_verb \"", d.rule.cli_verb(), "\" used twice"));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
}

const std::vector<DeclaredRpc>& DeclaredRpcs() {
  static const std::vector<DeclaredRpc>* rpcs = [] {
    auto* out = new std::vector<DeclaredRpc>(ReadDeclaredRpcs(RedressServices()));
    if (absl::Status st = CheckDeclaredRpcs(*out); !st.ok()) {
      std::fprintf(stderr, "redress: inconsistent (redress.v1.action) declarations:\n%s\n",
                   std::string(st.message()).c_str());
      std::abort();
    }
    return out;
  }();
  return *rpcs;
}

const DeclaredRpc* FindDeclaredRpc(absl::string_view service, absl::string_view rpc) {
  for (const DeclaredRpc& d : DeclaredRpcs()) {
    if (d.service == service && d.rpc == rpc) return &d;
  }
  return nullptr;
}

}  // namespace redress::domain
