// Running redressctl: parse, build the request, call ComplaintService, print.
#ifndef REDRESS_CLIENTS_CLI_RUN_H_
#define REDRESS_CLIENTS_CLI_RUN_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cli/flags.h"
#include "grpcpp/channel.h"
#include "redress/v1/audit_service.grpc.pb.h"
#include "redress/v1/complaint_service.grpc.pb.h"

namespace redress::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // RPC failed, --verify or audit verify found a problem
inline constexpr int kExitUsage = 2;    // bad command line (or unreadable file to verify)

// An insecure channel to `server` whose service config retries UNAVAILABLE
// calls (safe: every mutating request carries a request_id).
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& server);
// The same with the transport the options ask for: TLS (--tls-ca, and
// --tls-cert/--tls-key for mutual TLS) or plaintext. Errors when a file
// cannot be read.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const GlobalOptions& options);

// Runs a parsed, non-help invocation against `stub`; prints the result to
// `out` and errors to `err`; returns the exit code.
int Execute(const Invocation& inv, redress::v1::ComplaintService::StubInterface& stub,
            std::ostream& out, std::ostream& err);
// The same with AuditService too (`audit`, `erase`, `retention` commands);
// `audit` may be null for invocations that do not need it.
int Execute(const Invocation& inv, redress::v1::ComplaintService::StubInterface& stub,
            redress::v1::AuditService::StubInterface* audit, std::ostream& out,
            std::ostream& err);

// The whole program: `args` excludes the program name.
int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
         const EnvLookup& env);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_RUN_H_
