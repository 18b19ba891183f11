// Every SQL statement of the store, as named constants, and the few places
// where the dialects differ. Parameters are always bound (`:name`), never
// spliced into the text.
#ifndef REDRESS_SERVER_STORE_SQL_H_
#define REDRESS_SERVER_STORE_SQL_H_

#include "server/store/database_url.h"

namespace redress::store::sql {

// --- dialect differences ----------------------------------------------------
// SQLite takes the write lock up front (no upgrade deadlocks between
// processes); PostgreSQL locks rows as it goes.
inline const char* BeginWrite(Dialect d) {
  return d == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN";
}
// Row lock for read-modify-write: SQLite's writer lock already serialises.
inline const char* LoadComplaintForUpdate(Dialect d) {
  return d == Dialect::kSqlite
             ? "SELECT c.seq, c.body, c.version, c.last_event_hash, COALESCE(p.data, '') "
               "FROM complaints c LEFT JOIN complainants p ON p.complaint_id = c.id "
               "WHERE c.id = :id"
             : "SELECT c.seq, c.body, c.version, c.last_event_hash, COALESCE(p.data, '') "
               "FROM complaints c LEFT JOIN complainants p ON p.complaint_id = c.id "
               "WHERE c.id = :id FOR UPDATE OF c";
}

// --- transactions -------------------------------------------------------------
inline constexpr char kCommit[] = "COMMIT";
inline constexpr char kRollback[] = "ROLLBACK";
inline constexpr char kSavepoint[] = "SAVEPOINT redress_item";
inline constexpr char kReleaseSavepoint[] = "RELEASE SAVEPOINT redress_item";
inline constexpr char kRollbackToSavepoint[] = "ROLLBACK TO SAVEPOINT redress_item";

// --- schema_migrations ----------------------------------------------------------
inline constexpr char kCreateMigrationsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, apply_time_us BIGINT NOT NULL)";
inline constexpr char kSchemaVersion[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
inline constexpr char kInsertMigration[] =
    "INSERT INTO schema_migrations (version, name, apply_time_us) VALUES (:v, :n, :t)";
// Serialises concurrent migrators of one PostgreSQL database (released at
// the end of the transaction).
inline constexpr char kPgMigrationLock[] = "SELECT pg_advisory_xact_lock(7262737365)";

// --- complaints -------------------------------------------------------------------
inline constexpr char kInsertComplaint[] =
    "INSERT INTO complaints (id, reference, state, channel, category, assignee, create_time_us, "
    "update_time_us, version, last_event_hash, body) VALUES (:id, :reference, :state, :channel, "
    ":category, :assignee, :create_time_us, :update_time_us, :version, :last_event_hash, :body)";
inline constexpr char kUpdateComplaint[] =
    "UPDATE complaints SET state = :state, channel = :channel, category = :category, "
    "assignee = :assignee, update_time_us = :update_time_us, version = :version, "
    "last_event_hash = :last_event_hash, body = :body WHERE id = :id AND version = :expected";
inline constexpr char kGetComplaint[] =
    "SELECT c.seq, c.body, c.version, c.last_event_hash, COALESCE(p.data, '') FROM complaints c "
    "LEFT JOIN complainants p ON p.complaint_id = c.id WHERE c.id = :id";
// ListComplaints: WHERE conditions from the filter are appended between the
// prefix and the suffix.
inline constexpr char kListComplaintsPrefix[] =
    "SELECT c.seq, c.id, c.body, c.version, c.last_event_hash, COALESCE(p.data, '') "
    "FROM complaints c LEFT JOIN complainants p ON p.complaint_id = c.id WHERE c.seq > :after";
inline constexpr char kListComplaintsSuffix[] = " ORDER BY c.seq LIMIT :limit";

// --- complainants -------------------------------------------------------------------
inline constexpr char kGetComplainant[] =
    "SELECT data FROM complainants WHERE complaint_id = :id";
inline constexpr char kInsertComplainant[] =
    "INSERT INTO complainants (complaint_id, salt, digest, data) "
    "VALUES (:complaint_id, :salt, :digest, :data)";

// --- complaint_events ---------------------------------------------------------------
inline constexpr char kInsertEvent[] =
    "INSERT INTO complaint_events (complaint_id, sequence, type, from_state, to_state, actor, "
    "request_id, event_time_us, payload, prev_hash, hash) VALUES (:complaint_id, :sequence, :type, "
    ":from_state, :to_state, :actor, :request_id, :event_time_us, :payload, :prev_hash, :hash)";
inline constexpr char kListEvents[] =
    "SELECT position, sequence, type, from_state, to_state, actor, request_id, event_time_us, "
    "payload, prev_hash, hash FROM complaint_events WHERE complaint_id = :id AND sequence > :after "
    "ORDER BY sequence LIMIT :limit";

// --- idempotency_records --------------------------------------------------------------
inline constexpr char kFindIdempotency[] =
    "SELECT method, fingerprint, complaint_id, response, create_time_us FROM idempotency_records "
    "WHERE request_id = :request_id";
inline constexpr char kInsertIdempotency[] =
    "INSERT INTO idempotency_records (request_id, method, fingerprint, complaint_id, response, "
    "create_time_us) VALUES (:request_id, :method, :fingerprint, :complaint_id, :response, :t)";

// --- reference_counters ----------------------------------------------------------------
inline constexpr char kNextReference[] =
    "INSERT INTO reference_counters (year, last_value) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_value = reference_counters.last_value + 1 "
    "RETURNING last_value";

}  // namespace redress::store::sql

#endif  // REDRESS_SERVER_STORE_SQL_H_
