#include "server/core/complaint_engine.h"

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/core/page_token.h"
#include "server/domain/event_hash.h"
#include "server/domain/ids.h"
#include "server/domain/sha256.h"
#include "server/domain/time_util.h"
#include "server/domain/list_filter.h"
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
  std::unique_ptr<google::protobuf::Message> request;
  std::string actor;
  std::string complaint_id;  // assigned up front for kSubmit
  std::string request_id;
  std::string etag;
  std::string fingerprint;
  std::string salt;  // kSubmit
  v1::Complaint result;
};

absl::Status RunWrite(Op& op, store::WriteTxn& txn, const domain::Clock& clock,
                      const domain::LifecyclePolicy& policy) {
  const domain::ActionSpec& spec = domain::Spec(op.action);
  const bool is_submit = op.action == Action::kSubmit;
  if (std::chrono::system_clock::now() > op.deadline) {
    // The caller has given up: do not write what nobody will be told about.
    // (Had it been written, a retry with the same request_id would find it.)
    return absl::DeadlineExceededError("the caller's deadline passed before the write ran");
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

  domain::ActionContext actx{op.actor, now, policy, op.salt};
  REDRESS_ASSIGN_OR_RETURN(domain::Transition t,
                           domain::Apply(op.action, *op.request, stored.complaint, actx));

  v1::ComplaintEvent event;
  event.set_sequence(stored.version + 1);
  event.set_name(absl::StrCat(domain::ComplaintName(op.complaint_id), "/events/", event.sequence()));
  event.set_type(t.event_type);
  event.set_from_state(t.from_state);
  event.set_to_state(t.to_state);
  event.set_actor(op.actor);
  event.set_request_id(op.request_id);
  *event.mutable_event_time() = domain::ToTimestamp(now);
  event.set_payload(std::move(t.payload));
  event.set_prev_hash(stored.last_event_hash);
  event.set_hash(domain::ComputeEventHash(event));
  if (event.hash().empty()) return absl::InternalError("stored last_event_hash is malformed");

  const int64_t expected_version = stored.version;
  stored.complaint = std::move(t.after);
  stored.version = expected_version + 1;
  stored.last_event_hash = event.hash();
  stored.complaint.set_etag(store::EtagFor(stored.last_event_hash));

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
    REDRESS_RETURN_IF_ERROR(txn.PutIdempotency(rec));
  }
  op.result = std::move(stored.complaint);
  return absl::OkStatus();
}

}  // namespace

ComplaintEngine::ComplaintEngine(store::ComplaintStore* store, const domain::Clock* clock,
                                 Options options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

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
  if (absl::Status st = domain::ValidateFor(action, *request, clock_->Now()); !st.ok()) {
    done(st);
    return;
  }
  auto op = std::make_shared<Op>();
  op->action = action;
  op->scope = ctx.scope;
  op->deadline = ctx.deadline;
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
      [op, clock = clock_, policy = options_.policy](store::WriteTxn& txn) {
        return RunWrite(*op, txn, *clock, policy);
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
  return std::move(stored->complaint);
}

absl::StatusOr<v1::ListComplaintsResponse> ComplaintEngine::List(
    const v1::ListComplaintsRequest& request, const RequestContext& ctx) {
  REDRESS_ASSIGN_OR_RETURN(int size, domain::EffectivePageSize(request.page_size(), 50));
  REDRESS_ASSIGN_OR_RETURN(domain::ListFilter filter, domain::ParseListFilter(request.filter()));
  const std::string query = absl::StrCat("complaints?", filter.Fingerprint());
  REDRESS_ASSIGN_OR_RETURN(int64_t after, DecodePageToken(request.page_token(), query));
  REDRESS_ASSIGN_OR_RETURN(store::ComplaintPage page, store_->ListComplaints(filter, after, size));
  v1::ListComplaintsResponse out;
  for (auto& c : page.complaints) {
    if (!ctx.read_personal_data) c.complaint.clear_complainant();
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

}  // namespace redress::core
