#include "server/store/migrations.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/store/db_session.h"
#include "server/store/sql.h"
#include "server/store/sql_errors.h"

namespace redress::store {
namespace {

const char* DialectName(Dialect d) { return d == Dialect::kSqlite ? "sqlite" : "postgresql"; }

std::vector<const EmbeddedMigration*> MigrationsFor(Dialect d) {
  std::vector<const EmbeddedMigration*> out;
  for (int i = 0; i < kEmbeddedMigrationCount; ++i) {
    if (std::strcmp(kEmbeddedMigrations[i].dialect, DialectName(d)) == 0) {
      out.push_back(&kEmbeddedMigrations[i]);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto* a, const auto* b) { return a->version < b->version; });
  return out;
}

}  // namespace

int LatestSchemaVersion(Dialect dialect) {
  auto all = MigrationsFor(dialect);
  return all.empty() ? 0 : all.back()->version;
}

absl::StatusOr<int> CurrentSchemaVersion(soci::session& s) {
  try {
    s << sql::kCreateMigrationsTable;
    int v = 0;
    s << sql::kSchemaVersion, soci::into(v);
    return v;
  } catch (...) {
    return ClassifyCurrentException("reading the schema version").status;
  }
}

absl::StatusOr<int> MigrateToLatest(soci::session& s, Dialect dialect, absl::Time now) {
  return MigrateTo(s, dialect, LatestSchemaVersion(dialect), now);
}

absl::StatusOr<int> MigrateTo(soci::session& s, Dialect dialect, int target, absl::Time now) {
  const auto migrations = MigrationsFor(dialect);
  const int latest = LatestSchemaVersion(dialect);
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i]->version != static_cast<int>(i) + 1) {
      return absl::InternalError("embedded migrations are not numbered 1..n without gaps");
    }
  }
  for (;;) {
    int current = 0;
    try {
      // Everything under the write lock (SQLite) or advisory lock
      // (PostgreSQL), so replicas starting together migrate one at a time.
      s << sql::BeginWrite(dialect);
      if (dialect == Dialect::kPostgresql) s << sql::kPgMigrationLock;
      s << sql::kCreateMigrationsTable;
      s << sql::kSchemaVersion, soci::into(current);
    } catch (...) {
      try { s << sql::kRollback; } catch (...) {}
      return ClassifyCurrentException("reading the schema version").status;
    }
    if (current > latest) {
      try { s << sql::kRollback; } catch (...) {}
      return absl::FailedPreconditionError(absl::StrCat(
          "the database schema is at version ", current, " but this redressd knows only up to ",
          latest, "; run a newer redressd (refusing to touch a newer schema)"));
    }
    if (current >= target) {
      try { s << sql::kCommit; } catch (...) {}
      return current;
    }
    const EmbeddedMigration* m = migrations[current];  // version current + 1
    absl::Status st = ExecScript(s, dialect, m->sql);
    if (st.ok()) {
      try {
        const int version = m->version;
        const std::string name = m->name;
        const long long t = absl::ToUnixMicros(now);
        s << sql::kInsertMigration, soci::use(version), soci::use(name), soci::use(t);
        s << sql::kCommit;
        continue;
      } catch (...) {
        st = ClassifyCurrentException(absl::StrCat("recording migration ", m->version)).status;
      }
    }
    try { s << sql::kRollback; } catch (...) {}
    return absl::Status(st.code(), absl::StrCat("migration ", m->version, " (", m->name,
                                                ") failed and was rolled back: ", st.message()));
  }
}

}  // namespace redress::store
