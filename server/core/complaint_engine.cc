#include "server/core/complaint_engine.h"

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/core/event_builder.h"
#include "server/core/page_token.h"
#include "server/domain/event_hash.h"
#include "server/domain/ids.h"
#include "server/domain/sha256.h"
#include "server/domain/time_util.h"
#include "server/domain/list_filter.h"
#include "server/domain/statistics.h"
#include "server/domain/status_macros.h"
#include "server/domain/validation.h"
#include "server/store/row_codec.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;
using domain::Action;

std::string StringField(const google::protobuf::Message& m, const char* name) {
  const auto* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->type() != google::protobuf::FieldDescriptor::TYPE_STRING) return "";
  return m.GetReflection()->GetString(m, f);
}

void SetStringField(google::protobuf::Message* m, const char* name, const std::string& value) {
  const auto* f = m->GetDescriptor()->FindFieldByName(name);
  if (f != nullptr && f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
    m->GetReflection()->SetString(m, f, value);
  }
}

// Hex SHA-256 over the RPC name and the deterministic encoding of the request:
// equal for a faithful retry, different for any other request.
std::string Fingerprint(absl::string_view rpc, const google::protobuf::Message& m) {
  std::string bytes(rpc);
  bytes.push_back('\0');
  {
    google::protobuf::io::StringOutputStream sos(&bytes);
    google::protobuf::io::CodedOutputStream cos(&sos);
    cos.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&cos);
  }
  return domain::Sha256Hex(bytes);
}

// State shared between the write function (committer thread, possibly run
// more than once) and the completion.
struct Op {
  Action action;
  domain::AccessScope scope = domain::AccessScope::kAny;
  std::chrono::system_clock::time_point deadline;
  std::function<bool()> cancelled;
  std::unique_ptr<google::protobuf::Message> request;
  std::string actor;
  std::string complaint_id;  // assigned up front for kSubmit
  std::string request_id;
  std::string etag;
  std::string fingerprint;
  std::string salt;  // kSubmit
  v1::Complaint result;
};

// The clock-related inputs of an action, computed inside the transaction
// (after the row lock) from the complaint's events and policy:
//   submit               the policy recorded at intake;
//   ExtendDeadline       CheckExtension against the replayed deadlines;
//   RecomputeDeadlines   the policy version that applies now;
//   OpenDispute/Reopen   the end of the policy's dispute / reopen window.
absl::Status PrepareClocks(const Op& op, store::WriteTxn& txn,
                           const store::StoredComplaint& stored,
                           const DeadlineEvaluator& evaluator, absl::Time now,
                           domain::ActionContext& actx) {
  if (op.action != Action::kSubmit &&
      (domain::Spec(op.action).from_states & domain::StateBit(stored.complaint.state())) == 0) {
    return absl::OkStatus();  // Apply() refuses it, naming the state
  }
  switch (op.action) {
    case Action::kSubmit: {
      const auto& r = static_cast<const v1::SubmitComplaintRequest&>(*op.request);
      REDRESS_ASSIGN_OR_RETURN(actx.policy_ref, evaluator.SelectForIntake(r.complaint(), now));
      return absl::OkStatus();
    }
    case Action::kRecomputeDeadlines: {
      REDRESS_ASSIGN_OR_RETURN(actx.policy_ref, evaluator.SelectNow(stored.complaint, now));
      return absl::OkStatus();
    }
    case Action::kExtendDeadline:
    case Action::kOpenDispute:
    case Action::kReopen:
      break;
    default:
      return absl::OkStatus();
  }
  if (!evaluator.enabled() || !stored.complaint.has_policy()) {
    if (op.action == Action::kExtendDeadline) {
      return absl::FailedPreconditionError(
          "ExtendDeadline: no complaint-handling policy applies to the complaint, so it has no "
          "deadlines to extend");
    }
    return absl::OkStatus();  // the lifecycle's default windows apply
  }
  REDRESS_ASSIGN_OR_RETURN(auto events, txn.LoadEvents(stored.id));
  const std::vector<domain::ReplayEvent> replay = domain::ToReplayEvents(events);
  if (op.action == Action::kExtendDeadline) {
    const auto& r = static_cast<const v1::ExtendDeadlineRequest&>(*op.request);
    REDRESS_ASSIGN_OR_RETURN(domain::DeadlineContext dctx,
                             evaluator.ContextFor(stored.complaint, replay, now));
    return domain::CheckExtension(replay, dctx, r.extension());
  }
  REDRESS_ASSIGN_OR_RETURN(auto deadlines, evaluator.Evaluate(stored.complaint, replay, now));
  const v1::DeadlineKind kind = op.action == Action::kOpenDispute
                                    ? v1::DEADLINE_KIND_DISPUTE_WINDOW
                                    : v1::DEADLINE_KIND_REOPEN_WINDOW;
  std::optional<absl::Time> end;
  for (const v1::Deadline& d : deadlines) {
    if (d.kind() == kind && d.has_due_time()) end = domain::FromTimestamp(d.due_time());
  }
  (op.action == Action::kOpenDispute ? actx.dispute_window_end : actx.reopen_window_end) = end;
  return absl::OkStatus();
}

