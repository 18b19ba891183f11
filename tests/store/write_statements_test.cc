#include "server/store/write_statements.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/store/db_session.h"
#include "server/store/migrations.h"
#include "tests/testing/test_db.h"

namespace redress::store {
namespace {

using testing::Backend;
using testing::TestDatabase;

WriteStatements::ComplaintRow Row(const std::string& id, long long version) {
  WriteStatements::ComplaintRow r;
  r.id = id;
  r.reference = absl::StrCat("REF-", id);
  r.state = 1;
  r.channel = 2;
  r.category = "billing";
  r.assignee = "";
  r.create_time_us = 1000;
  r.update_time_us = 1000 + version;
  r.version = version;
  r.last_event_hash = absl::StrCat("hash-", id, "-", version);
  r.body = absl::StrCat("body-", id, "-", version);
  r.close_ind = soci::i_null;
  return r;
}

class WriteStatementsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    REDRESS_REQUIRE_DB(db_);
    auto s = OpenSession(db_.url());
    ASSERT_TRUE(s.ok()) << s.status();
    session_ = std::move(*s);
    ASSERT_TRUE(MigrateToLatest(*session_, db_.url().dialect, absl::FromUnixSeconds(0)).ok());
    ws_ = std::make_unique<WriteStatements>(*session_, db_.url().dialect);
  }
  void TearDown() override { ws_.reset(); }

  long long Count(const std::string& table) {
    auto s = OpenSession(db_.url());
    long long n = -1;
    **s << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
  }

  TestDatabase db_{GetParam()};
  std::unique_ptr<soci::session> session_;
  std::unique_ptr<WriteStatements> ws_;
};

// Each statement is prepared once and executed many times with new values:
// every execution must see its own values, not the first call's.
TEST_P(WriteStatementsTest, ReusedStatementsBindFreshValuesEveryTime) {
  ws_->Begin();
  const int64_t head = ws_->LockLedgerHead();
  constexpr int kRows = 20;
  for (int i = 0; i < kRows; ++i) {
    const std::string id = absl::StrCat("c", i);
    ws_->Savepoint();
    ws_->InsertComplaint(Row(id, 1));
    ws_->InsertComplainant(id, "salt" + id, "digest" + id, "data" + id);
    WriteStatements::EventInsert e;
    e.complaint_id = id;
    e.sequence = 1;
    e.type = "SUBMITTED";
    e.actor = "alice";
    e.event_time_us = 5;
    e.payload = "{}";
    e.prev_hash = "0";
    e.hash = "h" + id;
    e.ledger_index = head + i;
    ws_->InsertEvent(e);
    WriteStatements::IdempotencyRow idem;
    idem.request_id = "req-" + id;
    idem.method = "SubmitComplaint";
    idem.fingerprint = "fp" + id;
    idem.complaint_id = id;
    idem.response = "resp" + id;
    idem.create_time_us = 7 + i;
    ws_->InsertIdempotency(idem);
    ws_->ReleaseSavepoint();
  }
  ws_->SetLedgerHead(head + kRows);
  EXPECT_EQ(ws_->NextReferenceNumber(2026), 1);
  EXPECT_EQ(ws_->NextReferenceNumber(2026), 2);
  EXPECT_EQ(ws_->NextReferenceNumber(2027), 1);
  EXPECT_EQ(ws_->NextReferenceNumber(2026), 3);

  for (int i = kRows - 1; i >= 0; --i) {
    const std::string id = absl::StrCat("c", i);
    WriteStatements::LoadedRow row;
    ASSERT_TRUE(ws_->LoadComplaintForUpdate(id, &row)) << id;
    EXPECT_EQ(row.body, absl::StrCat("body-", id, "-1"));
    EXPECT_EQ(row.version, 1);
    EXPECT_EQ(row.last_event_hash, absl::StrCat("hash-", id, "-1"));
    EXPECT_EQ(row.complainant_data, "data" + id);
    EXPECT_EQ(ws_->GetComplainantData(id), "data" + id);
    WriteStatements::IdempotencyRow idem;
    ASSERT_TRUE(ws_->FindIdempotency("req-" + id, &idem));
    EXPECT_EQ(idem.fingerprint, "fp" + id);
    EXPECT_EQ(idem.complaint_id, id);
    EXPECT_EQ(idem.response, "resp" + id);
    EXPECT_EQ(idem.create_time_us, 7 + i);
  }
  WriteStatements::LoadedRow none;
  EXPECT_FALSE(ws_->LoadComplaintForUpdate("missing", &none));
  EXPECT_EQ(ws_->GetComplainantData("missing"), "");
  WriteStatements::IdempotencyRow no_idem;
  EXPECT_FALSE(ws_->FindIdempotency("req-missing", &no_idem));

  // Optimistic update: the stale version changes nothing, the right one does.
  EXPECT_EQ(ws_->UpdateComplaint(Row("c3", 2), /*expected_version=*/7), 0);
  EXPECT_EQ(ws_->UpdateComplaint(Row("c3", 2), /*expected_version=*/1), 1);
  EXPECT_EQ(ws_->UpdateComplaint(Row("c4", 2), /*expected_version=*/1), 1);
  ws_->Commit();

  EXPECT_EQ(Count("complaints"), kRows);
  EXPECT_EQ(Count("complaint_events"), kRows);
  EXPECT_EQ(Count("idempotency_records"), kRows);
  ws_->Begin();
  EXPECT_EQ(ws_->LockLedgerHead(), head + kRows);
  WriteStatements::LoadedRow c3;
  ASSERT_TRUE(ws_->LoadComplaintForUpdate("c3", &c3));
  EXPECT_EQ(c3.version, 2);
  EXPECT_EQ(c3.body, "body-c3-2");
  ws_->Commit();
}

