#include "server/store/database_url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace redress::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(DatabaseUrlTest, Sqlite) {
  auto u = ParseDatabaseUrl("sqlite:var/redress.db");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->dialect, Dialect::kSqlite);
  EXPECT_EQ(u->sqlite_path, "var/redress.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:///tmp/x.db")->sqlite_path, "/tmp/x.db");
  EXPECT_FALSE(ParseDatabaseUrl("sqlite:").ok());
  EXPECT_FALSE(ParseDatabaseUrl("sqlite:a b.db").ok());
}

TEST(DatabaseUrlTest, PostgresqlKeywordsOnly) {
  auto u = ParseDatabaseUrl("postgresql://host=127.0.0.1 port=5432 dbname=redress user=r");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->dialect, Dialect::kPostgresql);
  EXPECT_EQ(u->pg_connect, "host=127.0.0.1 port=5432 dbname=redress user=r");
  auto uri = ParseDatabaseUrl("postgresql://r@localhost/redress");
  EXPECT_EQ(uri.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(uri.status().message()), HasSubstr("libpq keywords"));
  EXPECT_FALSE(ParseDatabaseUrl("mysql://x").ok());
}

TEST(DatabaseUrlTest, DescribeNeverShowsSecrets) {
  for (const char* c : {"host=h dbname=d user=u password=hunter2",
                        "host=h password = hunter2 dbname=d",
                        "host=h sslpassword=hunter2 sslkey=/k/hunter2.key"}) {
    DatabaseUrl u;
    u.dialect = Dialect::kPostgresql;
    u.pg_connect = c;
    EXPECT_THAT(u.Describe(), Not(HasSubstr("hunter2"))) << c;
    EXPECT_THAT(u.Describe(), HasSubstr("host=h")) << c;
  }
}

}  // namespace
}  // namespace redress::store
