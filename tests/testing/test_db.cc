#include "tests/testing/test_db.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "server/domain/ids.h"

namespace redress::testing {

std::string BackendName(Backend b) { return b == Backend::kSqlite ? "Sqlite" : "Postgresql"; }

std::vector<Backend> AllBackends() { return {Backend::kSqlite, Backend::kPostgresql}; }

std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "redress-test-XXXXXX").string();
  char* d = mkdtemp(tmpl.data());
  if (d == nullptr) ADD_FAILURE() << "mkdtemp failed";
  return tmpl;
}

TestDatabase::TestDatabase(Backend backend) : backend_(backend) {
  if (backend == Backend::kSqlite) {
    dir_ = MakeTempDir();
    url_.dialect = store::Dialect::kSqlite;
    url_.sqlite_path = dir_ + "/redress.db";
    available_ = true;
    return;
  }
  const char* base = std::getenv("REDRESS_TEST_PG");
  if (base == nullptr || *base == '\0') {
    const char* required = std::getenv("REDRESS_REQUIRE_PG");
    skip_reason_ = "REDRESS_TEST_PG is not set (run through scripts/with-postgres.sh)";
    if (required != nullptr && std::string(required) == "1") {
      ADD_FAILURE() << "PostgreSQL tests are required (REDRESS_REQUIRE_PG=1) but " << skip_reason_;
    }
    return;
  }
  pg_base_ = base;
  pg_db_ = "redress_t_" + domain::RandomHex(6);
  try {
    soci::session admin(soci::postgresql, absl::StrCat(pg_base_, " dbname=postgres"));
    admin << absl::StrCat("CREATE DATABASE ", pg_db_);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot create PostgreSQL test database: " << e.what();
    skip_reason_ = e.what();
    return;
  }
  url_.dialect = store::Dialect::kPostgresql;
  url_.pg_connect = absl::StrCat(pg_base_, " dbname=", pg_db_);
  available_ = true;
}

TestDatabase::~TestDatabase() {
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (!pg_db_.empty() && available_) {
    try {
      soci::session admin(soci::postgresql, absl::StrCat(pg_base_, " dbname=postgres"));
      admin << absl::StrCat("DROP DATABASE IF EXISTS ", pg_db_, " WITH (FORCE)");
    } catch (const std::exception&) {
      // The throwaway server is removed after the run anyway.
    }
  }
}

std::string TestDatabase::flag() const {
  return url_.dialect == store::Dialect::kSqlite ? absl::StrCat("sqlite:", url_.sqlite_path)
                                                 : absl::StrCat("postgresql://", url_.pg_connect);
}

}  // namespace redress::testing
