// Opening SOCI sessions with each dialect's settings, and running migration
// scripts. Sessions are not thread-safe: one thread uses one at a time.
#ifndef REDRESS_SERVER_STORE_DB_SESSION_H_
#define REDRESS_SERVER_STORE_DB_SESSION_H_

#include <soci/soci.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/database_url.h"

namespace redress::store {

// Opens a session. SQLite: WAL journal, synchronous=FULL, foreign keys on,
// temporary files (savepoint journals, sorts) in memory, busy timeout 5 s
// (creates the file and its directory if missing).
// PostgreSQL: synchronous_commit=on for this session. UNAVAILABLE when the
// database cannot be reached.
absl::StatusOr<std::unique_ptr<soci::session>> OpenSession(const DatabaseUrl& url);

// Re-applies the per-connection settings after soci::session::reconnect().
absl::Status ConfigureSession(soci::session& s, Dialect dialect);

// Runs a multi-statement SQL script (a migration) on the session as is, using
// the backend's own script execution (sqlite3_exec / PQexec).
absl::Status ExecScript(soci::session& s, Dialect dialect, const std::string& script);

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_DB_SESSION_H_
