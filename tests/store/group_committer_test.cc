#include "server/store/group_committer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "server/store/db_session.h"
#include "server/store/migrations.h"
#include "tests/testing/test_db.h"

namespace redress::store {
namespace {

using testing::Backend;
using testing::TestDatabase;

// A committer on a scratch schema: parent/child with a DEFERRED foreign key,
// so a bad child is only detected at COMMIT -- the whole batch fails to
// commit and the committer must isolate the culprit.
class GroupCommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSession(db_.url());
    ASSERT_TRUE(s.ok()) << s.status();
    // The real schema (the committer numbers the ledger in every batch), plus
    // a scratch parent/child pair.
    ASSERT_TRUE(MigrateToLatest(**s, db_.url().dialect, absl::FromUnixSeconds(0)).ok());
    **s << "CREATE TABLE parent (id INTEGER PRIMARY KEY)";
    **s << "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
           "REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)";
    **s << "INSERT INTO parent (id) VALUES (1)";
    committer_ = std::make_unique<GroupCommitter>(std::move(*s), db_.url(), GroupCommitter::Options{});
  }

  long long Count(const char* table) {
    auto s = OpenSession(db_.url());
    long long n = -1;
    **s << std::string("SELECT COUNT(*) FROM ") + table, soci::into(n);
    return n;
  }

  // Queues a write that blocks the committer until the returned promise is
  // fulfilled, so that everything queued meanwhile forms one batch.
  std::promise<void> BlockCommitter() {
    std::promise<void> release;
    auto gate = std::make_shared<std::shared_future<void>>(release.get_future().share());
    std::promise<void> entered;
    auto entered_f = entered.get_future();
    committer_->Submit(
        "0",
        [gate, entered = std::make_shared<std::promise<void>>(std::move(entered))](WriteTxn&) {
          entered->set_value();
          gate->wait();
          return absl::OkStatus();
        },
        [](absl::Status) {});
    entered_f.wait();
    return release;
  }

  TestDatabase db_{Backend::kSqlite};
  std::unique_ptr<GroupCommitter> committer_;
};

TEST_F(GroupCommitterTest, BatchThatCannotCommitIsSplitSoInnocentItemsSucceed) {
  auto release = BlockCommitter();
  constexpr int kItems = 10;
  std::vector<std::promise<absl::Status>> done(kItems);
  for (int i = 0; i < kItems; ++i) {
    const int parent = (i == 4) ? 999 : 1;  // item 4 violates the deferred FK
    committer_->Submit(
        std::to_string(i),
        [i, parent](WriteTxn& txn) {
          int id = 100 + i, p = parent;
          txn.session() << "INSERT INTO child (id, parent_id) VALUES (:id, :p)", soci::use(id),
              soci::use(p);
          return absl::OkStatus();
        },
        [&done, i](absl::Status st) { done[i].set_value(st); });
  }
  release.set_value();
  for (int i = 0; i < kItems; ++i) {
    absl::Status st = done[i].get_future().get();
    if (i == 4) {
      EXPECT_FALSE(st.ok());
    } else {
      EXPECT_TRUE(st.ok()) << i << ": " << st;
    }
  }
  EXPECT_EQ(Count("child"), kItems - 1);
  EXPECT_GE(committer_->stats().failed_commits, 1u);
}

TEST_F(GroupCommitterTest, QueuedWritesShareOneCommit) {
  auto release = BlockCommitter();
  constexpr int kItems = 50;
  std::vector<std::promise<absl::Status>> done(kItems);
  for (int i = 0; i < kItems; ++i) {
    committer_->Submit(
        std::to_string(i),
        [i](WriteTxn& txn) {
          int id = 1000 + i, p = 1;
          txn.session() << "INSERT INTO child (id, parent_id) VALUES (:id, :p)", soci::use(id),
              soci::use(p);
          return absl::OkStatus();
        },
        [&done, i](absl::Status st) { done[i].set_value(st); });
  }
  release.set_value();
  for (auto& d : done) EXPECT_TRUE(d.get_future().get().ok());
  const auto stats = committer_->stats();
  EXPECT_EQ(stats.max_batch_seen, static_cast<uint64_t>(kItems));
  EXPECT_EQ(stats.batches, 2u);  // the blocker's batch and one for all 50
}

