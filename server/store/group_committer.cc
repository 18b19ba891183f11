#include "server/store/group_committer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/store/db_session.h"
#include "server/store/sql.h"
#include "server/store/sql_errors.h"

namespace redress::store {

GroupCommitter::GroupCommitter(std::unique_ptr<soci::session> session, DatabaseUrl url,
                               Options options)
    : session_(std::move(session)), url_(std::move(url)), options_(options) {
  thread_ = std::thread([this] { Loop(); });
}

GroupCommitter::~GroupCommitter() { Stop(); }

void GroupCommitter::Submit(std::string lock_key, WriteFn fn, DoneFn done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(Item{std::move(lock_key), std::move(fn), std::move(done)});
      return;
    }
  }
  done(absl::UnavailableError("the server is shutting down"));
}

void GroupCommitter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

GroupCommitter::Stats GroupCommitter::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void GroupCommitter::Loop() {
  for (;;) {
    std::vector<Item> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommitter* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->queue_.empty();
          },
          this));
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
    RunBatch(batch);
  }
}

bool GroupCommitter::EnsureConnected(absl::Status* error) {
  if (!needs_reconnect_) return true;
  try {
    session_->reconnect();
  } catch (...) {
    *error = absl::UnavailableError(
        absl::StrCat("database unavailable: ",
                     ClassifyCurrentException("reconnecting").status.message()));
    return false;
  }
  if (absl::Status st = ConfigureSession(*session_, url_.dialect); !st.ok()) {
    *error = absl::UnavailableError(absl::StrCat("database unavailable: ", st.message()));
    return false;
  }
  needs_reconnect_ = false;
  return true;
}

GroupCommitter::BatchResult GroupCommitter::TryBatch(std::vector<Item>& items,
                                                     std::vector<absl::Status>& results,
                                                     std::vector<bool>& retry,
                                                     absl::Status* batch_error) {
  soci::session& s = *session_;
  results.assign(items.size(), absl::OkStatus());
  retry.assign(items.size(), false);
  bool commit_sent = false;
  try {
    s << sql::BeginWrite(url_.dialect);
    for (size_t i = 0; i < items.size(); ++i) {
      s << sql::kSavepoint;
      WriteTxn txn(s, url_.dialect);
      absl::Status st = items[i].fn(txn);
      if (txn.connection_lost()) {
        needs_reconnect_ = true;
        *batch_error = st;
        return BatchResult::kConnectionLostBeforeCommit;
      }
      if (st.ok()) {
        s << sql::kReleaseSavepoint;
      } else {
        s << sql::kRollbackToSavepoint;
        s << sql::kReleaseSavepoint;
        retry[i] = txn.retryable();
      }
      results[i] = std::move(st);
    }
    commit_sent = true;
    s << sql::kCommit;
    return BatchResult::kCommitted;
  } catch (...) {
    SqlErrorInfo info = ClassifyCurrentException(commit_sent ? "committing" : "writing");
    *batch_error = info.status;
    if (info.connection_lost) needs_reconnect_ = true;
    try {
      s << sql::kRollback;
    } catch (...) {
      needs_reconnect_ = true;
    }
    if (info.connection_lost && !commit_sent) return BatchResult::kConnectionLostBeforeCommit;
    return BatchResult::kFailed;
  }
}

void GroupCommitter::RunBatch(std::vector<Item>& items) {
  absl::Status error;
  std::vector<absl::Status> results;
  std::vector<bool> retry;
  BatchResult r = BatchResult::kFailed;
  // A connection lost before COMMIT was sent changed nothing: reconnect and
  // try once more before giving up.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!EnsureConnected(&error)) {
      r = BatchResult::kFailed;
      break;
    }
    r = TryBatch(items, results, retry, &error);
    if (r != BatchResult::kConnectionLostBeforeCommit) break;
  }
  if (r == BatchResult::kConnectionLostBeforeCommit) r = BatchResult::kFailed;

  if (r == BatchResult::kFailed) {
    {
      absl::MutexLock lock(&mu_);
      ++stats_.failed_commits;
    }
    if (items.size() > 1 && !needs_reconnect_) {
      // Isolate: every item alone, so one bad item cannot fail the rest.
      for (Item& item : items) {
        std::vector<Item> one;
        one.push_back(std::move(item));
        RunBatch(one);
      }
      return;
    }
    const absl::Status final_error =
        error.code() == absl::StatusCode::kUnavailable ||
                error.code() == absl::StatusCode::kResourceExhausted ||
                error.code() == absl::StatusCode::kDataLoss
            ? error
            : absl::UnavailableError(absl::StrCat("the write was not committed: ", error.message()));
    for (Item& item : items) item.done(final_error);
    absl::MutexLock lock(&mu_);
    stats_.items += items.size();
    return;
  }

  std::vector<Item> again;
  for (size_t i = 0; i < items.size(); ++i) {
    if (retry[i] && items[i].attempts + 1 < options_.max_retries) {
      ++items[i].attempts;
      again.push_back(std::move(items[i]));
    } else {
      items[i].done(std::move(results[i]));
    }
  }
  {
    absl::MutexLock lock(&mu_);
    ++stats_.batches;
    stats_.items += items.size() - again.size();
    stats_.max_batch_seen = std::max<uint64_t>(stats_.max_batch_seen, items.size());
  }
  for (Item& item : again) {
    std::vector<Item> one;
    one.push_back(std::move(item));
    RunBatch(one);
  }
}

}  // namespace redress::store
