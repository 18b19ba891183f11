#include "server/store/database_url.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace redress::store {

std::string DatabaseUrl::Describe() const {
  if (dialect == Dialect::kSqlite) return absl::StrCat("sqlite:", sqlite_path);
  // Only keywords known to be harmless are shown: anything else (password,
  // sslkey, odd spacing such as "password = x") never reaches a log.
  std::vector<std::string> kept;
  for (absl::string_view kv : absl::StrSplit(pg_connect, ' ', absl::SkipEmpty())) {
    for (absl::string_view key : {"host=", "hostaddr=", "port=", "dbname=", "user="}) {
      if (absl::StartsWith(kv, key)) kept.emplace_back(kv);
    }
  }
  return absl::StrCat("postgresql://", absl::StrJoin(kept, " "));
}

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(absl::string_view url) {
  DatabaseUrl out;
  if (absl::ConsumePrefix(&url, "sqlite:")) {
    absl::ConsumePrefix(&url, "//");
    if (url.empty()) return absl::InvalidArgumentError("--database: sqlite: needs a file path");
    for (char c : url) {
      if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
        return absl::InvalidArgumentError("--database: the SQLite path must not contain spaces");
      }
    }
    out.dialect = Dialect::kSqlite;
    out.sqlite_path = std::string(url);
    return out;
  }
  if (absl::ConsumePrefix(&url, "postgresql://") || absl::ConsumePrefix(&url, "postgres://")) {
    if (url.find('=') == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          "--database: use libpq keywords, e.g. postgresql://host=127.0.0.1 port=5432 "
          "dbname=redress user=redress (a URI like user@host/db is not accepted)");
    }
    out.dialect = Dialect::kPostgresql;
    out.pg_connect = std::string(url);
    return out;
  }
  return absl::InvalidArgumentError(
      "--database: expected sqlite:PATH or postgresql://host=... dbname=... user=...");
}

}  // namespace redress::store
