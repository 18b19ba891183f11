// Command-line parsing for redressctl: global options, subcommand flags and
// positional arguments. Pure (no I/O, no gRPC); everything reported as an
// absl::Status is a usage error (exit code 2, no RPC made).
#ifndef REDRESS_CLIENTS_CLI_FLAGS_H_
#define REDRESS_CLIENTS_CLI_FLAGS_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace redress::cli {

// One flag of a subcommand, spelled `--name`.
struct FlagSpec {
  std::string name;         // without the leading dashes
  std::string value_name;   // e.g. "TEXT"; empty for a boolean switch
  std::string help;
  bool required = false;
  bool repeatable = false;

  bool is_switch() const { return value_name.empty(); }
};

// A positional argument other than a complaint NAME (e.g. FILE).
struct ArgSpec {
  std::string name;  // e.g. "FILE"
  std::string help;
};

// A subcommand: one RPC of ComplaintService or AuditService, or an offline
// command (rpc empty). Names of grouped commands hold a space
// ("audit export"); see kCommandGroups.
struct CommandSpec {
  CommandSpec(std::string name, std::string rpc, std::string summary, std::string positional,
              bool mutating, std::vector<FlagSpec> flags)
      : name(std::move(name)), rpc(std::move(rpc)), summary(std::move(summary)),
        positional(std::move(positional)), mutating(mutating), flags(std::move(flags)) {}

  std::string name;          // e.g. "resolve-dispute", "audit verify"
  std::string rpc;           // e.g. "ResolveDispute"; empty for offline commands
  std::string summary;       // one line
  std::string positional;    // "NAME" when the command takes a complaint name
  bool mutating = false;     // takes --etag and --request-id
  std::vector<FlagSpec> flags;
  std::string service = "ComplaintService";  // the service of `rpc`; empty when offline
  std::vector<ArgSpec> args;                 // required positional arguments, in order

  const FlagSpec* FindFlag(const std::string& flag) const;
};

enum class OutputFormat { kTable, kJson };

struct GlobalOptions {
  std::string server;
  std::string actor;
  OutputFormat output = OutputFormat::kTable;
  double timeout_seconds = 10;
  // Bearer token sent as "authorization: Bearer <token>" (empty: none).
  std::string token;
  // TLS: the CA that signed the server's certificate (empty: system roots),
  // and a client certificate and key for mutual TLS. TLS is used when any
  // of them is set.
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  bool tls() const { return !tls_ca.empty() || !tls_cert.empty(); }
};

// The parsed command line.
struct Invocation {
  GlobalOptions globals;
  // The subcommand; null when none was given (or for `--help` alone).
  const CommandSpec* command = nullptr;
  // True when --help / -h / `help` was given: print help, make no RPC.
  bool help = false;
  // True when --version was given: print the version line, make no RPC.
  bool version = false;
  // The complaint's resource name (`complaints/ID`), normalised; empty for
  // commands without a NAME argument.
  std::string name;
  // The positional arguments of commands with CommandSpec::args, in order.
  std::vector<std::string> args;
  // Subcommand flag values by flag name (switches hold "true"/"false"), in
  // the order given.
  std::map<std::string, std::vector<std::string>> values;

  // The last value of `flag`, if given.
  std::optional<std::string> Value(const std::string& flag) const;
  // Every value of a repeatable flag, in order.
  std::vector<std::string> Values(const std::string& flag) const;
  // Whether the switch `flag` is on.
  bool Switch(const std::string& flag) const;
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
// The process environment (std::getenv).
EnvLookup ProcessEnv();

// Parses argv without the program name. Global flags (--server, --actor,
// --output, --timeout, --help) may come before or after the subcommand;
// every flag accepts `--flag value` and `--flag=value`; `--` ends the flags.
// Errors name the offending flag or argument.
absl::StatusOr<Invocation> ParseCommandLine(const std::vector<std::string>& args,
                                            const EnvLookup& env);

// `complaints/ID` stays as it is; a bare `ID` becomes `complaints/ID`.
// Anything else (empty, other collections, nested paths) is an error.
absl::StatusOr<std::string> NormalizeComplaintName(const std::string& arg);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_FLAGS_H_
