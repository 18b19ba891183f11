// The table of redressctl subcommands (one per ComplaintService RPC) and the
// help texts generated from it.
#ifndef REDRESS_CLIENTS_CLI_COMMANDS_H_
#define REDRESS_CLIENTS_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "clients/cli/flags.h"

namespace redress::cli {

inline constexpr char kDefaultServer[] = "127.0.0.1:50051";
inline constexpr double kDefaultTimeoutSeconds = 10;

// Every subcommand, in help order. Mutating commands include the --etag and
// --request-id flags.
const std::vector<CommandSpec>& Commands();

// The subcommand called `name` (e.g. "audit export"), or null.
const CommandSpec* FindCommand(const std::string& name);

// Words that start a two-word command: "audit", "retention".
bool IsCommandGroup(const std::string& word);
// "export, verify, ..." -- the subcommands of a group, for messages.
std::string GroupSubcommands(const std::string& group);

// `redressctl --help`.
std::string GlobalHelp();

// `redressctl <command> --help`.
std::string CommandHelp(const CommandSpec& command);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_COMMANDS_H_
