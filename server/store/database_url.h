// Parsing of the --database flag.
//   sqlite:PATH                       SQLite file (created if missing)
//   postgresql://host=H port=P dbname=D user=U [password=..] [other libpq keys]
#ifndef REDRESS_SERVER_STORE_DATABASE_URL_H_
#define REDRESS_SERVER_STORE_DATABASE_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace redress::store {

enum class Dialect { kSqlite, kPostgresql };

struct DatabaseUrl {
  Dialect dialect = Dialect::kSqlite;
  std::string sqlite_path;      // kSqlite
  std::string pg_connect;       // kPostgresql: libpq keyword/value string
  std::string Describe() const;  // for logs: never includes a password
};

// INVALID_ARGUMENT with a usage hint for anything else (including URIs of
// the form postgresql://user@host/db, which SOCI does not accept).
absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(absl::string_view url);

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_DATABASE_URL_H_
