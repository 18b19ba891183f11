#include "server/store/wal_checkpointer.h"

#include <pthread.h>

#include <chrono>
#include <utility>

#include "server/store/db_session.h"

namespace redress::store {

absl::StatusOr<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(
    const DatabaseUrl& url, const GroupCommitter* committer, absl::Duration interval) {
  if (url.dialect != Dialect::kSqlite) {
    return absl::InvalidArgumentError("WAL checkpoints are a SQLite matter");
  }
  auto session = OpenSession(url);
  if (!session.ok()) return session.status();
  return std::unique_ptr<WalCheckpointer>(
      new WalCheckpointer(std::move(*session), committer, interval));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<soci::session> session,
                                 const GroupCommitter* committer, absl::Duration interval)
    : session_(std::move(session)), committer_(committer), interval_(interval) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "redress-walckpt");
    Loop();
  });
}

WalCheckpointer::~WalCheckpointer() { Stop(); }

void WalCheckpointer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

WalCheckpointer::Stats WalCheckpointer::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void WalCheckpointer::Loop() {
  uint64_t seen = committer_->stats().batches;
  for (;;) {
    // Sleep out the interval (or until Stop), then wait for a commit.
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stop_cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_),
                            [this] { return stopping_; })) {
        return;
      }
    }
    const uint64_t now = committer_->stats().batches;
    if (now == seen) {
      committer_->WaitForCommitAfter(seen, absl::Milliseconds(200));
      continue;
    }
    seen = now;
    Round();
  }
}

void WalCheckpointer::Round() {
  int busy = 0;
  long long log = 0, done = 0;
  bool ok = true;
  try {
    *session_ << "PRAGMA wal_checkpoint(PASSIVE)", soci::into(busy), soci::into(log),
        soci::into(done);
  } catch (...) {
    ok = false;  // e.g. SQLITE_BUSY from another process's checkpoint: next round
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.rounds;
  if (!ok) {
    ++stats_.failures;
    return;
  }
  stats_.wal_frames = log;
  stats_.checkpointed_frames = done;
}

}  // namespace redress::store
