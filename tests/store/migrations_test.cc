#include "server/store/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/store/complaint_store.h"
#include "server/store/db_session.h"
#include "tests/testing/test_db.h"

namespace redress::store {
namespace {

using testing::Backend;
using testing::TestDatabase;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

class MigrationsTest : public ::testing::TestWithParam<Backend> {};

TEST_P(MigrationsTest, FromEmptyToLatestThenIdempotent) {
  TestDatabase db(GetParam());
  REDRESS_REQUIRE_DB(db);
  auto s = OpenSession(db.url());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*CurrentSchemaVersion(**s), 0);
  auto v = MigrateToLatest(**s, db.url().dialect, kNow);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, LatestSchemaVersion(db.url().dialect));
  EXPECT_GE(*v, 1);
  auto again = MigrateToLatest(**s, db.url().dialect, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *v);
  long long rows = 0;
  **s << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
  EXPECT_EQ(rows, *v);
}

TEST_P(MigrationsTest, NewerSchemaIsRefusedWithAClearMessage) {
  TestDatabase db(GetParam());
  REDRESS_REQUIRE_DB(db);
  auto s = OpenSession(db.url());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(MigrateToLatest(**s, db.url().dialect, kNow).ok());
  const int future = LatestSchemaVersion(db.url().dialect) + 1;
  **s << "INSERT INTO schema_migrations (version, name, apply_time_us) VALUES (:v, 'future', 0)",
      soci::use(future);
  auto v = MigrateToLatest(**s, db.url().dialect, kNow);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(v.status().message()), ::testing::HasSubstr("newer"));
  ComplaintStore::Options o;
  o.url = db.url();
  EXPECT_EQ(ComplaintStore::Open(o, kNow).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(MigrationsTest, AFailingStepLeavesTheVersionUnchanged) {
  TestDatabase db(GetParam());
  REDRESS_REQUIRE_DB(db);
  auto s = OpenSession(db.url());
  ASSERT_TRUE(s.ok());
  // A table that migration 1 wants to create already exists: step 1 fails
  // half-way and must roll back completely (no table from it, no version).
  **s << "CREATE TABLE idempotency_records (x INTEGER)";
  auto v = MigrateToLatest(**s, db.url().dialect, kNow);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(*CurrentSchemaVersion(**s), 0);
  EXPECT_THROW(**s << "SELECT COUNT(*) FROM complaints", soci::soci_error);
}

TEST_P(MigrationsTest, UpgradeFromV1NumbersExistingEventsInPositionOrder) {
  TestDatabase db(GetParam());
  REDRESS_REQUIRE_DB(db);
  auto s = OpenSession(db.url());
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(*MigrateTo(**s, db.url().dialect, 1, kNow), 1);
  // A v1 database with history: two complaints, three events.
  // soci::use binds by reference and the statement runs when the full
  // expression ends: bound values must be named, not temporaries.
  for (const char* id : {"a", "b"}) {
    const std::string key = id, ref = std::string("CMP-") + id;
    **s << "INSERT INTO complaints (id, reference, state, channel, category, assignee, "
           "create_time_us, update_time_us, version, last_event_hash, body) VALUES "
           "(:id, :ref, 6, 1, '', '', 0, 5, 1, 'h', '')",
        soci::use(key), soci::use(ref);
  }
  for (const char* id : {"a", "b", "a"}) {
    static int seq[2] = {0, 0};
    int n = ++seq[id[0] - 'a'];
    const std::string key = id;
    **s << "INSERT INTO complaint_events (complaint_id, sequence, type, from_state, to_state, "
           "actor, request_id, event_time_us, payload, prev_hash, hash) VALUES "
           "(:id, :n, 'NOTE_ADDED', 1, 1, 'x', '', 0, '{}', 'p', 'h')",
        soci::use(key), soci::use(n);
  }
  ASSERT_EQ(*MigrateToLatest(**s, db.url().dialect, kNow), LatestSchemaVersion(db.url().dialect));
  std::vector<long long> positions(3), ledger(3);
  **s << "SELECT position, ledger_index FROM complaint_events ORDER BY position",
      soci::into(positions), soci::into(ledger);
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger, (std::vector<long long>{0, 1, 2}));
  long long head = -1, closed = 0;
  **s << "SELECT next_index FROM ledger_head", soci::into(head);
  EXPECT_EQ(head, 3);
  **s << "SELECT COUNT(*) FROM complaints WHERE close_time_us = 5", soci::into(closed);
  EXPECT_EQ(closed, 2);
  // Events stay append-only after the migration re-created the guard.
  EXPECT_THROW(**s << "UPDATE complaint_events SET actor = 'y'", soci::soci_error);
}

TEST_P(MigrationsTest, UpgradeFromV3BindsIdempotencyRecordsToTheirPrincipal) {
  TestDatabase db(GetParam());
  REDRESS_REQUIRE_DB(db);
  auto s = OpenSession(db.url());
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(*MigrateTo(**s, db.url().dialect, 3, kNow), 3);
  **s << "INSERT INTO complaints (id, reference, state, channel, category, assignee, "
         "create_time_us, update_time_us, version, last_event_hash, body) VALUES "
         "('a', 'CMP-a', 1, 1, '', '', 0, 5, 1, 'h', '')";
  **s << "INSERT INTO complaint_events (complaint_id, sequence, type, from_state, to_state, "
         "actor, request_id, event_time_us, payload, prev_hash, hash, ledger_index) VALUES "
         "('a', 1, 'SUBMITTED', 0, 1, 'intake1', 'rid-1', 0, '{}', 'p', 'h', 0)";
  for (const char* rid : {"rid-1", "rid-orphan"}) {
    const std::string r = rid;
    **s << "INSERT INTO idempotency_records (request_id, method, fingerprint, complaint_id, "
           "response, create_time_us) VALUES (:r, 'SubmitComplaint', 'f', 'a', '', 0)",
        soci::use(r);
  }
  ASSERT_EQ(*MigrateToLatest(**s, db.url().dialect, kNow), LatestSchemaVersion(db.url().dialect));
  std::string principal, orphan;
  **s << "SELECT principal FROM idempotency_records WHERE request_id = 'rid-1'", soci::into(principal);
  **s << "SELECT principal FROM idempotency_records WHERE request_id = 'rid-orphan'",
      soci::into(orphan);
  EXPECT_EQ(principal, "intake1");
  EXPECT_EQ(orphan, "");  // matches no principal
  // Existing events keep encoding version 1 (actor_kind 0) and stay append-only.
  int kind = -1;
  **s << "SELECT actor_kind FROM complaint_events", soci::into(kind);
  EXPECT_EQ(kind, 0);
  EXPECT_THROW(**s << "UPDATE complaint_events SET actor_kind = 1", soci::soci_error);
}

TEST(MigrationsEmbeddedTest, BothDialectsHaveTheSameVersions) {
  EXPECT_EQ(LatestSchemaVersion(Dialect::kSqlite), LatestSchemaVersion(Dialect::kPostgresql));
  EXPECT_GE(kEmbeddedMigrationCount, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::store
