#include "server/store/sql_errors.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace redress::store {
namespace {

// SQLite primary result codes (sqlite3.h), low byte of extended codes.
constexpr int kSqliteBusy = 5, kSqliteLocked = 6, kSqliteIoErr = 10, kSqliteCorrupt = 11,
              kSqliteFull = 13, kSqliteCantOpen = 14, kSqliteConstraint = 19,
              kSqliteReadonly = 8;

std::string FirstLine(const std::string& s) {
  const size_t nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}

}  // namespace

SqlErrorInfo ClassifyCurrentException(absl::string_view context) {
  SqlErrorInfo info;
  try {
    throw;
  } catch (const soci::postgresql_soci_error& e) {
    const std::string state = e.sqlstate();
    const std::string msg = absl::StrCat(context, ": ", FirstLine(e.what()));
    if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P") ||
        e.get_error_category() == soci::soci_error::connection_error) {
      info.connection_lost = true;
      info.status = absl::UnavailableError(absl::StrCat("database unavailable (", msg, ")"));
    } else if (state == "40001" || state == "40P01" || state == "23505" || state == "55P03") {
      info.retryable = true;
      info.status = absl::AbortedError(absl::StrCat("transaction conflict (", msg, ")"));
    } else if (state == "53100") {
      info.status = absl::ResourceExhaustedError(absl::StrCat("database disk full (", msg, ")"));
    } else if (absl::StartsWith(state, "53")) {
      info.status = absl::UnavailableError(absl::StrCat("database out of resources (", msg, ")"));
    } else {
      info.status = absl::InternalError(absl::StrCat("database error ", state, " (", msg, ")"));
    }
  } catch (const soci::sqlite3_soci_error& e) {
    const int rc = e.result() & 0xff;
    const std::string msg = absl::StrCat(context, ": ", FirstLine(e.what()));
    switch (rc) {
      case kSqliteBusy:
      case kSqliteLocked:
        info.retryable = true;
        info.status = absl::UnavailableError(absl::StrCat("database busy (", msg, ")"));
        break;
      case kSqliteFull:
        info.status = absl::ResourceExhaustedError(absl::StrCat("database disk full (", msg, ")"));
        break;
      case kSqliteIoErr:
      case kSqliteCantOpen:
      case kSqliteReadonly:
        info.connection_lost = true;
        info.status = absl::UnavailableError(absl::StrCat("database I/O error (", msg, ")"));
        break;
      case kSqliteCorrupt:
        info.status = absl::DataLossError(absl::StrCat("database corrupt (", msg, ")"));
        break;
      case kSqliteConstraint:
        info.status = absl::InternalError(absl::StrCat("constraint violated (", msg, ")"));
        break;
      default:
        info.status = absl::InternalError(absl::StrCat("database error ", e.result(), " (", msg, ")"));
    }
  } catch (const soci::soci_error& e) {
    const std::string msg = absl::StrCat(context, ": ", FirstLine(e.what()));
    if (e.get_error_category() == soci::soci_error::connection_error ||
        absl::StrContains(e.what(), "connection") || absl::StrContains(e.what(), "Connection")) {
      info.connection_lost = true;
      info.status = absl::UnavailableError(absl::StrCat("database unavailable (", msg, ")"));
    } else {
      info.status = absl::InternalError(absl::StrCat("database error (", msg, ")"));
    }
  } catch (const std::exception& e) {
    info.status = absl::InternalError(absl::StrCat(context, ": ", e.what()));
  } catch (...) {
    info.status = absl::InternalError(absl::StrCat(context, ": unknown exception"));
  }
  return info;
}

}  // namespace redress::store