TEST_F(GroupCommitterTest, FailedItemIsRolledBackToItsSavepointOnly) {
  auto release = BlockCommitter();
  std::promise<absl::Status> a, b, c;
  auto insert = [](int id) {
    return [id](WriteTxn& txn) {
      int i = id, p = 1;
      txn.session() << "INSERT INTO child (id, parent_id) VALUES (:id, :p)", soci::use(i),
          soci::use(p);
      return absl::OkStatus();
    };
  };
  committer_->Submit("a", insert(1), [&](absl::Status st) { a.set_value(st); });
  committer_->Submit(
      "b",
      [](WriteTxn& txn) {
        int i = 2, p = 1;
        txn.session() << "INSERT INTO child (id, parent_id) VALUES (:id, :p)", soci::use(i),
            soci::use(p);
        return absl::FailedPreconditionError("changed my mind");  // after writing
      },
      [&](absl::Status st) { b.set_value(st); });
  committer_->Submit("c", insert(3), [&](absl::Status st) { c.set_value(st); });
  release.set_value();
  EXPECT_TRUE(a.get_future().get().ok());
  EXPECT_EQ(b.get_future().get().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(c.get_future().get().ok());
  EXPECT_EQ(Count("child"), 2);
  EXPECT_EQ(committer_->stats().failed_commits, 0u);
}

TEST_F(GroupCommitterTest, DatabaseWideFailureFailsTheBatchOnceWithoutSplitting) {
  // Another process holds SQLite's write lock past the busy timeout: every
  // queued write fails with UNAVAILABLE (nothing written), the queue failing
  // as a batch instead of each write waiting out the timeout again on its
  // own. The committer may take the first write alone before the others are
  // queued (they all are while it waits out that first timeout); a write that
  // fails alone with a busy database is a transient conflict, re-run alone up
  // to max_retries times in all, and then the others fail as one batch: at
  // most max_retries + 1 failed commits, where splitting would make at least
  // kItems + 1 (the batch, then each write alone).
  auto other = OpenSession(db_.url());
  ASSERT_TRUE(other.ok());
  **other << "BEGIN IMMEDIATE";
  constexpr int kItems = 8;
  std::vector<std::promise<absl::Status>> done(kItems);
  for (int i = 0; i < kItems; ++i) {
    committer_->Submit(
        std::to_string(i),
        [i](WriteTxn& txn) {
          int id = 3000 + i, p = 1;
          txn.session() << "INSERT INTO child (id, parent_id) VALUES (:id, :p)", soci::use(id),
              soci::use(p);
          return absl::OkStatus();
        },
        [&done, i](absl::Status st) { done[i].set_value(st); });
  }
  for (auto& d : done) EXPECT_EQ(d.get_future().get().code(), absl::StatusCode::kUnavailable);
  EXPECT_GE(committer_->stats().failed_commits, 1u);
  constexpr int kMaxRetries = GroupCommitter::Options{}.max_retries;  // the fixture's
  static_assert(kItems + 1 > kMaxRetries + 1);
  EXPECT_LE(committer_->stats().failed_commits, static_cast<uint64_t>(kMaxRetries) + 1);
  **other << "ROLLBACK";
  EXPECT_EQ(Count("child"), 0);
}

TEST_F(GroupCommitterTest, StopDrainsTheQueueAndAnswersEveryone) {
  auto release = BlockCommitter();
  std::atomic<int> answered{0};
  for (int i = 0; i < 30; ++i) {
    committer_->Submit(
        std::to_string(i),
        [i](WriteTxn& txn) {
          int id = 2000 + i, p = 1;
          txn.session() << "INSERT INTO child (id, parent_id) VALUES (:id, :p)", soci::use(id),
              soci::use(p);
          return absl::OkStatus();
        },
        [&answered](absl::Status st) {
          if (st.ok()) answered++;
        });
  }
  std::thread stopper([&] { committer_->Stop(); });
  release.set_value();
  stopper.join();
  EXPECT_EQ(answered.load(), 30);
  EXPECT_EQ(Count("child"), 30);
}

}  // namespace
}  // namespace redress::store