absl::Status RunWrite(Op& op, store::WriteTxn& txn, const domain::Clock& clock,
                      const domain::LifecyclePolicy& policy, const DeadlineEvaluator& evaluator) {
  const domain::ActionSpec& spec = domain::Spec(op.action);
  const bool is_submit = op.action == Action::kSubmit;
  if (std::chrono::system_clock::now() > op.deadline) {
    // The caller has given up: do not write what nobody will be told about.
    // (Had it been written, a retry with the same request_id would find it.)
    return absl::DeadlineExceededError("the caller's deadline passed before the write ran");
  }
  if (op.cancelled && op.cancelled()) {
    return absl::CancelledError("the caller went away before the write ran; nothing was written");
  }
  // Lock the complaint row before looking up the request_id: a concurrent
  // request with the same request_id (e.g. a client's retry sent to another
  // replica) has then either committed -- and its record is visible to this
  // statement -- or has not touched the complaint yet.
  std::optional<store::StoredComplaint> loaded;
  if (!is_submit) {
    REDRESS_ASSIGN_OR_RETURN(loaded, txn.LoadForUpdate(op.complaint_id));
    if (loaded.has_value() && op.scope == domain::AccessScope::kAssignedOrQueued &&
        !loaded->complaint.assignee().empty() && loaded->complaint.assignee() != op.actor) {
      return absl::PermissionDeniedError(absl::StrCat(
          "complaint ", domain::ComplaintName(op.complaint_id), " is assigned to ",
          loaded->complaint.assignee(), "; a handler may act only on complaints assigned to "
          "them or to nobody"));
    }
  }
  if (!op.request_id.empty()) {
    REDRESS_ASSIGN_OR_RETURN(auto prior, txn.FindIdempotency(op.request_id));
    if (prior.has_value()) {
      // The record belongs to the principal that made the request. Another
      // principal is told only that the request_id is taken: neither the
      // complaint nor the method it was used for (AIP-155 request_ids are
      // UUIDs; a collision across principals is a forgery or a client bug).
      if (prior->principal != op.actor) {
        return absl::AlreadyExistsError(absl::StrCat(
            "request_id: ", op.request_id,
            " has already been used by another caller; generate a new request_id"));
      }
      if (prior->method != spec.rpc || prior->fingerprint != op.fingerprint) {
        return absl::AlreadyExistsError(absl::StrCat(
            "request_id: ", op.request_id, " was already used for a different request (",
            prior->method, ")"));
      }
      op.result = std::move(prior->response);
      REDRESS_ASSIGN_OR_RETURN(*op.result.mutable_complainant(),
                               txn.LoadComplainant(prior->complaint_id));
      return absl::OkStatus();
    }
  }

  const absl::Time now = clock.Now();
  store::StoredComplaint stored;
  if (is_submit) {
    const int year = absl::ToCivilYear(now, absl::UTCTimeZone()).year();
    REDRESS_ASSIGN_OR_RETURN(int64_t number, txn.NextReferenceNumber(year));
    stored.id = op.complaint_id;
    stored.complaint.set_name(domain::ComplaintName(op.complaint_id));
    stored.complaint.set_reference(domain::FormatReference(year, number));
    stored.last_event_hash = domain::kGenesisHashHex;
  } else {
    if (!loaded.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("complaint ", domain::ComplaintName(op.complaint_id), " not found"));
    }
    stored = std::move(*loaded);
    if (!op.etag.empty() && op.etag != stored.complaint.etag()) {
      return absl::AbortedError(absl::StrCat(
          "etag: the complaint has changed since it was read (current etag ",
          stored.complaint.etag(), "); read it again and retry"));
    }
  }

  domain::ActionContext actx;
  actx.actor = op.actor;
  actx.now = now;
  actx.policy = policy;
  actx.complainant_salt = op.salt;
  REDRESS_RETURN_IF_ERROR(PrepareClocks(op, txn, stored, evaluator, now, actx));
  REDRESS_ASSIGN_OR_RETURN(domain::Transition t,
                           domain::Apply(op.action, *op.request, stored.complaint, actx));

  const int64_t expected_version = stored.version;
  REDRESS_ASSIGN_OR_RETURN(v1::ComplaintEvent event,
                           NextEvent(stored, std::move(t), op.actor, op.request_id, now));

  if (is_submit) {
    store::ComplainantRecord person;
    person.salt = op.salt;
    person.data = stored.complaint.complainant();
    person.digest = domain::ComplainantDigest(person.data, op.salt);
    REDRESS_RETURN_IF_ERROR(txn.InsertComplaint(stored, person));
  } else {
    REDRESS_RETURN_IF_ERROR(txn.UpdateComplaint(stored, expected_version));
  }
  if (op.action == Action::kEraseComplainantData) {
    REDRESS_RETURN_IF_ERROR(txn.EraseComplainant(op.complaint_id, absl::ToUnixMicros(now)));
  }
  REDRESS_RETURN_IF_ERROR(txn.AppendEvent(event, op.complaint_id));
  if (!op.request_id.empty()) {
    store::IdempotencyRecord rec;
    rec.request_id = op.request_id;
    rec.method = std::string(spec.rpc);
    rec.fingerprint = op.fingerprint;
    rec.complaint_id = op.complaint_id;
    rec.response = stored.complaint;
    rec.response.clear_complainant();
    rec.create_time_us = absl::ToUnixMicros(now);
    rec.principal = op.actor;
    REDRESS_RETURN_IF_ERROR(txn.PutIdempotency(rec));
  }
  op.result = std::move(stored.complaint);
  return absl::OkStatus();
}

}  // namespace

