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

TEST(MigrationsEmbeddedTest, BothDialectsHaveTheSameVersions) {
  EXPECT_EQ(LatestSchemaVersion(Dialect::kSqlite), LatestSchemaVersion(Dialect::kPostgresql));
  EXPECT_GE(kEmbeddedMigrationCount, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::store
