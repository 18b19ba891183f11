// Group commit: the single writer of one redressd process.
//
// Writers enqueue a write function; one thread takes everything queued (up to
// max_batch), runs each function inside its own savepoint of ONE transaction,
// commits once (one fsync), and only then reports every outcome. So:
//  - nobody is answered before the transaction holding their write is
//    durable (SQLite synchronous=FULL in WAL; PostgreSQL synchronous_commit);
//  - a function that fails is rolled back to its savepoint alone; the others
//    still commit;
//  - if the batch cannot commit because of one item (e.g. a deferred
//    constraint), every item is re-run in a transaction of its own, so one
//    bad item never fails innocent ones; if it cannot commit because of the
//    database (busy, unreachable, disk full) every item fails at once with
//    that status -- nothing was written;
//  - if the connection is lost after COMMIT was sent, the outcome is
//    unknown: items marked replay-safe (they carry a request_id, so a retry
//    returns the first answer) get UNAVAILABLE, the others UNKNOWN, so no
//    caller is told "not written" about a write that may have committed;
//  - items whose failure was a transient conflict (lock, duplicate key from a
//    concurrent replica) are re-run alone after the batch (bounded retries);
//  - after a lost connection the session reconnects on the next batch.
//
// Thread-safety: Submit() and Stop() may be called from any thread. The write
// functions run on the committer thread: `fn` may run more than once (each
// run must recompute its result from the transaction). `done` runs exactly
// once, after the outcome is final, on the reply thread (in commit order; so
// answering callers -- serialising responses -- never delays the next batch),
// or inline in Submit() after Stop(). `done` must not block.
// Internally: mu_ guards the queue, the stop flag and the stats (work_cv_
// wakes the committer thread, commit_cv_ WaitForCommitAfter()); reply_mu_
// guards the reply queue (reply_cv_ wakes the reply thread). Never both at once.
#ifndef REDRESS_SERVER_STORE_GROUP_COMMITTER_H_
#define REDRESS_SERVER_STORE_GROUP_COMMITTER_H_

#include <soci/soci.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/store/database_url.h"
#include "server/store/write_statements.h"
#include "server/store/write_txn.h"

namespace redress::store {

class GroupCommitter {
 public:
  using WriteFn = absl::AnyInvocable<absl::Status(WriteTxn&)>;
  using DoneFn = absl::AnyInvocable<void(absl::Status)>;

  struct Options {
    size_t max_batch = 256;
    int max_retries = 5;  // per item, for transient conflicts
  };

  struct Stats {
    uint64_t batches = 0;         // committed transactions
    uint64_t items = 0;           // items answered
    uint64_t failed_commits = 0;  // batch transactions that could not commit
    uint64_t max_batch_seen = 0;
  };

  // Takes ownership of `session` (already configured and migrated).
  GroupCommitter(std::unique_ptr<soci::session> session, DatabaseUrl url, Options options);
  ~GroupCommitter();  // Stop()

  // Queues a write. `lock_key` (e.g. the complaint id) orders items inside a
  // batch so concurrent replicas lock rows in the same order. `replay_safe`:
  // re-sending the same write is harmless (idempotency key). After Stop(),
  // `done` is called at once with UNAVAILABLE.
  void Submit(std::string lock_key, WriteFn fn, DoneFn done, bool replay_safe = false);

  // Finishes everything queued, then stops the thread. Idempotent.
  void Stop();

  Stats stats() const;

  // Blocks until more than `seen` batches have committed in this process
  // (see stats().batches) or `timeout` passes. Lets readers of the ledger
  // wake on local commits instead of polling.
  void WaitForCommitAfter(uint64_t seen, absl::Duration timeout) const;

 private:
  struct Item {
    std::string key;
    WriteFn fn;
    DoneFn done;
    bool replay_safe = false;
    int attempts = 0;
  };
  enum class BatchResult {
    kCommitted,
    kFailed,                      // rolled back; nothing of it was written
    kConnectionLostBeforeCommit,  // rolled back; worth one reconnect and retry
    kOutcomeUnknown,              // connection lost after COMMIT was sent
  };

  void Loop();
  void ReplyLoop();
  // Hands `done(status)` to the reply thread.
  void Answer(DoneFn done, absl::Status status);
  void RunBatch(std::vector<Item> batch);
  BatchResult TryBatch(std::vector<Item>& items, std::vector<absl::Status>& results,
                       std::vector<bool>& retry, absl::Status* batch_error,
                       bool* batch_retryable);
  bool EnsureConnected(absl::Status* error);

  std::unique_ptr<soci::session> session_;
  const DatabaseUrl url_;
  const Options options_;
  WriteStatements statements_;  // of session_ (declared after it: destroyed first)
  bool needs_reconnect_ = false;  // committer thread only

  mutable std::mutex mu_;
  // Notified when queue_ gains an item or stopping_ is set (one waiter: Loop).
  std::condition_variable work_cv_;
  // Notified when stats_.batches grows or stopping_ is set (any number of
  // WaitForCommitAfter() callers).
  mutable std::condition_variable commit_cv_;
  std::deque<Item> queue_;  // guarded by mu_
  bool stopping_ = false;   // guarded by mu_
  Stats stats_;             // guarded by mu_
  std::thread thread_;
  std::once_flag join_once_;

  // Answers waiting for the reply thread.
  std::mutex reply_mu_;
  // Notified when replies_ gains an entry or replies_closed_ is set (one
  // waiter: ReplyLoop).
  std::condition_variable reply_cv_;
  std::deque<std::pair<DoneFn, absl::Status>> replies_;  // guarded by reply_mu_
  bool replies_closed_ = false;                          // guarded by reply_mu_
  std::thread reply_thread_;
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_GROUP_COMMITTER_H_