ComplaintEngine::ComplaintEngine(store::ComplaintStore* store, const domain::Clock* clock,
                                 Options options)
    : store_(store), clock_(clock), options_(std::move(options)), evaluator_(options_.policies) {}

void ComplaintEngine::Mutate(const RequestContext& ctx, Action action,
                             std::unique_ptr<google::protobuf::Message> request, Done done) {
  if (ctx.actor.empty()) {
    done(absl::UnauthenticatedError(
        "the caller's identity is missing (send the x-redress-actor metadata entry)"));
    return;
  }
  if (absl::Status st = domain::ValidateActor(ctx.actor); !st.ok()) {
    done(absl::UnauthenticatedError(absl::StrCat("invalid caller identity: ", st.message())));
    return;
  }
  if (domain::IsSystemActorName(ctx.actor)) {
    done(absl::PermissionDeniedError(absl::StrCat(
        "the \"", domain::kSystemActorPrefix, "\" namespace is reserved for Redress's own actors")));
    return;
  }
  if (absl::Status st = domain::ValidateFor(action, *request, clock_->Now()); !st.ok()) {
    done(st);
    return;
  }
  auto op = std::make_shared<Op>();
  op->action = action;
  op->scope = ctx.scope;
  op->deadline = ctx.deadline;
  op->cancelled = ctx.cancelled;
  op->actor = ctx.actor;
  // The request_id is case-insensitive (a UUID): normalise it in the request
  // itself so that the fingerprint of a faithful retry matches.
  op->request_id = absl::AsciiStrToLower(StringField(*request, "request_id"));
  SetStringField(request.get(), "request_id", op->request_id);
  op->etag = StringField(*request, "etag");
  op->fingerprint = Fingerprint(domain::Spec(action).rpc, *request);
  if (action == Action::kSubmit) {
    op->complaint_id = domain::NewUuid();
    op->salt = domain::RandomHex(16);
  } else {
    auto id = domain::ParseComplaintName(StringField(*request, "name"), "name");
    if (!id.ok()) {
      done(id.status());
      return;
    }
    op->complaint_id = *id;
  }
  op->request = std::move(request);
  // Submits sort first in a batch: they all take the reference counter's row
  // lock, so every replica then takes locks in the same order.
  std::string key = action == Action::kSubmit ? "" : op->complaint_id;
  const bool replay_safe = !op->request_id.empty();
  store_->Write(
      std::move(key),
      [op, clock = clock_, policy = options_.policy, evaluator = &evaluator_](store::WriteTxn& txn) {
        return RunWrite(*op, txn, *clock, policy, *evaluator);
      },
      [op, done = std::move(done), read_pd = ctx.read_personal_data](absl::Status st) mutable {
        if (st.ok()) {
          if (!read_pd) op->result.clear_complainant();
          done(std::move(op->result));
        } else {
          done(std::move(st));
        }
      },
      replay_safe);
}

