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

// The backend's own message, first line only. Never soci_error::what(): SOCI
// appends the statement and its bound values to it, which would carry
// complainant data into status messages and logs. (PostgreSQL puts the
// offending key values on a DETAIL line, dropped here too.)
std::string Message(const soci::soci_error& e) {
  const std::string m = e.get_error_message();
  const size_t nl = m.find('\n');
  return nl == std::string::npos ? m : m.substr(0, nl);
}

bool LooksLikeLostConnection(const std::string& m) {
  return absl::StrContains(m, "server closed the connection") ||
         absl::StrContains(m, "no connection to the server") ||
         absl::StrContains(m, "connection to server") ||
         absl::StrContains(m, "terminating connection") ||
         absl::StrContains(m, "could not receive data") ||
         absl::StrContains(m, "could not send data");
}

}  // namespace

SqlErrorInfo ClassifyCurrentException(absl::string_view context) {
  SqlErrorInfo info;
  try {
    throw;
  } catch (const soci::postgresql_soci_error& e) {
    const std::string state = e.sqlstate();
    const std::string raw = Message(e);
    const std::string msg = absl::StrCat(context, ": ", raw);
    if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P") ||
        e.get_error_category() == soci::soci_error::connection_error ||
        LooksLikeLostConnection(raw)) {
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
    const std::string msg = absl::StrCat(context, ": ", Message(e));
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
    const std::string raw = Message(e);
    const std::string msg = absl::StrCat(context, ": ", raw);
    if (e.get_error_category() == soci::soci_error::connection_error ||
        LooksLikeLostConnection(raw)) {
      info.connection_lost = true;
      info.status = absl::UnavailableError(absl::StrCat("database unavailable (", msg, ")"));
    } else {
      info.status = absl::InternalError(absl::StrCat("database error (", msg, ")"));
    }
  } catch (const std::exception& e) {
    // Not a database error (e.g. bad_alloc): its text carries no bound values.
    info.status = absl::InternalError(absl::StrCat(context, ": ", e.what()));
  } catch (...) {
    info.status = absl::InternalError(absl::StrCat(context, ": unknown exception"));
  }
  return info;
}

}  // namespace redress::store
