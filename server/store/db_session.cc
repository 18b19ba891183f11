#include "server/store/db_session.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/store/sql_errors.h"

namespace redress::store {
namespace {

// libpq settings that detect a dead server or network instead of waiting for
// ever, unless the operator set them in --database.
std::string WithConnectionDefaults(const std::string& connect) {
  std::string out = connect;
  for (const char* kv : {"connect_timeout=10", "keepalives=1", "keepalives_idle=30",
                         "keepalives_interval=10", "keepalives_count=3"}) {
    const std::string key = std::string(kv).substr(0, std::string(kv).find('=') + 1);
    if (out.find(key) == std::string::npos) absl::StrAppend(&out, " ", kv);
  }
  return out;
}

}  // namespace

absl::Status ConfigureSession(soci::session& s, Dialect dialect) {
  try {
    if (dialect == Dialect::kSqlite) {
      std::string mode;
      s << "PRAGMA journal_mode=WAL", soci::into(mode);
      if (absl::AsciiStrToLower(mode) != "wal") {
        return absl::FailedPreconditionError(absl::StrCat(
            "SQLite could not switch to WAL journaling (journal_mode is ", mode,
            "); put the database on a local filesystem"));
      }
      s << "PRAGMA synchronous=FULL";
      s << "PRAGMA foreign_keys=ON";
      s << "PRAGMA busy_timeout=5000";
      // Savepoint sub-journals (one savepoint per group-committed write) in
      // memory: SQLite otherwise spills them to a temporary file past 64 KiB,
      // a pwrite per page, on the committer's thread (bench/RESULTS.md). They
      // only serve ROLLBACK TO within the open transaction; crash recovery
      // uses the WAL, so durability is unchanged.
      s << "PRAGMA temp_store=MEMORY";
    } else {
      // Durable commits, and no unbounded waits: a stuck lock holder or a
      // forgotten transaction must not stall the single committer forever.
      s << "SET synchronous_commit TO on";
      s << "SET lock_timeout TO '10s'";
      s << "SET statement_timeout TO '60s'";
      s << "SET idle_in_transaction_session_timeout TO '60s'";
    }
    return absl::OkStatus();
  } catch (...) {
    return ClassifyCurrentException("configuring the database session").status;
  }
}

absl::StatusOr<std::unique_ptr<soci::session>> OpenSession(const DatabaseUrl& url) {
  auto s = std::make_unique<soci::session>();
  try {
    if (url.dialect == Dialect::kSqlite) {
      const std::filesystem::path p(url.sqlite_path);
      if (p.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(p.parent_path(), ec);
      }
      s->open(soci::sqlite3, absl::StrCat("db=", url.sqlite_path));
    } else {
      s->open(soci::postgresql, WithConnectionDefaults(url.pg_connect));
    }
  } catch (...) {
    SqlErrorInfo info = ClassifyCurrentException(absl::StrCat("opening ", url.Describe()));
    return absl::UnavailableError(info.status.message());
  }
  if (auto st = ConfigureSession(*s, url.dialect); !st.ok()) return st;
  return s;
}

absl::Status ExecScript(soci::session& s, Dialect dialect, const std::string& script) {
  if (dialect == Dialect::kSqlite) {
    auto* be = static_cast<soci::sqlite3_session_backend*>(s.get_backend());
    char* err = nullptr;
    const int rc = ::sqlite_api::sqlite3_exec(be->conn_, script.c_str(), nullptr, nullptr, &err);
    if (rc != 0) {
      std::string msg = err ? err : "unknown error";
      ::sqlite_api::sqlite3_free(err);
      return absl::InternalError(absl::StrCat("migration script failed: ", msg));
    }
    return absl::OkStatus();
  }
  auto* be = static_cast<soci::postgresql_session_backend*>(s.get_backend());
  PGresult* res = PQexec(be->conn_, script.c_str());
  const ExecStatusType st = PQresultStatus(res);
  std::string msg = PQresultErrorMessage(res);
  PQclear(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return absl::InternalError(absl::StrCat("migration script failed: ", msg));
  }
  return absl::OkStatus();
}

}  // namespace redress::store
