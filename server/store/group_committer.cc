#include "server/store/group_committer.h"

#include <pthread.h>

#include <algorithm>
#include <deque>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/domain/sync.h"
#include "server/store/db_session.h"
#include "server/store/sql.h"
#include "server/store/sql_errors.h"

namespace redress::store {

GroupCommitter::GroupCommitter(std::unique_ptr<soci::session> session, DatabaseUrl url,
                               Options options)
    : session_(std::move(session)),
      url_(std::move(url)),
      options_(options),
      statements_(*session_, url_.dialect) {
  reply_thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "redress-reply");  // for top -H, perf
    ReplyLoop();
  });
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "redress-commit");
    Loop();
  });
}

GroupCommitter::~GroupCommitter() { Stop(); }

void GroupCommitter::Submit(std::string lock_key, WriteFn fn, DoneFn done, bool replay_safe) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back(Item{std::move(lock_key), std::move(fn), std::move(done), replay_safe});
      work_cv_.notify_one();
      return;
    }
  }
  done(absl::UnavailableError("the server is shutting down"));
}

void GroupCommitter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    work_cv_.notify_one();
    commit_cv_.notify_all();
  }
  std::call_once(join_once_, [this] {
    if (thread_.joinable()) thread_.join();
    // The committer has answered everything it took: let the reply thread
    // drain those answers, then end.
    {
      std::lock_guard<std::mutex> lock(reply_mu_);
      replies_closed_ = true;
      reply_cv_.notify_one();
    }
    if (reply_thread_.joinable()) reply_thread_.join();
  });
}

void GroupCommitter::Answer(DoneFn done, absl::Status status) {
  std::lock_guard<std::mutex> lock(reply_mu_);
  replies_.emplace_back(std::move(done), std::move(status));
  reply_cv_.notify_one();
}

void GroupCommitter::ReplyLoop() {
  for (;;) {
    std::deque<std::pair<DoneFn, absl::Status>> batch;
    {
      std::unique_lock<std::mutex> lock(reply_mu_);
      reply_cv_.wait(lock, [this] { return !replies_.empty() || replies_closed_; });
      if (replies_.empty()) return;  // closed and drained
      batch.swap(replies_);
    }
    for (auto& [done, status] : batch) done(std::move(status));
  }
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void GroupCommitter::WaitForCommitAfter(uint64_t seen, absl::Duration timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  domain::WaitWithTimeout(commit_cv_, lock, timeout,
                          [&] { return stats_.batches > seen || stopping_; });
}

void GroupCommitter::Loop() {
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      const size_t n = std::min(queue_.size(), options_.max_batch);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    // Same-key items keep their arrival order; keys are locked in one order.
    std::stable_sort(batch.begin(), batch.end(),
                     [](const Item& a, const Item& b) { return a.key < b.key; });
    RunBatch(std::move(batch));
  }
}

bool GroupCommitter::EnsureConnected(absl::Status* error) {
  if (!needs_reconnect_) return true;
  statements_.Reset();  // they belong to the old connection
  try {
    session_->reconnect();
  } catch (...) {
    *error = absl::UnavailableError(
        absl::StrCat("database unavailable: ",
                     ClassifyCurrentException("reconnecting").status.message()));
    return false;
  }
  absl::Status st = ConfigureSession(*session_, url_.dialect);
  if (!st.ok()) {
    *error = absl::UnavailableError(absl::StrCat("database unavailable: ", st.message()));
    return false;
  }
  needs_reconnect_ = false;
  return true;
}

GroupCommitter::BatchResult GroupCommitter::TryBatch(std::vector<Item>& items,
                                                     std::vector<absl::Status>& results,
                                                     std::vector<bool>& retry,
                                                     absl::Status* batch_error,
                                                     bool* batch_retryable) {
  soci::session& s = *session_;
  results.assign(items.size(), absl::OkStatus());
  retry.assign(items.size(), false);
  *batch_retryable = false;
  bool commit_sent = false;
  try {
    statements_.Begin();
    const int64_t head = statements_.LockLedgerHead();
    int64_t next_ledger_index = head;
    for (size_t i = 0; i < items.size(); ++i) {
      statements_.Savepoint();
      const int64_t ledger_before = next_ledger_index;
      WriteTxn txn(statements_, &next_ledger_index);
      absl::Status st = items[i].fn(txn);
      if (txn.connection_lost()) {
        needs_reconnect_ = true;
        *batch_error = st;
        return BatchResult::kConnectionLostBeforeCommit;
      }
      if (st.ok()) {
        statements_.ReleaseSavepoint();
      } else {
        statements_.RollbackToSavepoint();
        statements_.ReleaseSavepoint();
        next_ledger_index = ledger_before;  // its events are gone, and so their numbers
        retry[i] = txn.retryable();
      }
      results[i] = std::move(st);
    }
    if (next_ledger_index != head) statements_.SetLedgerHead(next_ledger_index);
    commit_sent = true;
    statements_.Commit();
    return BatchResult::kCommitted;
  } catch (...) {
    SqlErrorInfo info = ClassifyCurrentException(commit_sent ? "committing" : "writing");
    *batch_error = info.status;
    *batch_retryable = info.retryable;
    if (info.connection_lost) needs_reconnect_ = true;
    if (info.connection_lost && commit_sent) return BatchResult::kOutcomeUnknown;
    try {
      s << sql::kRollback;
    } catch (...) {
      needs_reconnect_ = true;
    }
    if (info.connection_lost) return BatchResult::kConnectionLostBeforeCommit;
    return BatchResult::kFailed;
  }
}

