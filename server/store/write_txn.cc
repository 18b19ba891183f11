#include "server/store/write_txn.h"

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
    WriteStatements::IdempotencyRow row;
    if (!st_.FindIdempotency(request_id, &row)) return std::optional<IdempotencyRecord>();
    IdempotencyRecord r;
    r.request_id = request_id;
    r.method = std::move(row.method);
    r.fingerprint = std::move(row.fingerprint);
    r.complaint_id = std::move(row.complaint_id);
    r.create_time_us = row.create_time_us;
    r.principal = std::move(row.principal);
    if (auto st = DecodeProto(row.response, &r.response); !st.ok()) return st;
    return std::optional<IdempotencyRecord>(std::move(r));
  } catch (...) {
    return Fail("reading idempotency record");
  }
}

absl::StatusOr<std::optional<StoredComplaint>> WriteTxn::LoadForUpdate(const std::string& id) {
  try {
    WriteStatements::LoadedRow row;
    if (!st_.LoadComplaintForUpdate(id, &row)) return std::optional<StoredComplaint>();
    StoredComplaint c;
    c.last_event_hash = std::move(row.last_event_hash);
    if (auto st = DecodeComplaintRow(row.body, row.complainant_data, &c); !st.ok()) return st;
    c.id = id;
    c.version = row.version;
    return std::optional<StoredComplaint>(std::move(c));
  } catch (...) {
    return Fail("loading complaint");
  }
}

absl::StatusOr<redress::v1::Complainant> WriteTxn::LoadComplainant(const std::string& id) {
  try {
    const std::string data = st_.GetComplainantData(id);
    redress::v1::Complainant out;
    if (!data.empty()) {
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
    // Every event: a complaint has far fewer than this (one per action).
    constexpr int kAll = 1 << 30;
    return std::move(st_.reads().ListEvents(id, 0, kAll).events);
  } catch (...) {
    return Fail("loading events");
  }
}

absl::StatusOr<int64_t> WriteTxn::NextReferenceNumber(int year) {
  try {
    return st_.NextReferenceNumber(year);
  } catch (...) {
    return Fail("allocating a reference");
  }
}

namespace {

// The row's column values, shared by insert and update.
WriteStatements::ComplaintRow ComplaintColumns(const StoredComplaint& c) {
  WriteStatements::ComplaintRow k;
  k.id = c.id;
  k.reference = c.complaint.reference();
  k.state = static_cast<int>(c.complaint.state());
  k.channel = static_cast<int>(c.complaint.channel());
  k.category = c.complaint.category();
  k.assignee = c.complaint.assignee();
  k.create_time_us = domain::ToUnixMicros(c.complaint.create_time());
  k.update_time_us = domain::ToUnixMicros(c.complaint.update_time());
  k.version = c.version;
  k.last_event_hash = c.last_event_hash;
  k.close_time_us =
      c.complaint.has_close_time() ? domain::ToUnixMicros(c.complaint.close_time()) : 0;
  k.close_ind = c.complaint.has_close_time() ? soci::i_ok : soci::i_null;
  k.body = EncodeComplaintBody(c.complaint);
  return k;
}

}  // namespace

absl::Status WriteTxn::InsertComplaint(const StoredComplaint& c, const ComplainantRecord& p) {
  try {
    st_.InsertComplaint(ComplaintColumns(c));
    st_.InsertComplainant(c.id, p.salt, p.digest, EncodeProto(p.data));
    return absl::OkStatus();
  } catch (...) {
    return Fail("inserting complaint");
  }
}

absl::Status WriteTxn::UpdateComplaint(const StoredComplaint& c, int64_t expected_version) {
  try {
    if (st_.UpdateComplaint(ComplaintColumns(c), expected_version) != 1) {
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
    WriteStatements::EventInsert row;
    row.complaint_id = complaint_id;
    row.sequence = e.sequence();
    row.type = domain::EventTypeName(e.type());
    row.from_state = static_cast<int>(e.from_state());
    row.to_state = static_cast<int>(e.to_state());
    row.actor = e.actor();
    row.actor_kind = static_cast<int>(e.actor_kind());
    row.request_id = e.request_id();
    row.event_time_us = domain::ToUnixMicros(e.event_time());
    row.payload = e.payload();
    row.prev_hash = e.prev_hash();
    row.hash = e.hash();
    row.ledger_index = *next_ledger_index_;
    st_.InsertEvent(std::move(row));
    ++*next_ledger_index_;
    return absl::OkStatus();
  } catch (...) {
    return Fail("appending event");
  }
}

absl::Status WriteTxn::PutIdempotency(const IdempotencyRecord& r) {
  try {
    WriteStatements::IdempotencyRow row;
    row.request_id = r.request_id;
    row.method = r.method;
    row.fingerprint = r.fingerprint;
    row.complaint_id = r.complaint_id;
    row.response = EncodeProto(r.response);
    row.create_time_us = r.create_time_us;
    row.principal = r.principal;
    st_.InsertIdempotency(std::move(row));
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
