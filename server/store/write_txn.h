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

#include "absl/status/statusor.h"
#include "redress/v1/complaint.pb.h"
#include "server/store/database_url.h"
#include "server/store/records.h"

namespace redress::store {

class WriteTxn {
 public:
  WriteTxn(soci::session& session, Dialect dialect) : s_(session), dialect_(dialect) {}

  // nullopt when no record exists for `request_id`.
  absl::StatusOr<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& request_id);

  // The complaint with its complainant data, row-locked until commit
  // (PostgreSQL); nullopt if unknown.
  absl::StatusOr<std::optional<StoredComplaint>> LoadForUpdate(const std::string& id);

  // The complainant data of complaint `id` (empty message once erased).
  absl::StatusOr<redress::v1::Complainant> LoadComplainant(const std::string& id);

  // Next number of the year's reference counter (1, 2, ...).
  absl::StatusOr<int64_t> NextReferenceNumber(int year);

  // Inserts complaint row and complainant row. `c.complaint.complainant` is
  // ignored (taken from `p`).
  absl::Status InsertComplaint(const StoredComplaint& c, const ComplainantRecord& p);

  // Replaces the row if its version is still `expected_version`; ABORTED
  // (retryable) if another writer changed it.
  absl::Status UpdateComplaint(const StoredComplaint& c, int64_t expected_version);

  // Appends one event (position assigned by the database).
  absl::Status AppendEvent(const redress::v1::ComplaintEvent& e, const std::string& complaint_id);

  absl::Status PutIdempotency(const IdempotencyRecord& r);

  // The underlying session, for statements of the store's own write paths
  // that are not listed above (and for tests of the committer).
  soci::session& session() { return s_; }

  bool retryable() const { return retryable_; }
  bool connection_lost() const { return connection_lost_; }

 private:
  absl::Status Fail(const char* context);  // classify the current exception

  soci::session& s_;
  Dialect dialect_;
  bool retryable_ = false;
  bool connection_lost_ = false;
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_WRITE_TXN_H_
