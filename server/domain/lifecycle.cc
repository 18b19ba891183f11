#include "server/domain/lifecycle.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "server/domain/action_rules.h"
#include "server/domain/request_validators.h"
#include "server/domain/sha256.h"
#include "server/domain/status_macros.h"
#include "server/domain/time_util.h"
#include "server/domain/validation.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using C = v1::Complaint;
using E = v1::ComplaintEvent;

constexpr uint32_t kOpen = StateBit(C::STATE_RECEIVED) | StateBit(C::STATE_ACKNOWLEDGED) |
                           StateBit(C::STATE_INVESTIGATING) | StateBit(C::STATE_RESPONDED) |
                           StateBit(C::STATE_DISPUTED);

// The transition table, from the `(redress.v1.action)` declarations of the
// mutating RPCs (action_rules.h). Guards beyond the from-state are enforced in
// Apply() and described in the declarations' `target`.
struct Table {
  std::vector<ActionSpec> rows;             // declaration order
  std::vector<int> by_event;                // event type -> index in rows, or -1
};

const Table& TheTable() {
  static const Table* table = [] {
    auto* t = new Table();
    for (const DeclaredRpc& d : DeclaredRpcs()) {
      if (!d.mutating()) continue;
      const v1::ActionRule& r = d.rule;
      t->rows.push_back(ActionSpec{Action(r.event_type()), d.service, d.rpc, r.event_type(),
                                   d.FromStateBits(), r.target(), r.to_state(), r.keeps_state(),
                                   r.touches_clocks(), d.request});
      const int e = static_cast<int>(r.event_type());
      if (static_cast<int>(t->by_event.size()) <= e) t->by_event.resize(e + 1, -1);
      t->by_event[e] = static_cast<int>(t->rows.size()) - 1;
    }
    return t;
  }();
  return *table;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  const auto st = google::protobuf::util::MessageToJsonString(m, &out, opts);
  if (!st.ok()) return absl::InternalError(absl::StrCat("payload encoding: ", st.ToString()));
  return out;
}

// Copy of a by-name request without the fields recorded elsewhere in the
// event (name, etag, request_id).
template <typename R>
R Stripped(const R& r) {
  R copy = r;
  copy.clear_name();
  copy.clear_etag();
  copy.clear_request_id();
  return copy;
}

template <typename R>
absl::StatusOr<const R*> As(const google::protobuf::Message& m) {
  if (m.GetDescriptor() != R::descriptor()) {
    return absl::InternalError(absl::StrCat("request type ", m.GetTypeName(), " does not match ",
                                            R::descriptor()->full_name()));
  }
  return static_cast<const R*>(&m);
}

absl::Status NotAllowed(Action action, State s) {
  return absl::FailedPreconditionError(absl::StrCat(Spec(action).rpc, " is not allowed in state ",
                                                    StateName(s)));
}

absl::Status Guard(Action action, State s, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat(Spec(action).rpc, " is not allowed in state ", StateName(s), ": ", why));
}

void SetClosed(C* c, absl::Time now, absl::string_view reason) {
  c->set_state(C::STATE_CLOSED);
  *c->mutable_close_time() = ToTimestamp(now);
  c->set_closure_reason(std::string(reason));
}

}  // namespace

absl::Span<const ActionSpec> ActionTable() { return TheTable().rows; }

const ActionSpec* FindAction(Action action) {
  const Table& t = TheTable();
  const int e = static_cast<int>(action.event_type());
  if (e < 0 || e >= static_cast<int>(t.by_event.size()) || t.by_event[e] < 0) return nullptr;
  return &t.rows[t.by_event[e]];
}

const ActionSpec* FindAction(absl::string_view service, absl::string_view rpc) {
  for (const ActionSpec& spec : TheTable().rows) {
    if (spec.service == service && spec.rpc == rpc) return &spec;
  }
  return nullptr;
}

const ActionSpec& Spec(Action action) {
  static const ActionSpec kUnknown{Action(), "", "(unknown action)", v1::ComplaintEvent::TYPE_UNSPECIFIED,
                                   0, "", C::STATE_UNSPECIFIED, false, false, nullptr};
  const ActionSpec* spec = FindAction(action);
  return spec != nullptr ? *spec : kUnknown;
}

