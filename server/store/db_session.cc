#include "server/store/db_session.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "server/store/sql_errors.h"

namespace redress::store {

absl::Status ConfigureSession(soci::session& s, Dialect dialect) {
  try {
    if (dialect == Dialect::kSqlite) {
      std::string mode;
      s << "PRAGMA journal_mode=WAL", soci::into(mode);
      s << "PRAGMA synchronous=FULL";
      s << "PRAGMA foreign_keys=ON";
      s << "PRAGMA busy_timeout=5000";
    } else {
      s << "SET synchronous_commit TO on";
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
      s->open(soci::sqlite3, absl::StrCat("db=", url.sqlite_path, " timeout=5"));
    } else {
      s->open(soci::postgresql, url.pg_connect);
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
