// Versioned schema migrations (db/<dialect>/NNNN_name.sql, compiled in).
#ifndef REDRESS_SERVER_STORE_MIGRATIONS_H_
#define REDRESS_SERVER_STORE_MIGRATIONS_H_

#include <soci/soci.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/database_url.h"

namespace redress::store {

struct EmbeddedMigration {
  const char* dialect;  // "sqlite" or "postgresql"
  int version;
  const char* name;
  const char* sql;
};
extern const EmbeddedMigration kEmbeddedMigrations[];
extern const int kEmbeddedMigrationCount;

// Highest version this binary knows for `dialect`.
int LatestSchemaVersion(Dialect dialect);

// Brings the database to LatestSchemaVersion(): each pending migration and
// its schema_migrations row commit in one transaction (concurrent migrators
// serialise: SQLite's write lock, a PostgreSQL advisory lock). Returns the
// resulting version. FAILED_PRECONDITION when the database's version is newer
// than this binary knows; UNAVAILABLE/INTERNAL on database errors.
absl::StatusOr<int> MigrateToLatest(soci::session& s, Dialect dialect, absl::Time now);

// As MigrateToLatest, but stops at `target` (tests of upgrades from old
// schema versions).
absl::StatusOr<int> MigrateTo(soci::session& s, Dialect dialect, int target, absl::Time now);

// The database's current schema version (0 for an empty database).
absl::StatusOr<int> CurrentSchemaVersion(soci::session& s);

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_MIGRATIONS_H_
