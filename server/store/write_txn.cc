#include "server/store/write_txn.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "server/domain/event_hash.h"
#include "server/domain/time_util.h"
#include "server/store/row_codec.h"
#include "server/store/sql.h"
#include "server/store/sql_errors.h"

namespace redress::store {

absl::Status WriteTxn::Fail(const char* context) {
  SqlErrorInfo info = ClassifyCurrentException(context);
  retryable_ = retryable_ || info.retryable;
  connection_lost_ = connection_lost_ || info.connection_lost;
  return info.status;
}

absl::StatusOr<std::optional<IdempotencyRecord>> WriteTxn::FindIdempotency(
    const std::string& request_id) {
  try {
    IdempotencyRecord r;
    std::string response;
    long long t = 0;
    soci::indicator ind = soci::i_ok;
    s_ << sql::kFindIdempotency, soci::use(request_id), soci::into(r.method, ind),
        soci::into(r.fingerprint), soci::into(r.complaint_id), soci::into(response), soci::into(t);
    if (!s_.got_data()) return std::optional<IdempotencyRecord>();
    r.request_id = request_id;
    r.create_time_us = t;
    if (auto st = DecodeProto(response, &r.response); !st.ok()) return st;
    return std::optional<IdempotencyRecord>(std::move(r));
  } catch (...) {
    return Fail("reading idempotency record");
  }
}

absl::StatusOr<std::optional<StoredComplaint>> WriteTxn::LoadForUpdate(const std::string& id) {
  try {
    StoredComplaint c;
    long long seq = 0, version = 0;
    std::string body, data;
    s_ << sql::LoadComplaintForUpdate(dialect_), soci::use(id), soci::into(seq), soci::into(body),
        soci::into(version), soci::into(c.last_event_hash), soci::into(data);
    if (!s_.got_data()) return std::optional<StoredComplaint>();
    if (auto st = DecodeComplaintRow(body, data, &c); !st.ok()) return st;
    c.id = id;
    c.version = version;
    return std::optional<StoredComplaint>(std::move(c));
  } catch (...) {
    return Fail("loading complaint");
  }
}

absl::StatusOr<redress::v1::Complainant> WriteTxn::LoadComplainant(const std::string& id) {
  try {
    std::string data;
    s_ << sql::kGetComplainant, soci::use(id), soci::into(data);
    redress::v1::Complainant out;
    if (s_.got_data() && !data.empty()) {
      if (auto st = DecodeProto(data, &out); !st.ok()) return st;
    }
    return out;
  } catch (...) {
    return Fail("loading complainant");
  }
}

absl::StatusOr<std::vector<redress::v1::ComplaintEvent>> WriteTxn::LoadEvents(
    const std::string& id) {
  try {
    std::vector<redress::v1::ComplaintEvent> out;
    long long after = 0;
    int limit = std::numeric_limits<int>::max();
    EventRow r;
    r.complaint_id = id;
    soci::statement stmt =
        (s_.prepare << sql::kListEvents, soci::use(id, "id"), soci::use(after, "after"),
         soci::use(limit, "limit"), soci::into(r.position), soci::into(r.sequence),
         soci::into(r.type), soci::into(r.from), soci::into(r.to), soci::into(r.actor),
         soci::into(r.request_id), soci::into(r.time_us), soci::into(r.payload),
         soci::into(r.prev_hash), soci::into(r.hash));
    stmt.execute(false);
    while (stmt.fetch()) out.push_back(r.ToProto());
    return out;
  } catch (...) {
    return Fail("loading events");
  }
}

absl::StatusOr<int64_t> WriteTxn::NextReferenceNumber(int year) {
  try {
    long long next = 0;
    s_ << sql::kNextReference, soci::use(year), soci::into(next);
    return static_cast<int64_t>(next);
  } catch (...) {
    return Fail("allocating a reference");
  }
}

namespace {

// Column values shared by insert and update.
struct ComplaintColumns {
  explicit ComplaintColumns(const StoredComplaint& c)
      : id(c.id),
        reference(c.complaint.reference()),
        state(static_cast<int>(c.complaint.state())),
        channel(static_cast<int>(c.complaint.channel())),
        category(c.complaint.category()),
        assignee(c.complaint.assignee()),
        create_time_us(domain::ToUnixMicros(c.complaint.create_time())),
        update_time_us(domain::ToUnixMicros(c.complaint.update_time())),
        version(c.version),
        last_event_hash(c.last_event_hash),
        close_time_us(c.complaint.has_close_time() ? domain::ToUnixMicros(c.complaint.close_time())
                                                   : 0),
        close_ind(c.complaint.has_close_time() ? soci::i_ok : soci::i_null) {
    redress::v1::Complaint body_msg = c.complaint;
    body_msg.clear_complainant();
    body_msg.clear_etag();
    body = EncodeProto(body_msg);
  }
  std::string id, reference;
  int state, channel;
  std::string category, assignee;
  long long create_time_us, update_time_us, version;
  std::string last_event_hash, body;
  long long close_time_us;
  soci::indicator close_ind;
};

}  // namespace

absl::Status WriteTxn::InsertComplaint(const StoredComplaint& c, const ComplainantRecord& p) {
  try {
    ComplaintColumns k(c);
    s_ << sql::kInsertComplaint, soci::use(k.id, "id"), soci::use(k.reference, "reference"),
        soci::use(k.state, "state"), soci::use(k.channel, "channel"),
        soci::use(k.category, "category"), soci::use(k.assignee, "assignee"),
        soci::use(k.create_time_us, "create_time_us"), soci::use(k.update_time_us, "update_time_us"),
        soci::use(k.version, "version"), soci::use(k.last_event_hash, "last_event_hash"),
        soci::use(k.body, "body"), soci::use(k.close_time_us, k.close_ind, "close_time_us");
    const std::string data = EncodeProto(p.data);
    s_ << sql::kInsertComplainant, soci::use(k.id, "complaint_id"), soci::use(p.salt, "salt"),
        soci::use(p.digest, "digest"), soci::use(data, "data");
    return absl::OkStatus();
  } catch (...) {
    return Fail("inserting complaint");
  }
}

absl::Status WriteTxn::UpdateComplaint(const StoredComplaint& c, int64_t expected_version) {
  try {
    ComplaintColumns k(c);
    long long expected = expected_version;
    soci::statement st = (s_.prepare << sql::kUpdateComplaint, soci::use(k.state, "state"),
                          soci::use(k.channel, "channel"), soci::use(k.category, "category"),
                          soci::use(k.assignee, "assignee"),
                          soci::use(k.update_time_us, "update_time_us"),
                          soci::use(k.version, "version"),
                          soci::use(k.last_event_hash, "last_event_hash"),
                          soci::use(k.body, "body"),
                          soci::use(k.close_time_us, k.close_ind, "close_time_us"),
                          soci::use(k.id, "id"),
                          soci::use(expected, "expected"));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      retryable_ = true;
      return absl::AbortedError("the complaint was changed concurrently");
    }
    return absl::OkStatus();
  } catch (...) {
    return Fail("updating complaint");
  }
}

