// The hot statements of the write path, prepared once per committer session
// and re-executed with new values (issue #7: re-preparing them for every write
// was ~30 % of the committer's CPU on SQLite).
//
// Each statement is prepared on first use and bound, at prepare time, to a
// buffer owned by this object; a call copies its arguments into the buffer,
// executes, and copies the results out. Queries are always run to their end,
// so that no statement keeps a read snapshot open after it returns (on SQLite
// an unfinished statement would pin the WAL and keep checkpoints from
// completing).
//
// Ownership and lifetime: refers to a session it does not own; must be
// destroyed (or Reset()) before that session is closed or reconnected,
// because the statements belong to the connection.
//
// Thread-safety: none; used by the committer thread only.
//
// Errors: every method throws what SOCI throws (soci::soci_error and its
// backend subclasses); WriteTxn turns them into statuses.
#ifndef REDRESS_SERVER_STORE_WRITE_STATEMENTS_H_
#define REDRESS_SERVER_STORE_WRITE_STATEMENTS_H_

#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

#include "server/store/database_url.h"
#include "server/store/read_statements.h"

namespace redress::store {

class WriteStatements {
 public:
  WriteStatements(soci::session& session, Dialect dialect);
  ~WriteStatements();
  WriteStatements(const WriteStatements&) = delete;
  WriteStatements& operator=(const WriteStatements&) = delete;

  soci::session& session() { return s_; }
  Dialect dialect() const { return dialect_; }

  // Drops every prepared statement (before a reconnect).
  void Reset();

  // The read statements of the same session (e.g. a complaint's events,
  // read under its row lock).
  ReadStatements& reads();

  // --- batch control -------------------------------------------------------
  // Cached on SQLite; one-time statements on PostgreSQL (transaction control
  // is cheap there and is not a statement worth a server-side prepare).
  void Begin();
  int64_t LockLedgerHead();  // returns next_index
  void SetLedgerHead(int64_t next_index);
  void Savepoint();
  void ReleaseSavepoint();
  void RollbackToSavepoint();
  void Commit();

  // --- rows ------------------------------------------------------------------
  struct IdempotencyRow {
    std::string request_id, method, fingerprint, complaint_id, response;
    long long create_time_us = 0;
    std::string principal;
  };
  // False when there is no record for `request_id`; `out->request_id` is set.
  bool FindIdempotency(const std::string& request_id, IdempotencyRow* out);
  void InsertIdempotency(IdempotencyRow row);

  struct ComplaintRow {
    std::string id, reference;
    int state = 0, channel = 0;
    std::string category, assignee;
    long long create_time_us = 0, update_time_us = 0, version = 0;
    std::string last_event_hash, body;
    long long close_time_us = 0;
    soci::indicator close_ind = soci::i_null;
  };
  struct LoadedRow {
    long long seq = 0, version = 0;
    std::string body, last_event_hash, complainant_data;
  };
  // Locks the row on PostgreSQL (FOR UPDATE). False when there is none.
  bool LoadComplaintForUpdate(const std::string& id, LoadedRow* out);
  // Complainant data, empty when there is no row or it was erased.
  std::string GetComplainantData(const std::string& id);
  void InsertComplaint(ComplaintRow row);
  void InsertComplainant(const std::string& complaint_id, const std::string& salt,
                         const std::string& digest, const std::string& data);
  // Number of rows changed (1, or 0 if `expected_version` is stale).
  long long UpdateComplaint(ComplaintRow row, int64_t expected_version);
  int64_t NextReferenceNumber(int year);

  struct EventInsert {
    std::string complaint_id;
    long long sequence = 0;
    std::string type;
    int from_state = 0, to_state = 0;
    std::string actor, request_id;
    long long event_time_us = 0;
    std::string payload, prev_hash, hash;
    long long ledger_index = 0;
    int actor_kind = 0;
  };
  void InsertEvent(EventInsert e);

 private:
  struct Prepared;  // the statements and their bound buffers
  Prepared& p();
  // Runs one of the batch-control statements.
  void Control(std::unique_ptr<soci::statement>& cached, const char* sql);
  // Executes `st` (a query: to its end); on an exception retires it.
  bool Execute(std::unique_ptr<soci::statement>& st, bool query);

  soci::session& s_;
  const Dialect dialect_;
  std::unique_ptr<Prepared> prepared_;
  std::unique_ptr<ReadStatements> reads_;
  // Statements that threw, kept until their transaction can deallocate them.
  std::vector<std::unique_ptr<soci::statement>> retired_;
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_WRITE_STATEMENTS_H_
