#include "server/store/write_statements.h"

#include <utility>

#include "server/store/sql.h"

namespace redress::store {

// Statements and the buffers they were bound to at prepare time. A statement
// is created on first use; its buffers live exactly as long as it does.
struct WriteStatements::Prepared {
  std::unique_ptr<soci::statement> begin, lock_head, set_head, savepoint, release, rollback_to,
      commit;
  long long head = 0;

  std::unique_ptr<soci::statement> find_idem, insert_idem;
  IdempotencyRow idem;
  soci::indicator method_ind = soci::i_ok;

  std::unique_ptr<soci::statement> load, get_data;
  std::string key;  // the id of load / get_data
  LoadedRow loaded;
  std::string data;

  std::unique_ptr<soci::statement> insert_complaint, update_complaint, insert_person;
  ComplaintRow row;
  long long expected_version = 0;
  std::string person_id, salt, digest, person_data;

  std::unique_ptr<soci::statement> next_ref;
  int year = 0;
  long long next = 0;

  std::unique_ptr<soci::statement> insert_event;
  EventInsert event;
};

namespace {

// Runs a query expected to return at most one row to its end, so that it
// holds no read snapshot afterwards. True if a row came.
bool QueryOne(soci::statement& st) {
  const bool got = st.execute(true);
  if (got) {
    while (st.fetch()) {
    }
  }
  return got;
}

}  // namespace

WriteStatements::WriteStatements(soci::session& session, Dialect dialect)
    : s_(session), dialect_(dialect) {}

WriteStatements::~WriteStatements() = default;

// A statement whose execution threw is retired, never executed again: SOCI
// 4.0.3's PostgreSQL backend leaks the parameter buffers of an execution that
// threw if the statement runs again (pre_use allocates, only post_use frees;
// LeakSanitizer found it). It is destroyed once its transaction can run the
// DEALLOCATE (after ROLLBACK TO, or before the next BEGIN).
bool WriteStatements::Execute(std::unique_ptr<soci::statement>& st, bool query) {
  try {
    return query ? QueryOne(*st) : st->execute(true);
  } catch (...) {
    retired_.push_back(std::move(st));
    throw;
  }
}

void WriteStatements::Reset() {
  retired_.clear();
  prepared_.reset();
  reads_.reset();
}

ReadStatements& WriteStatements::reads() {
  if (!reads_) reads_ = std::make_unique<ReadStatements>(s_);
  return *reads_;
}

WriteStatements::Prepared& WriteStatements::p() {
  if (!prepared_) prepared_ = std::make_unique<Prepared>();
  return *prepared_;
}

void WriteStatements::Control(std::unique_ptr<soci::statement>& cached, const char* sql) {
  if (dialect_ != Dialect::kSqlite) {
    s_ << sql;
    return;
  }
  if (!cached) cached = std::make_unique<soci::statement>(s_.prepare << sql);
  Execute(cached, /*query=*/false);
}

void WriteStatements::Begin() {
  retired_.clear();  // outside any transaction: their DEALLOCATE can run
  Control(p().begin, sql::BeginWrite(dialect_));
}
void WriteStatements::Savepoint() { Control(p().savepoint, sql::kSavepoint); }
void WriteStatements::ReleaseSavepoint() { Control(p().release, sql::kReleaseSavepoint); }
void WriteStatements::RollbackToSavepoint() {
  Control(p().rollback_to, sql::kRollbackToSavepoint);
  retired_.clear();  // the transaction is usable again
}
void WriteStatements::Commit() { Control(p().commit, sql::kCommit); }

int64_t WriteStatements::LockLedgerHead() {
  Prepared& q = p();
  if (!q.lock_head) {
    q.lock_head = std::make_unique<soci::statement>(
        (s_.prepare << sql::LockLedgerHead(dialect_), soci::into(q.head)));
  }
  q.head = 0;
  Execute(q.lock_head, /*query=*/true);
  return q.head;
}

void WriteStatements::SetLedgerHead(int64_t next_index) {
  Prepared& q = p();
  if (!q.set_head) {
    q.set_head = std::make_unique<soci::statement>(
        (s_.prepare << sql::kSetLedgerHead, soci::use(q.head, "n")));
  }
  q.head = next_index;
  Execute(q.set_head, /*query=*/false);
}

bool WriteStatements::FindIdempotency(const std::string& request_id, IdempotencyRow* out) {
  Prepared& q = p();
  if (!q.find_idem) {
    q.find_idem = std::make_unique<soci::statement>(
        (s_.prepare << sql::kFindIdempotency, soci::use(q.idem.request_id),
         soci::into(q.idem.method, q.method_ind), soci::into(q.idem.fingerprint),
         soci::into(q.idem.complaint_id), soci::into(q.idem.response),
         soci::into(q.idem.create_time_us), soci::into(q.idem.principal)));
  }
  q.idem.request_id = request_id;
  if (!Execute(q.find_idem, /*query=*/true)) return false;
  *out = std::move(q.idem);  // every field is bound again by the next execution
  return true;
}

void WriteStatements::InsertIdempotency(IdempotencyRow row) {
  Prepared& q = p();
  if (!q.insert_idem) {
    q.insert_idem = std::make_unique<soci::statement>(
        (s_.prepare << sql::kInsertIdempotency, soci::use(q.idem.request_id, "request_id"),
         soci::use(q.idem.method, "method"), soci::use(q.idem.fingerprint, "fingerprint"),
         soci::use(q.idem.complaint_id, "complaint_id"), soci::use(q.idem.response, "response"),
         soci::use(q.idem.create_time_us, "t"), soci::use(q.idem.principal, "principal")));
  }
  q.idem = std::move(row);
  Execute(q.insert_idem, /*query=*/false);
}

bool WriteStatements::LoadComplaintForUpdate(const std::string& id, LoadedRow* out) {
  Prepared& q = p();
  if (!q.load) {
    q.load = std::make_unique<soci::statement>(
        (s_.prepare << sql::LoadComplaintForUpdate(dialect_), soci::use(q.key),
         soci::into(q.loaded.seq), soci::into(q.loaded.body), soci::into(q.loaded.version),
         soci::into(q.loaded.last_event_hash), soci::into(q.loaded.complainant_data)));
  }
  q.key = id;
  if (!Execute(q.load, /*query=*/true)) return false;
  *out = std::move(q.loaded);
  return true;
}

std::string WriteStatements::GetComplainantData(const std::string& id) {
  Prepared& q = p();
  if (!q.get_data) {
    q.get_data = std::make_unique<soci::statement>(
        (s_.prepare << sql::kGetComplainant, soci::use(q.key), soci::into(q.data)));
  }
  q.key = id;
  if (!Execute(q.get_data, /*query=*/true)) return std::string();
  return std::move(q.data);
}

void WriteStatements::InsertComplaint(ComplaintRow row) {
  Prepared& q = p();
  if (!q.insert_complaint) {
    ComplaintRow& k = q.row;
    q.insert_complaint = std::make_unique<soci::statement>(
        (s_.prepare << sql::kInsertComplaint, soci::use(k.id, "id"),
         soci::use(k.reference, "reference"), soci::use(k.state, "state"),
         soci::use(k.channel, "channel"), soci::use(k.category, "category"),
         soci::use(k.assignee, "assignee"), soci::use(k.create_time_us, "create_time_us"),
         soci::use(k.update_time_us, "update_time_us"), soci::use(k.version, "version"),
         soci::use(k.last_event_hash, "last_event_hash"), soci::use(k.body, "body"),
         soci::use(k.close_time_us, k.close_ind, "close_time_us")));
  }
  q.row = std::move(row);
  Execute(q.insert_complaint, /*query=*/false);
}

void WriteStatements::InsertComplainant(const std::string& complaint_id, const std::string& salt,
                                        const std::string& digest, const std::string& data) {
  Prepared& q = p();
  if (!q.insert_person) {
    q.insert_person = std::make_unique<soci::statement>(
        (s_.prepare << sql::kInsertComplainant, soci::use(q.person_id, "complaint_id"),
         soci::use(q.salt, "salt"), soci::use(q.digest, "digest"),
         soci::use(q.person_data, "data")));
  }
  q.person_id = complaint_id;
  q.salt = salt;
  q.digest = digest;
  q.person_data = data;
  Execute(q.insert_person, /*query=*/false);
}

long long WriteStatements::UpdateComplaint(ComplaintRow row, int64_t expected_version) {
  Prepared& q = p();
  if (!q.update_complaint) {
    ComplaintRow& k = q.row;
    q.update_complaint = std::make_unique<soci::statement>(
        (s_.prepare << sql::kUpdateComplaint, soci::use(k.state, "state"),
         soci::use(k.channel, "channel"), soci::use(k.category, "category"),
         soci::use(k.assignee, "assignee"), soci::use(k.update_time_us, "update_time_us"),
         soci::use(k.version, "version"), soci::use(k.last_event_hash, "last_event_hash"),
         soci::use(k.body, "body"), soci::use(k.close_time_us, k.close_ind, "close_time_us"),
         soci::use(k.id, "id"), soci::use(q.expected_version, "expected")));
  }
  q.row = std::move(row);
  q.expected_version = expected_version;
  Execute(q.update_complaint, /*query=*/false);
  return q.update_complaint->get_affected_rows();
}

int64_t WriteStatements::NextReferenceNumber(int year) {
  Prepared& q = p();
  if (!q.next_ref) {
    q.next_ref = std::make_unique<soci::statement>(
        (s_.prepare << sql::kNextReference, soci::use(q.year), soci::into(q.next)));
  }
  q.year = year;
  q.next = 0;
  Execute(q.next_ref, /*query=*/true);
  return q.next;
}

void WriteStatements::InsertEvent(EventInsert e) {
  Prepared& q = p();
  if (!q.insert_event) {
    EventInsert& k = q.event;
    q.insert_event = std::make_unique<soci::statement>(
        (s_.prepare << sql::kInsertEvent, soci::use(k.complaint_id, "complaint_id"),
         soci::use(k.sequence, "sequence"), soci::use(k.type, "type"),
         soci::use(k.from_state, "from_state"), soci::use(k.to_state, "to_state"),
         soci::use(k.actor, "actor"), soci::use(k.request_id, "request_id"),
         soci::use(k.event_time_us, "event_time_us"), soci::use(k.payload, "payload"),
         soci::use(k.prev_hash, "prev_hash"), soci::use(k.hash, "hash"),
         soci::use(k.ledger_index, "ledger_index"), soci::use(k.actor_kind, "actor_kind")));
  }
  q.event = std::move(e);
  Execute(q.insert_event, /*query=*/false);
}

}  // namespace redress::store
