// Maps database exceptions to absl::Status. The only place that knows the
// backends' error codes.
//
//   connection lost, SQLITE_BUSY/LOCKED, I/O error  -> UNAVAILABLE
//   SQLITE_FULL, PostgreSQL disk full (53100)       -> RESOURCE_EXHAUSTED
//   serialization failure, deadlock, unique key     -> ABORTED (retryable)
//   anything else                                   -> INTERNAL
#ifndef REDRESS_SERVER_STORE_SQL_ERRORS_H_
#define REDRESS_SERVER_STORE_SQL_ERRORS_H_

#include <exception>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace redress::store {

struct SqlErrorInfo {
  absl::Status status;
  bool retryable = false;        // worth re-running the transaction alone
  bool connection_lost = false;  // the session must reconnect
};

// Classifies the exception currently being handled (call inside catch).
SqlErrorInfo ClassifyCurrentException(absl::string_view context);

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_SQL_ERRORS_H_