bool IsOpen(State s) { return (kOpen & StateBit(s)) != 0; }

std::string StateName(State s) {
  std::string n = C::State_Name(s);
  if (absl::StartsWith(n, "STATE_")) n = n.substr(6);
  return n.empty() ? absl::StrCat("STATE(", static_cast<int>(s), ")") : n;
}

std::string ComplainantDigest(const v1::Complainant& c, absl::string_view salt) {
  std::string buf = "REDRESS-COMPLAINANT-V1";
  for (absl::string_view f : {salt, absl::string_view(c.display_name()), absl::string_view(c.email()),
                              absl::string_view(c.phone()), absl::string_view(c.customer_id())}) {
    const uint32_t n = static_cast<uint32_t>(f.size());
    for (int shift = 24; shift >= 0; shift -= 8) buf.push_back(static_cast<char>((n >> shift) & 0xff));
    buf.append(f.data(), f.size());
  }
  return Sha256Hex(buf);
}

absl::Status ValidateFor(Action action, const google::protobuf::Message& m, absl::Time now) {
  const ActionSpec* spec = FindAction(action);
  if (spec == nullptr) return absl::InternalError("unknown action");
  if (m.GetDescriptor() != spec->request) {
    return absl::InternalError(absl::StrCat("request type ", m.GetTypeName(), " does not match ",
                                            spec->request->full_name()));
  }
  const RequestValidator validate = FindRequestValidator(spec->request);
  if (validate == nullptr) {
    return absl::InternalError(absl::StrCat("no validator is registered for ",
                                            spec->request->full_name(), " (validation.cc)"));
  }
  return validate(m, now);
}