absl::StatusOr<v1::Complaint> ComplaintEngine::Get(const v1::GetComplaintRequest& request,
                                                   const RequestContext& ctx) {
  REDRESS_ASSIGN_OR_RETURN(std::string id, domain::ParseComplaintName(request.name(), "name"));
  REDRESS_ASSIGN_OR_RETURN(auto stored, store_->GetComplaint(id));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("complaint ", request.name(), " not found"));
  }
  if (ctx.scope == domain::AccessScope::kOwnSubmissions) {
    REDRESS_ASSIGN_OR_RETURN(store::EventPage first, store_->ListEvents(id, 0, 1));
    if (first.events.empty() || first.events[0].actor() != ctx.actor) {
      return absl::PermissionDeniedError(
          absl::StrCat("complaint ", request.name(), " was not submitted by ", ctx.actor));
    }
  }
  if (!ctx.read_personal_data) stored->complaint.clear_complainant();
  if (evaluator_.enabled() && stored->complaint.has_policy()) {
    REDRESS_ASSIGN_OR_RETURN(auto events, AllEvents(id));
    evaluator_.Fill(&stored->complaint, events, clock_->Now());
  }
  return std::move(stored->complaint);
}

absl::StatusOr<std::vector<v1::ComplaintEvent>> ComplaintEngine::AllEvents(const std::string& id) {
  std::vector<v1::ComplaintEvent> out;
  int64_t after = 0;
  while (true) {
    REDRESS_ASSIGN_OR_RETURN(store::EventPage page, store_->ListEvents(id, after, 1000));
    for (auto& e : page.events) out.push_back(std::move(e));
    if (!page.more || out.empty()) break;
    after = out.back().sequence();
  }
  return out;
}

absl::StatusOr<v1::ListComplaintsResponse> ComplaintEngine::List(
    const v1::ListComplaintsRequest& request, const RequestContext& ctx) {
  REDRESS_ASSIGN_OR_RETURN(int size, domain::EffectivePageSize(request.page_size(), 50));
  if (!v1::ComplaintView_IsValid(request.view())) {
    return absl::InvalidArgumentError("view: unknown value");
  }
  REDRESS_ASSIGN_OR_RETURN(domain::ListFilter filter, domain::ParseListFilter(request.filter()));
  const std::string query = absl::StrCat("complaints?", filter.Fingerprint());
  REDRESS_ASSIGN_OR_RETURN(int64_t after, DecodePageToken(request.page_token(), query));
  REDRESS_ASSIGN_OR_RETURN(store::ComplaintPage page, store_->ListComplaints(filter, after, size));
  v1::ListComplaintsResponse out;
  const bool full = request.view() == v1::COMPLAINT_VIEW_FULL && evaluator_.enabled();
  const absl::Time now = clock_->Now();
  for (auto& c : page.complaints) {
    if (!ctx.read_personal_data) c.complaint.clear_complainant();
    if (full && c.complaint.has_policy()) {
      REDRESS_ASSIGN_OR_RETURN(auto events, AllEvents(c.id));
      evaluator_.Fill(&c.complaint, events, now);
    }
    *out.add_complaints() = std::move(c.complaint);
  }
  if (page.more) out.set_next_page_token(EncodePageToken(page.last_seq, query));
  return out;
}

