#include "server/store/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "server/store/db_session.h"
#include "server/store/migrations.h"
#include "tests/testing/test_db.h"

namespace redress::store {
namespace {

using testing::Backend;
using testing::TestDatabase;

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSession(db_.url());
    ASSERT_TRUE(s.ok()) << s.status();
    ASSERT_TRUE(MigrateToLatest(**s, db_.url().dialect, absl::FromUnixSeconds(0)).ok());
    **s << "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
    committer_ =
        std::make_unique<GroupCommitter>(std::move(*s), db_.url(), GroupCommitter::Options{});
  }

  // One committed batch inserting `n` rows; returns the write's status.
  absl::Status Insert(int first, int n) {
    std::promise<absl::Status> done;
    committer_->Submit(
        "k",
        [first, n](WriteTxn& txn) {
          const std::string v(2000, 'x');  // about half a page per row
          for (int i = first; i < first + n; ++i) {
            txn.session() << "INSERT INTO t (id, v) VALUES (:id, :v)", soci::use(i), soci::use(v);
          }
          return absl::OkStatus();
        },
        [&done](absl::Status st) { done.set_value(st); });
    return done.get_future().get();
  }

  TestDatabase db_{Backend::kSqlite};
  std::unique_ptr<GroupCommitter> committer_;
};

TEST_F(WalCheckpointerTest, CheckpointsWhatTheCommitterWrote) {
  auto started = WalCheckpointer::Start(db_.url(), committer_.get(), absl::Milliseconds(10));
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<WalCheckpointer> ckpt = std::move(*started);
  for (int b = 0; b < 20; ++b) ASSERT_TRUE(Insert(b * 100, 100).ok());
  // Wait (bounded) for a round after the last commit that copied every frame.
  WalCheckpointer::Stats stats;
  for (int i = 0; i < 1000; ++i) {
    stats = ckpt->stats();
    if (stats.wal_frames > 0 && stats.checkpointed_frames == stats.wal_frames) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(stats.rounds, 0u);
  EXPECT_EQ(stats.failures, 0u);
  EXPECT_GT(stats.wal_frames, 0);
  EXPECT_EQ(stats.checkpointed_frames, stats.wal_frames);
  ckpt->Stop();
  ckpt->Stop();  // idempotent

  // The rows are in the database file: a fresh connection sees them all.
  auto s = OpenSession(db_.url());
  ASSERT_TRUE(s.ok());
  long long n = 0;
  **s << "SELECT COUNT(*) FROM t", soci::into(n);
  EXPECT_EQ(n, 2000);
}

TEST_F(WalCheckpointerTest, IdleCommitterMeansNoRounds) {
  auto started = WalCheckpointer::Start(db_.url(), committer_.get(), absl::Milliseconds(5));
  ASSERT_TRUE(started.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ((*started)->stats().rounds, 0u);
}

TEST(WalCheckpointerStartTest, RefusesPostgresql) {
  DatabaseUrl url;
  url.dialect = Dialect::kPostgresql;
  auto started = WalCheckpointer::Start(url, nullptr);
  EXPECT_EQ(started.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace redress::store
