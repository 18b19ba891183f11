// Checkpoints a SQLite database's write-ahead log on its own connection and
// thread, so that the group committer's COMMIT never also copies the WAL into
// the database file (SQLite's automatic checkpoint runs inside the COMMIT
// that crosses wal_autocheckpoint pages, on the committer's thread: ~6 % of
// its CPU and an extra fsync of the database file, bench/profile-notes.md).
//
// The committer's connection runs with automatic checkpoints off
// (GroupCommitter::Options::sqlite_autocheckpoint = false); this thread runs
// `PRAGMA wal_checkpoint(PASSIVE)` after the committer has committed, at most
// once per `interval`. PASSIVE never blocks the writer or readers; frames that
// a reader still needs are copied by a later round. Durability does not depend
// on checkpoints (commits are durable in the WAL, synchronous=FULL); they keep
// the WAL from growing and reads fast. On close SQLite checkpoints what is left.
//
// Thread-safety: Stop() and stats() may be called from any thread.
#ifndef REDRESS_SERVER_STORE_WAL_CHECKPOINTER_H_
#define REDRESS_SERVER_STORE_WAL_CHECKPOINTER_H_

#include <soci/soci.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/database_url.h"
#include "server/store/group_committer.h"

namespace redress::store {

class WalCheckpointer {
 public:
  struct Stats {
    uint64_t rounds = 0;    // checkpoints attempted
    uint64_t failures = 0;  // rounds that returned an error (retried next round)
    // From the last successful round: frames in the WAL and frames copied
    // into the database (equal when the checkpoint was complete).
    int64_t wal_frames = 0;
    int64_t checkpointed_frames = 0;
  };

  // Opens its own connection to `url` (SQLite only: INVALID_ARGUMENT
  // otherwise; UNAVAILABLE if it cannot open) and starts the thread.
  // `committer` must outlive the WalCheckpointer (or Stop() must come first).
  static absl::StatusOr<std::unique_ptr<WalCheckpointer>> Start(
      const DatabaseUrl& url, const GroupCommitter* committer,
      absl::Duration interval = absl::Milliseconds(100));

  ~WalCheckpointer();  // Stop()
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Ends the thread after the round in progress. Idempotent.
  void Stop();

  Stats stats() const;

 private:
  WalCheckpointer(std::unique_ptr<soci::session> session, const GroupCommitter* committer,
                  absl::Duration interval);
  void Loop();
  void Round();

  std::unique_ptr<soci::session> session_;  // checkpointer thread only
  const GroupCommitter* const committer_;
  const absl::Duration interval_;

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by mu_
  Stats stats_;            // guarded by mu_
  std::thread thread_;
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_WAL_CHECKPOINTER_H_