absl::StatusOr<v1::ListComplaintEventsResponse> ComplaintEngine::ListEvents(
    const v1::ListComplaintEventsRequest& request, const RequestContext&) {
  REDRESS_ASSIGN_OR_RETURN(std::string id, domain::ParseComplaintName(request.parent(), "parent"));
  REDRESS_ASSIGN_OR_RETURN(int size, domain::EffectivePageSize(request.page_size(), 100));
  const std::string query = absl::StrCat("events?", id);
  REDRESS_ASSIGN_OR_RETURN(int64_t after, DecodePageToken(request.page_token(), query));
  REDRESS_ASSIGN_OR_RETURN(store::EventPage page, store_->ListEvents(id, after, size));
  if (page.events.empty() && after == 0) {
    REDRESS_ASSIGN_OR_RETURN(auto exists, store_->GetComplaint(id));
    if (!exists.has_value()) {
      return absl::NotFoundError(absl::StrCat("complaint ", request.parent(), " not found"));
    }
  }
  v1::ListComplaintEventsResponse out;
  for (auto& e : page.events) *out.add_events() = std::move(e);
  if (page.more) {
    out.set_next_page_token(EncodePageToken(out.events(out.events_size() - 1).sequence(), query));
  }
  return out;
}

absl::StatusOr<v1::ComplaintStatistics> ComplaintEngine::Statistics(
    const v1::GetComplaintStatisticsRequest& request, const RequestContext&) {
  REDRESS_RETURN_IF_ERROR(domain::Validate(request));
  using Cond = domain::FilterCondition;
  domain::ListFilter filter;
  if (request.has_start_time()) {
    filter.conditions.push_back({Cond::Field::kCreateTime, Cond::Op::kGe,
                                 domain::ToUnixMicros(request.start_time()), ""});
  }
  if (request.has_end_time()) {
    filter.conditions.push_back({Cond::Field::kCreateTime, Cond::Op::kLt,
                                 domain::ToUnixMicros(request.end_time()), ""});
  }
  if (!request.category().empty()) {
    filter.conditions.push_back({Cond::Field::kCategory, Cond::Op::kEq, 0, request.category()});
  }
  if (request.channel() != v1::CHANNEL_UNSPECIFIED) {
    filter.conditions.push_back({Cond::Field::kChannel, Cond::Op::kEq, request.channel(), ""});
  }
  const absl::Time now = clock_->Now();
  std::vector<store::StoredComplaint> stored;
  int64_t after = 0;
  while (true) {
    REDRESS_ASSIGN_OR_RETURN(store::ComplaintPage page, store_->ListComplaints(filter, after, 500));
    for (auto& c : page.complaints) {
      if (!request.policy_id().empty() && c.complaint.policy().id() != request.policy_id()) continue;
      c.complaint.clear_complainant();  // never needed for figures
      stored.push_back(std::move(c));
    }
    if (!page.more) break;
    after = page.last_seq;
  }
  std::vector<domain::ComplaintFacts> facts(stored.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    domain::ComplaintFacts& f = facts[i];
    f.complaint = &stored[i].complaint;
    REDRESS_ASSIGN_OR_RETURN(f.events, AllEvents(stored[i].id));
    if (evaluator_.enabled() && f.complaint->has_policy()) {
      const auto replay = domain::ToReplayEvents(f.events);
      auto d = evaluator_.Evaluate(*f.complaint, replay, now);
      if (d.ok()) f.deadlines = std::move(*d);
      auto sel = evaluator_.registry()->Resolve(f.complaint->policy());
      if (sel.ok()) f.calendar = sel->calendar;
    }
  }
  return domain::ComputeStatistics(facts, now);
}

}  // namespace redress::core
