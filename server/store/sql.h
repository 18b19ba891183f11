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

// The ledger head: locked for the whole batch so that ledger indexes are
// gap-free and in commit order across replicas (audit-trail.md §5).
inline const char* LockLedgerHead(Dialect d) {
  return d == Dialect::kSqlite ? "SELECT next_index FROM ledger_head WHERE id = 1"
                               : "SELECT next_index FROM ledger_head WHERE id = 1 FOR UPDATE";
}
inline constexpr char kSetLedgerHead[] = "UPDATE ledger_head SET next_index = :n WHERE id = 1";
inline constexpr char kReadLedgerHead[] = "SELECT next_index FROM ledger_head WHERE id = 1";

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
    "update_time_us, version, last_event_hash, body, close_time_us) VALUES (:id, :reference, "
    ":state, :channel, :category, :assignee, :create_time_us, :update_time_us, :version, "
    ":last_event_hash, :body, :close_time_us)";
inline constexpr char kUpdateComplaint[] =
    "UPDATE complaints SET state = :state, channel = :channel, category = :category, "
    "assignee = :assignee, update_time_us = :update_time_us, version = :version, "
    "last_event_hash = :last_event_hash, body = :body, close_time_us = :close_time_us "
    "WHERE id = :id AND version = :expected";
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
    "request_id, event_time_us, payload, prev_hash, hash, ledger_index, actor_kind) VALUES "
    "(:complaint_id, :sequence, :type, :from_state, :to_state, :actor, :request_id, "
    ":event_time_us, :payload, :prev_hash, :hash, :ledger_index, :actor_kind)";
inline constexpr char kListEvents[] =
    "SELECT position, sequence, type, from_state, to_state, actor, request_id, event_time_us, "
    "payload, prev_hash, hash, actor_kind FROM complaint_events "
    "WHERE complaint_id = :id AND sequence > :after "
    "ORDER BY sequence LIMIT :limit";

// Ledger scans (exports, Merkle leaves): filter conditions are appended
// between prefix and suffix, values bound by position.
inline constexpr char kScanLedgerPrefix[] =
    "SELECT e.ledger_index, e.complaint_id, e.sequence, e.type, e.from_state, e.to_state, "
    "e.actor, e.request_id, e.event_time_us, e.payload, e.prev_hash, e.hash, e.actor_kind "
    "FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id "
    "WHERE e.ledger_index >= :from AND e.ledger_index < :to";
inline constexpr char kScanLedgerSuffix[] = " ORDER BY e.ledger_index LIMIT :limit";
inline constexpr char kScanLedgerHashes[] =
    "SELECT ledger_index, hash FROM complaint_events WHERE ledger_index >= :from "
    "AND ledger_index < :to ORDER BY ledger_index LIMIT :limit";

// --- checkpoints ----------------------------------------------------------------------
inline const char* InsertCheckpoint(Dialect d) {
  // Any replica may seal; the first checkpoint stored for a size wins.
  return d == Dialect::kSqlite
             ? "INSERT OR IGNORE INTO checkpoints (tree_size, root_hash, seal_time_us, key_id, "
               "signature) VALUES (:n, :root, :t, :key, :sig)"
             : "INSERT INTO checkpoints (tree_size, root_hash, seal_time_us, key_id, signature) "
               "VALUES (:n, :root, :t, :key, :sig) ON CONFLICT (tree_size) DO NOTHING";
}
inline constexpr char kListCheckpoints[] =
    "SELECT tree_size, root_hash, seal_time_us, key_id, signature FROM checkpoints "
    "WHERE tree_size > :after AND tree_size <= :upto ORDER BY tree_size LIMIT :limit";
inline constexpr char kLatestCheckpoint[] =
    "SELECT tree_size, root_hash, seal_time_us, key_id, signature FROM checkpoints "
    "ORDER BY tree_size DESC LIMIT 1";

// --- erasure and retention -------------------------------------------------------------
inline constexpr char kEraseComplainant[] =
    "UPDATE complainants SET data = '', salt = '', erase_time_us = :t "
    "WHERE complaint_id = :id AND erase_time_us IS NULL";
inline constexpr char kGetComplainantForExport[] =
    "SELECT data, COALESCE(erase_time_us, 0) FROM complainants WHERE complaint_id = :id";
inline constexpr char kRetentionDue[] =
    "SELECT c.id FROM complaints c JOIN complainants p ON p.complaint_id = c.id "
    "WHERE c.state IN (6, 7) AND c.close_time_us < :cutoff AND p.erase_time_us IS NULL "
    "ORDER BY c.close_time_us LIMIT :limit";

// --- idempotency_records --------------------------------------------------------------
inline constexpr char kFindIdempotency[] =
    "SELECT method, fingerprint, complaint_id, response, create_time_us, principal "
    "FROM idempotency_records "
    "WHERE request_id = :request_id";
inline constexpr char kInsertIdempotency[] =
    "INSERT INTO idempotency_records (request_id, method, fingerprint, complaint_id, response, "
    "create_time_us, principal) VALUES (:request_id, :method, :fingerprint, :complaint_id, "
    ":response, :t, :principal)";

// --- reference_counters ----------------------------------------------------------------
inline constexpr char kNextReference[] =
    "INSERT INTO reference_counters (year, last_value) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_value = reference_counters.last_value + 1 "
    "RETURNING last_value";

}  // namespace redress::store::sql

#endif  // REDRESS_SERVER_STORE_SQL_H_
