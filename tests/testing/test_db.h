// Hermetic databases for tests.
//
// SQLite: a fresh file in a fresh temporary directory, removed afterwards.
// PostgreSQL: a fresh database on the server named by the environment
// variable REDRESS_TEST_PG (libpq keywords, e.g. "host=127.0.0.1 port=5433
// user=postgres"), dropped afterwards. scripts/with-postgres.sh starts such a
// throwaway server for `make test`. When REDRESS_TEST_PG is unset, PostgreSQL
// cases are skipped -- unless REDRESS_REQUIRE_PG=1 (set by `make test`), in
// which case they fail, so they can never be skipped silently in CI.
#ifndef REDRESS_TESTS_TESTING_TEST_DB_H_
#define REDRESS_TESTS_TESTING_TEST_DB_H_

#include <string>
#include <vector>

#include "server/store/database_url.h"

namespace redress::testing {

enum class Backend { kSqlite, kPostgresql };

std::string BackendName(Backend b);

// The backends to run parameterised store tests on: SQLite always,
// PostgreSQL always too (a missing server is then reported by TestDatabase).
std::vector<Backend> AllBackends();

class TestDatabase {
 public:
  explicit TestDatabase(Backend backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // False when the backend is unavailable (the test should GTEST_SKIP with
  // skip_reason(); a required-but-missing server has already failed it).
  bool available() const { return available_; }
  const std::string& skip_reason() const { return skip_reason_; }
  const store::DatabaseUrl& url() const { return url_; }
  // The --database flag value for this database.
  std::string flag() const;

 private:
  Backend backend_;
  bool available_ = false;
  std::string skip_reason_;
  std::string dir_;      // SQLite temp dir
  std::string pg_base_;  // PostgreSQL server connect string (no dbname)
  std::string pg_db_;    // created database name
  store::DatabaseUrl url_;
};

// Creates a unique temporary directory (removed by the caller).
std::string MakeTempDir();

}  // namespace redress::testing

// In a test body: skip (or fail, see above) when the backend is missing.
#define REDRESS_REQUIRE_DB(db)                              \
  do {                                                      \
    if (!(db).available()) GTEST_SKIP() << (db).skip_reason(); \
  } while (0)

#endif  // REDRESS_TESTS_TESTING_TEST_DB_H_