void GroupCommitter::RunBatch(std::vector<Item> batch) {
  // Groups still to run: the batch, then (after failures) single items.
  std::deque<std::vector<Item>> pending;
  pending.push_back(std::move(batch));
  while (!pending.empty()) {
    std::vector<Item> items = std::move(pending.front());
    pending.pop_front();
    absl::Status error;
    std::vector<absl::Status> results;
    std::vector<bool> retry;
    bool batch_retryable = false;
    BatchResult r = BatchResult::kFailed;
    // A connection lost before COMMIT was sent changed nothing: reconnect and
    // try once more before giving up.
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!EnsureConnected(&error)) {
        r = BatchResult::kFailed;
        break;
      }
      r = TryBatch(items, results, retry, &error, &batch_retryable);
      if (r != BatchResult::kConnectionLostBeforeCommit) break;
    }
    if (r == BatchResult::kConnectionLostBeforeCommit) r = BatchResult::kFailed;

    if (r == BatchResult::kCommitted) {
      std::vector<bool> rerun(items.size(), false);
      size_t answered = 0;
      for (size_t i = 0; i < items.size(); ++i) {
        rerun[i] = retry[i] && items[i].attempts + 1 < options_.max_retries;
        if (!rerun[i]) ++answered;
      }
      {
        // Stats first, so that whoever is answered sees them.
        std::lock_guard<std::mutex> lock(mu_);
        ++stats_.batches;
        stats_.items += answered;
        stats_.max_batch_seen = std::max<uint64_t>(stats_.max_batch_seen, items.size());
        commit_cv_.notify_all();
      }
      for (size_t i = 0; i < items.size(); ++i) {
        if (rerun[i]) {
          ++items[i].attempts;
          std::vector<Item> one;
          one.push_back(std::move(items[i]));
          pending.push_back(std::move(one));
        } else {
          Answer(std::move(items[i].done), std::move(results[i]));
        }
      }
      continue;
    }

    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.failed_commits;
    }
    if (r == BatchResult::kOutcomeUnknown) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        stats_.items += items.size();
      }
      for (Item& item : items) {
        Answer(std::move(item.done),
               item.replay_safe
                      ? absl::UnavailableError(absl::StrCat(
                            "the database connection was lost while committing; the write may "
                            "or may not have been committed: retry with the same request_id (",
                            error.message(), ")"))
                      : absl::UnknownError(absl::StrCat(
                            "the database connection was lost while committing; the write may "
                            "or may not have been committed: read the complaint before "
                            "retrying, or send a request_id to make retries safe (",
                            error.message(), ")")));
      }
      continue;
    }
    // kFailed: nothing of this group was written.
    const bool database_wide = needs_reconnect_ ||
                               error.code() == absl::StatusCode::kUnavailable ||
                               error.code() == absl::StatusCode::kResourceExhausted ||
                               error.code() == absl::StatusCode::kDataLoss;
    if (items.size() > 1 && !database_wide) {
      // The failure may be one item's doing (e.g. a deferred constraint):
      // run every item alone so that one bad item cannot fail the rest.
      for (Item& item : items) {
        std::vector<Item> one;
        one.push_back(std::move(item));
        pending.push_back(std::move(one));
      }
      continue;
    }
    if (items.size() == 1 && batch_retryable && items[0].attempts + 1 < options_.max_retries) {
      ++items[0].attempts;
      pending.push_back(std::move(items));
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      stats_.items += items.size();
    }
    for (Item& item : items) {
      Answer(std::move(item.done),
             absl::Status(error.code(),
                          absl::StrCat("the write was not committed: ", error.message())));
    }
  }
}

}  // namespace redress::store
