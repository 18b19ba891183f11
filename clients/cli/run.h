// Running redressctl: parse, build the request, call ComplaintService, print.
#ifndef REDRESS_CLIENTS_CLI_RUN_H_
#define REDRESS_CLIENTS_CLI_RUN_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "clients/cli/flags.h"
#include "grpcpp/channel.h"
#include "redress/v1/complaint_service.grpc.pb.h"

namespace redress::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // RPC failed, or --verify found a broken chain
inline constexpr int kExitUsage = 2;    // bad command line; no RPC was made

// An insecure channel to `server` whose service config retries UNAVAILABLE
// calls (safe: every mutating request carries a request_id).
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& server);

// Runs a parsed, non-help invocation against `stub`; prints the result to
// `out` and errors to `err`; returns the exit code.
int Execute(const Invocation& inv, redress::v1::ComplaintService::StubInterface& stub,
            std::ostream& out, std::ostream& err);

// The whole program: `args` excludes the program name.
int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
         const EnvLookup& env);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_RUN_H_
