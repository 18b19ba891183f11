// Checkpoints a SQLite database's write-ahead log on its own connection and
// thread, so that most of the copying of WAL frames into the database file
// (and its fsync) happens off the group committer's thread.
//
// It runs `PRAGMA wal_checkpoint(PASSIVE)` after the committer has committed,
// at most once per `interval`. PASSIVE never blocks the writer or readers.
// The committer's connection keeps SQLite's automatic checkpoint: under
// sustained writes a checkpoint from another connection rarely finds every
// frame copied at the moment the writer starts its next transaction, so it
// cannot make the writer restart the WAL from its beginning, and the WAL
// would grow without bound (the disk-full reliability test found it). The
// writer's own checkpoint after a COMMIT past wal_autocheckpoint pages only
// has to copy what this thread has not, and lets the WAL restart. Durability
// does not depend on checkpoints (commits are durable in the WAL,
// synchronous=FULL).
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