absl::StatusOr<Transition> Apply(Action action, const google::protobuf::Message& request,
                                 const C& before, const ActionContext& ctx) {
  if (FindAction(action) == nullptr) return absl::InternalError("unknown action");
  const State from = before.state();
  if ((Spec(action).from_states & StateBit(from)) == 0) {
    if (action == Action::kSubmit) return absl::InternalError("submit on an existing complaint");
    return NotAllowed(action, from);
  }
  Transition t;
  t.after = before;
  t.from_state = from;
  t.event_type = Spec(action).event_type;
  C& c = t.after;
  const auto now = ToTimestamp(ctx.now);

  switch (action) {
    case Action::kSubmit: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::SubmitComplaintRequest>(request));
      const C& in = r->complaint();
      // Only input fields are taken; output-only fields are ignored (AIP-203).
      C input;
      input.set_channel(in.channel());
      input.set_product(in.product());
      input.set_category(in.category());
      input.set_description(in.description());
      input.set_remedy_sought(in.remedy_sought());
      if (in.has_occurrence_time()) *input.mutable_occurrence_time() = in.occurrence_time();
      input.set_external_reference(in.external_reference());
      *input.mutable_labels() = in.labels();
      *input.mutable_attachments() = in.attachments();
      REDRESS_ASSIGN_OR_RETURN(std::string input_json, ToJson(input));
      std::string policy_json;
      if (ctx.policy_ref.has_value()) {
        REDRESS_ASSIGN_OR_RETURN(std::string ref_json, ToJson(*ctx.policy_ref));
        policy_json = absl::StrCat(",\"policy\":", ref_json);
        *input.mutable_policy() = *ctx.policy_ref;
      }
      t.payload = absl::StrCat("{\"complaint\":", input_json, ",\"complainant_digest\":\"",
                               ComplainantDigest(in.complainant(), ctx.complainant_salt), "\"",
                               policy_json, "}");
      input.set_name(before.name());
      input.set_reference(before.reference());
      *input.mutable_complainant() = in.complainant();
      input.set_state(C::STATE_RECEIVED);
      *input.mutable_create_time() = now;
      c = std::move(input);
      break;
    }
    case Action::kAcknowledge: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::AcknowledgeComplaintRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.set_state(C::STATE_ACKNOWLEDGED);
      break;
    }
    case Action::kAssess: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::AssessComplaintRequest>(request));
      v1::AssessComplaintRequest s = Stripped(*r);
      s.mutable_assessment()->clear_assessor();
      s.mutable_assessment()->clear_assess_time();
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(s));
      *c.mutable_assessment() = s.assessment();
      c.mutable_assessment()->set_assessor(ctx.actor);
      *c.mutable_assessment()->mutable_assess_time() = now;
      break;
    }
    case Action::kAssign: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::AssignComplaintRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.set_assignee(r->assignee());
      break;
    }
    case Action::kStartInvestigation: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::StartInvestigationRequest>(request));
      if (from == C::STATE_ACKNOWLEDGED && !before.has_assessment()) {
        return Guard(action, from, "the complaint has not been assessed (AssessComplaint first)");
      }
      if (from == C::STATE_RESPONDED &&
          before.complainant_decision().outcome() != v1::ComplainantDecision::OUTCOME_REJECTED) {
        return Guard(action, from, "the complainant has not rejected the response");
      }
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.set_state(C::STATE_INVESTIGATING);
      break;
    }
    case Action::kAddNote: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::AddComplaintNoteRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      break;
    }
    case Action::kEscalate: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::EscalateComplaintRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.set_escalation_level(before.escalation_level() + 1);
      break;
    }
    case Action::kRespond: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::RespondToComplaintRequest>(request));
      if (from == C::STATE_ACKNOWLEDGED && !before.has_assessment()) {
        return Guard(action, from,
                     "a summary resolution needs an assessment (AssessComplaint first)");
      }
      v1::RespondToComplaintRequest s = Stripped(*r);
      s.mutable_response()->clear_respond_time();
      s.mutable_response()->clear_responder();
      s.mutable_response()->set_summary_resolution(from == C::STATE_ACKNOWLEDGED);
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(s));
      *c.mutable_response() = s.response();
      *c.mutable_response()->mutable_respond_time() = now;
      c.mutable_response()->set_responder(ctx.actor);
      c.clear_complainant_decision();  // a new response awaits a new decision
      c.set_state(C::STATE_RESPONDED);
      break;
    }
    case Action::kRecordDecision: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::RecordComplainantDecisionRequest>(request));
      v1::RecordComplainantDecisionRequest s = Stripped(*r);
      s.mutable_decision()->clear_decide_time();
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(s));
      *c.mutable_complainant_decision() = s.decision();
      *c.mutable_complainant_decision()->mutable_decide_time() = now;
      if (s.decision().outcome() == v1::ComplainantDecision::OUTCOME_ACCEPTED) {
        SetClosed(&c, ctx.now, "response accepted by the complainant");
      }
      break;
    }
    case Action::kOpenDispute: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::OpenDisputeRequest>(request));
      if (from == C::STATE_RESPONDED &&
          before.complainant_decision().outcome() != v1::ComplainantDecision::OUTCOME_REJECTED) {
        return Guard(action, from, "the complainant has not rejected the response");
      }
      if (from == C::STATE_CLOSED &&
          ctx.now > ctx.dispute_window_end.value_or(FromTimestamp(before.close_time()) +
                                                    ctx.policy.dispute_window)) {
        return Guard(action, from, "the dispute window has elapsed");
      }
      v1::OpenDisputeRequest s = Stripped(*r);
      auto* d = s.mutable_dispute();
      d->clear_outcome();
      d->clear_outcome_text();
      d->clear_open_time();
      d->clear_resolve_time();
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(s));
      *c.mutable_dispute() = *d;
      *c.mutable_dispute()->mutable_open_time() = now;
      c.set_state(C::STATE_DISPUTED);
      break;
    }
    case Action::kResolveDispute: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::ResolveDisputeRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      auto* d = c.mutable_dispute();
      d->set_outcome(r->outcome());
      d->set_outcome_text(r->outcome_text());
      *d->mutable_resolve_time() = now;
      if (r->outcome() == v1::Dispute::OUTCOME_REMITTED) {
        c.clear_complainant_decision();
        c.clear_close_time();
        c.clear_closure_reason();
        c.set_state(C::STATE_INVESTIGATING);
      } else {
        SetClosed(&c, ctx.now,
                  r->outcome() == v1::Dispute::OUTCOME_RESPONSE_UPHELD
                      ? "dispute resolved: response upheld"
                      : "dispute resolved: response revised");
      }
      break;
    }
    case Action::kClose: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::CloseComplaintRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      SetClosed(&c, ctx.now, r->reason());
      break;
    }
    case Action::kWithdraw: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::WithdrawComplaintRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.set_state(C::STATE_WITHDRAWN);
      *c.mutable_close_time() = now;
      c.set_closure_reason(r->reason().empty() ? "withdrawn" : r->reason());
      break;
    }
    case Action::kReopen: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::ReopenComplaintRequest>(request));
      if (ctx.now > ctx.reopen_window_end.value_or(FromTimestamp(before.close_time()) +
                                                   ctx.policy.reopen_window)) {
        return Guard(action, from, "the reopen window has elapsed");
      }
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.set_state(C::STATE_INVESTIGATING);
      c.clear_close_time();
      c.clear_closure_reason();
      c.clear_complainant_decision();
      break;
    }
    case Action::kEraseComplainantData: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::EraseComplainantDataRequest>(request));
      if (before.has_personal_data_erase_time()) {
        return Guard(action, from, "the complainant's personal data is already erased");
      }
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.clear_complainant();
      *c.mutable_personal_data_erase_time() = now;
      break;
    }
    case Action::kRequestInformation: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::RequestInformationRequest>(request));
      if (before.awaiting_information()) {
        return Guard(action, from, "information is already awaited (ReceiveInformation first)");
      }
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.set_awaiting_information(true);
      break;
    }
    case Action::kReceiveInformation: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::ReceiveInformationRequest>(request));
      if (!before.awaiting_information()) {
        return Guard(action, from, "no information was requested (RequestInformation first)");
      }
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      c.set_awaiting_information(false);
      break;
    }
    case Action::kSendHoldingResponse: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::SendHoldingResponseRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      break;
    }
    case Action::kExtendDeadline: {
      // Whether the policy allows it is checked by the caller against the
      // replayed deadlines (CheckExtension in deadlines.h).
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::ExtendDeadlineRequest>(request));
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(Stripped(*r)));
      break;
    }
    case Action::kRecomputeDeadlines: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::RecomputeDeadlinesRequest>(request));
      if (!ctx.policy_ref.has_value()) {
        return Guard(action, from, "no policy applies to the complaint");
      }
      const v1::PolicyRef& ref = *ctx.policy_ref;
      if (before.has_policy() && before.policy().id() == ref.id() &&
          before.policy().version() == ref.version() &&
          before.policy().calendar_id() == ref.calendar_id()) {
        return Guard(action, from,
                     absl::StrCat("the clocks already run under policy ", ref.id(), " version ",
                                  ref.version(), " (calendar ", ref.calendar_id(), ")"));
      }
      REDRESS_ASSIGN_OR_RETURN(std::string ref_json, ToJson(ref));
      REDRESS_ASSIGN_OR_RETURN(std::string reason_json, ToJson(Stripped(*r)));  // {"reason":...}
      t.payload = absl::StrCat("{\"policy\":", ref_json, ",", reason_json.substr(1));
      *c.mutable_policy() = ref;
      break;
    }
    case Action::kRecordSatisfaction: {
      REDRESS_ASSIGN_OR_RETURN(const auto* r, As<v1::RecordSatisfactionRequest>(request));
      if (before.has_satisfaction()) {
        return Guard(action, from, "satisfaction is already recorded");
      }
      v1::RecordSatisfactionRequest s = Stripped(*r);
      s.mutable_satisfaction()->clear_record_time();
      REDRESS_ASSIGN_OR_RETURN(t.payload, ToJson(s));
      *c.mutable_satisfaction() = s.satisfaction();
      *c.mutable_satisfaction()->mutable_record_time() = now;
      break;
    }
    default:
      return absl::InternalError(absl::StrCat(Spec(action).rpc, " has no Apply case (lifecycle.cc)"));
  }
  *c.mutable_update_time() = now;
  c.set_event_count(before.event_count() + 1);
  t.to_state = c.state();
  return t;
}

Transition SystemEvent(const C& before, EventType type, std::string payload, absl::Time now) {
  Transition t;
  t.after = before;
  t.event_type = type;
  t.from_state = before.state();
  t.to_state = before.state();
  t.payload = std::move(payload);
  *t.after.mutable_update_time() = ToTimestamp(now);
  t.after.set_event_count(before.event_count() + 1);
  return t;
}

}  // namespace redress::domain
