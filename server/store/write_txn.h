// The operations a write may perform inside a group-commit transaction.
//
// A WriteTxn is handed to one write function at a time, on the committer's
// thread, inside a savepoint of the batch transaction; it is valid only for
// the duration of that call. Not thread-safe. Every method returns a status
// instead of throwing; after a database error the whole item is rolled back
// to its savepoint by the committer, and `retryable()` tells whether the item
// should be re-run on its own (lock conflict, duplicate key from a
// concurrent replica) and `connection_lost()` whether the session is gone.
#ifndef REDRESS_SERVER_STORE_WRITE_TXN_H_
#define REDRESS_SERVER_STORE_WRITE_TXN_H_

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "redress/v1/complaint.pb.h"
#include "server/store/database_url.h"
#include "server/domain/checkpoint_signer.h"
#include "server/store/records.h"
#include "server/store/write_statements.h"

namespace redress::store {

class WriteTxn {
 public:
  // `next_ledger_index` is the batch's ledger cursor (audit-trail.md §5):
  // AppendEvent numbers events from it; the committer restores it when the
  // item is rolled back. May be null for writes that append no events.
  // `statements` (the committer session's prepared statements) must outlive
  // the WriteTxn.
  explicit WriteTxn(WriteStatements& statements, int64_t* next_ledger_index = nullptr)
      : st_(statements),
        s_(statements.session()),
        dialect_(statements.dialect()),
        next_ledger_index_(next_ledger_index) {}

  // nullopt when no record exists for `request_id`.
  absl::StatusOr<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& request_id);

  // The complaint with its complainant data, row-locked until commit
  // (PostgreSQL); nullopt if unknown.
  absl::StatusOr<std::optional<StoredComplaint>> LoadForUpdate(const std::string& id);

  // The complainant data of complaint `id` (empty message once erased).
  absl::StatusOr<redress::v1::Complainant> LoadComplainant(const std::string& id);

  // Every event of complaint `id`, in sequence order (call after
  // LoadForUpdate so that no other writer can append meanwhile).
  absl::StatusOr<std::vector<redress::v1::ComplaintEvent>> LoadEvents(const std::string& id);

  // Next number of the year's reference counter (1, 2, ...).
  absl::StatusOr<int64_t> NextReferenceNumber(int year);

  // Inserts complaint row and complainant row. `c.complaint.complainant` is
  // ignored (taken from `p`).
  absl::Status InsertComplaint(const StoredComplaint& c, const ComplainantRecord& p);

  // Replaces the row if its version is still `expected_version`; ABORTED
  // (retryable) if another writer changed it.
  absl::Status UpdateComplaint(const StoredComplaint& c, int64_t expected_version);

  // Appends one event: position assigned by the database, ledger index
  // from the batch's cursor.
  absl::Status AppendEvent(const redress::v1::ComplaintEvent& e, const std::string& complaint_id);

  absl::Status PutIdempotency(const IdempotencyRecord& r);

  // Stores a signed checkpoint unless one of that size exists already.
  absl::Status InsertCheckpoint(const domain::Checkpoint& c);

  // Deletes the complainant's data and salt (audit-trail.md §9).
  // FAILED_PRECONDITION if already erased.
  absl::Status EraseComplainant(const std::string& complaint_id, int64_t time_us);

  // The underlying session, for statements of the store's own write paths
  // that are not listed above (and for tests of the committer).
  soci::session& session() { return s_; }

  bool retryable() const { return retryable_; }
  bool connection_lost() const { return connection_lost_; }

 private:
  absl::Status Fail(const char* context);  // classify the current exception

  WriteStatements& st_;
  soci::session& s_;
  Dialect dialect_;
  int64_t* next_ledger_index_;
  bool retryable_ = false;
  bool connection_lost_ = false;
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_WRITE_TXN_H_