TEST_P(WriteStatementsTest, RollbackToSavepointUndoesOnlyTheItem) {
  ws_->Begin();
  ws_->Savepoint();
  ws_->InsertComplaint(Row("kept", 1));
  ws_->ReleaseSavepoint();
  ws_->Savepoint();
  ws_->InsertComplaint(Row("undone", 1));
  ws_->RollbackToSavepoint();
  ws_->ReleaseSavepoint();
  ws_->Commit();
  EXPECT_EQ(Count("complaints"), 1);
  ws_->Begin();
  WriteStatements::LoadedRow row;
  EXPECT_TRUE(ws_->LoadComplaintForUpdate("kept", &row));
  EXPECT_FALSE(ws_->LoadComplaintForUpdate("undone", &row));
  ws_->Commit();
}

// A statement that fails (here: a duplicate key) inside an item's savepoint
// must leave every prepared statement usable after ROLLBACK TO -- on
// PostgreSQL the failed statement aborts the transaction until then.
TEST_P(WriteStatementsTest, StatementsStayUsableAfterAFailedStatementIsRolledBack) {
  ws_->Begin();
  ws_->Savepoint();
  ws_->InsertComplaint(Row("a", 1));
  ws_->ReleaseSavepoint();
  ws_->Savepoint();
  EXPECT_THROW(ws_->InsertComplaint(Row("a", 1)), soci::soci_error);
  ws_->RollbackToSavepoint();
  ws_->ReleaseSavepoint();
  ws_->Savepoint();
  ws_->InsertComplaint(Row("b", 1));  // the same prepared insert, reused
  WriteStatements::LoadedRow row;
  EXPECT_TRUE(ws_->LoadComplaintForUpdate("a", &row));
  EXPECT_EQ(ws_->UpdateComplaint(Row("b", 2), 1), 1);
  ws_->ReleaseSavepoint();
  ws_->Commit();
  EXPECT_EQ(Count("complaints"), 2);
}

// A query left unfinished would keep a read snapshot open on the writer's
// connection; on SQLite that pins the WAL so that no checkpoint can complete.
TEST_P(WriteStatementsTest, QueriesLeaveNoReadSnapshotBehind) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "a SQLite WAL matter";
  ws_->Begin();
  ws_->InsertComplaint(Row("a", 1));
  ws_->InsertComplaint(Row("b", 1));
  ws_->Commit();
  ws_->Begin();
  WriteStatements::LoadedRow row;
  ASSERT_TRUE(ws_->LoadComplaintForUpdate("a", &row));
  WriteStatements::IdempotencyRow idem;
  EXPECT_FALSE(ws_->FindIdempotency("x", &idem));
  EXPECT_EQ(ws_->LockLedgerHead(), 0);
  ws_->UpdateComplaint(Row("a", 2), 1);
  ws_->Commit();

  auto other = OpenSession(db_.url());
  ASSERT_TRUE(other.ok());
  int busy = -1;
  long long log = -1, done = -1;
  **other << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log),
      soci::into(done);
  EXPECT_EQ(busy, 0) << "a statement of the writer still holds a read snapshot";
  EXPECT_EQ(log, 0);  // truncated: every frame was checkpointed
}

TEST_P(WriteStatementsTest, ResetLetsTheSessionReconnect) {
  ws_->Begin();
  ws_->InsertComplaint(Row("a", 1));
  ws_->Commit();
  ws_->Begin();
  WriteStatements::LoadedRow row;
  ASSERT_TRUE(ws_->LoadComplaintForUpdate("a", &row));
  ws_->Commit();
  ws_->Reset();
  session_->reconnect();
  ASSERT_TRUE(ConfigureSession(*session_, db_.url().dialect).ok());
  ws_->Begin();
  ASSERT_TRUE(ws_->LoadComplaintForUpdate("a", &row));  // prepared again
  EXPECT_EQ(row.body, "body-a-1");
  ws_->Commit();
}

INSTANTIATE_TEST_SUITE_P(Backends, WriteStatementsTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::store
