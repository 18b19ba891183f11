// ComplaintStore: the persistence of complaints, their personal data, their
// append-only event trail and idempotency records, over SOCI (SQLite or
// PostgreSQL). Owns every database session of the process.
//
// Thread-safety: all methods are thread-safe. Reads use a pool of sessions;
// writes go through one GroupCommitter (see group_committer.h for the
// durability contract).
// Errors: UNAVAILABLE (database unreachable, busy), RESOURCE_EXHAUSTED (disk
// full), DATA_LOSS (a stored row cannot be decoded), INTERNAL (other database
// errors), FAILED_PRECONDITION (Open: schema newer than this binary).
#ifndef REDRESS_SERVER_STORE_COMPLAINT_STORE_H_
#define REDRESS_SERVER_STORE_COMPLAINT_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/checkpoint_signer.h"
#include "server/domain/list_filter.h"
#include "server/store/database_url.h"
#include "server/store/group_committer.h"
#include "server/store/reader_pool.h"
#include "server/store/records.h"
#include "server/store/wal_checkpointer.h"

namespace redress::store {

class ComplaintStore {
 public:
  struct Options {
    DatabaseUrl url;
    size_t readers = 4;
    GroupCommitter::Options commit;
    // SQLite: how often a WalCheckpointer checkpoints the WAL off the
    // committer's thread (zero: never); see wal_checkpointer.h.
    absl::Duration wal_checkpoint_interval = absl::Milliseconds(100);
  };

  // Connects, applies pending migrations (stamped with `now`) and starts the
  // committer (and, for SQLite, the WAL checkpointer).
  static absl::StatusOr<std::unique_ptr<ComplaintStore>> Open(const Options& options,
                                                              absl::Time now);
  ~ComplaintStore();  // Shutdown()

  // The complaint with its complainant data; nullopt if unknown.
  absl::StatusOr<std::optional<StoredComplaint>> GetComplaint(const std::string& id);

  // Up to `limit` complaints with store order key > `after_seq`, oldest first.
  absl::StatusOr<ComplaintPage> ListComplaints(const domain::ListFilter& filter, int64_t after_seq,
                                               int limit);

  // Up to `limit` events of complaint `id` with sequence > `after_sequence`.
  absl::StatusOr<EventPage> ListEvents(const std::string& id, int64_t after_sequence, int limit);

  // --- the audit ledger (compliance-docs/audit-trail.md §5-§7) ---

  // Committed ledger size: every event has a ledger index below it.
  absl::StatusOr<int64_t> LedgerSize();

  // Calls `fn` for each event with from <= ledger_index < to matching
  // `filter`, in ledger order, reading in chunks (constant memory). Stops
  // early, returning OK, when `fn` returns false.
  absl::Status ScanLedger(int64_t from, int64_t to, const LedgerFilter& filter,
                          absl::FunctionRef<bool(int64_t, const redress::v1::ComplaintEvent&)> fn);

  // Calls `fn` with the hex event hash of every ledger entry in [from, to),
  // in order (Merkle leaves).
  absl::Status ScanLedgerHashes(int64_t from, int64_t to,
                                absl::FunctionRef<void(int64_t, const std::string&)> fn);

  // Checkpoints with after < tree_size <= upto, oldest first.
  absl::StatusOr<std::vector<domain::Checkpoint>> ListCheckpoints(int64_t after, int64_t upto,
                                                                  int limit);
  absl::StatusOr<std::optional<domain::Checkpoint>> LatestCheckpoint();

  // Calls `fn(i, person)` for each ids[i], in order, with its complainant
  // data (nullopt when the complaint has no complainant row), reading with
  // one statement prepared once. Stops early, returning OK, when `fn` returns
  // false.
  absl::Status ScanComplainantsForExport(
      const std::vector<std::string>& ids,
      absl::FunctionRef<bool(size_t, const std::optional<ComplainantExport>&)> fn);

  // Ids of complaints closed or withdrawn before `closed_before_us` whose
  // personal data is not erased yet, oldest first.
  absl::StatusOr<std::vector<std::string>> ListRetentionDue(int64_t closed_before_us, int limit);

  // Row counts of every table (tests and diagnostics: "nothing was written").
  absl::StatusOr<std::map<std::string, int64_t>> CountRows();

  // Queues a write (see GroupCommitter::Submit).
  void Write(std::string lock_key, GroupCommitter::WriteFn fn, GroupCommitter::DoneFn done,
             bool replay_safe = false);

  // Finishes queued writes and stops accepting new ones. Idempotent.
  void Shutdown();

  Dialect dialect() const { return url_.dialect; }
  int schema_version() const { return schema_version_; }
  GroupCommitter::Stats commit_stats() const { return committer_->stats(); }
  // See GroupCommitter::WaitForCommitAfter (compare with commit_stats().batches).
  void WaitForCommitAfter(uint64_t seen, absl::Duration timeout) const {
    committer_->WaitForCommitAfter(seen, timeout);
  }

 private:
  ComplaintStore(DatabaseUrl url, int schema_version, std::unique_ptr<GroupCommitter> committer,
                 std::unique_ptr<WalCheckpointer> checkpointer, size_t readers);

  const DatabaseUrl url_;
  const int schema_version_;
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // SQLite only; may be null
  ReaderPool readers_;
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_COMPLAINT_STORE_H_
