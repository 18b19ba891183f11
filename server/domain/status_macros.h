// Small status helpers (this Abseil predates ABSL_*_OR_RETURN).
#ifndef REDRESS_SERVER_DOMAIN_STATUS_MACROS_H_
#define REDRESS_SERVER_DOMAIN_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns the status of `expr` from the enclosing function if it is not OK.
#define REDRESS_RETURN_IF_ERROR(expr)           \
  do {                                          \
    const ::absl::Status _redress_st = (expr);  \
    if (!_redress_st.ok()) return _redress_st;  \
  } while (0)

#define REDRESS_CONCAT_INNER_(a, b) a##b
#define REDRESS_CONCAT_(a, b) REDRESS_CONCAT_INNER_(a, b)

// `REDRESS_ASSIGN_OR_RETURN(auto x, StatusOrExpr());` declares/assigns the
// value or returns the error from the enclosing function.
#define REDRESS_ASSIGN_OR_RETURN(lhs, expr) \
  REDRESS_ASSIGN_OR_RETURN_IMPL_(REDRESS_CONCAT_(_redress_so_, __LINE__), lhs, expr)
#define REDRESS_ASSIGN_OR_RETURN_IMPL_(so, lhs, expr) \
  auto so = (expr);                                   \
  if (!so.ok()) return so.status();                   \
  lhs = std::move(so).value()

#endif  // REDRESS_SERVER_DOMAIN_STATUS_MACROS_H_