absl::Status WriteTxn::AppendEvent(const redress::v1::ComplaintEvent& e,
                                   const std::string& complaint_id) {
  if (next_ledger_index_ == nullptr) {
    return absl::InternalError("AppendEvent outside a ledger-numbered batch");
  }
  try {
    long long ledger_index = *next_ledger_index_;
    const long long sequence = e.sequence();
    const std::string type = domain::EventTypeName(e.type());
    const int from = static_cast<int>(e.from_state()), to = static_cast<int>(e.to_state());
    const long long t = domain::ToUnixMicros(e.event_time());
    s_ << sql::kInsertEvent, soci::use(complaint_id, "complaint_id"),
        soci::use(sequence, "sequence"), soci::use(type, "type"), soci::use(from, "from_state"),
        soci::use(to, "to_state"), soci::use(e.actor(), "actor"),
        soci::use(e.request_id(), "request_id"), soci::use(t, "event_time_us"),
        soci::use(e.payload(), "payload"), soci::use(e.prev_hash(), "prev_hash"),
        soci::use(e.hash(), "hash"), soci::use(ledger_index, "ledger_index");
    ++*next_ledger_index_;
    return absl::OkStatus();
  } catch (...) {
    return Fail("appending event");
  }
}

absl::Status WriteTxn::PutIdempotency(const IdempotencyRecord& r) {
  try {
    const std::string response = EncodeProto(r.response);
    const long long t = r.create_time_us;
    s_ << sql::kInsertIdempotency, soci::use(r.request_id, "request_id"),
        soci::use(r.method, "method"), soci::use(r.fingerprint, "fingerprint"),
        soci::use(r.complaint_id, "complaint_id"), soci::use(response, "response"),
        soci::use(t, "t");
    return absl::OkStatus();
  } catch (...) {
    return Fail("recording idempotency");
  }
}

absl::Status WriteTxn::InsertCheckpoint(const domain::Checkpoint& c) {
  try {
    long long n = static_cast<long long>(c.tree_size), t = c.seal_time_us;
    s_ << sql::InsertCheckpoint(dialect_), soci::use(n, "n"), soci::use(c.root_hash_hex, "root"),
        soci::use(t, "t"), soci::use(c.key_id, "key"), soci::use(c.signature_b64, "sig");
    return absl::OkStatus();
  } catch (...) {
    return Fail("storing checkpoint");
  }
}

absl::Status WriteTxn::EraseComplainant(const std::string& complaint_id, int64_t time_us) {
  try {
    long long t = time_us;
    soci::statement st = (s_.prepare << sql::kEraseComplainant, soci::use(t, "t"),
                          soci::use(complaint_id, "id"));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::FailedPreconditionError("the complainant's personal data is already erased");
    }
    return absl::OkStatus();
  } catch (...) {
    return Fail("erasing complainant data");
  }
}

}  // namespace redress::store
