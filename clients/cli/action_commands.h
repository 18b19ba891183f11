// Mutating ComplaintService commands registered next to their request
// builders (requests.cc, REDRESSCTL_ACTION_COMMAND): the command table
// (commands.cc) adds one command per registration, named and summarised by
// the RPC's (redress.v1.action) declaration, and run.cc calls it without a
// line of its own. The commands that existed before this registry keep their
// own entries; a new action registers here (docs/how-to-add-action.md).
//
// Thread-safety: registration happens during static initialisation; the
// registry is read-only afterwards.
#ifndef REDRESS_CLIENTS_CLI_ACTION_COMMANDS_H_
#define REDRESS_CLIENTS_CLI_ACTION_COMMANDS_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cli/flags.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "redress/v1/complaint_service.grpc.pb.h"

namespace redress::cli {

struct ActionCommand {
  std::string rpc;              // a mutating ComplaintService RPC, e.g. "TagComplaint"
  std::vector<FlagSpec> flags;  // besides --etag and --request-id
  std::function<absl::StatusOr<std::unique_ptr<google::protobuf::Message>>(const Invocation&)>
      build;
  std::function<grpc::Status(redress::v1::ComplaintService::StubInterface&, grpc::ClientContext*,
                             const google::protobuf::Message&, redress::v1::Complaint*)>
      call;
};

// Registers `command`; returns true.
bool RegisterActionCommand(ActionCommand command);

// Every registered command, in registration order.
const std::vector<ActionCommand>& ActionCommands();

// The registered command of `rpc`, or null.
const ActionCommand* FindActionCommand(const std::string& rpc);

}  // namespace redress::cli

// Registers the command of ComplaintService.Rpc: `Builder(const Invocation&)`
// returns absl::StatusOr<redress::v1::RpcRequest>; the remaining arguments
// are its FlagSpecs. Use at namespace scope in redress::cli.
#define REDRESSCTL_ACTION_COMMAND(Rpc, Builder, ...)                                         \
  [[maybe_unused]] const bool kActionCommand_##Rpc = ::redress::cli::RegisterActionCommand(  \
      ::redress::cli::ActionCommand{                                                         \
          #Rpc, std::vector<::redress::cli::FlagSpec>{__VA_ARGS__},                          \
          [](const ::redress::cli::Invocation& inv)                                          \
              -> ::absl::StatusOr<std::unique_ptr<::google::protobuf::Message>> {            \
            auto built = Builder(inv);                                                       \
            if (!built.ok()) return built.status();                                          \
            return std::make_unique<::redress::v1::Rpc##Request>(std::move(*built));         \
          },                                                                                 \
          [](::redress::v1::ComplaintService::StubInterface& stub, ::grpc::ClientContext* ctx, \
             const ::google::protobuf::Message& m, ::redress::v1::Complaint* resp) {          \
            return stub.Rpc(ctx, static_cast<const ::redress::v1::Rpc##Request&>(m), resp);  \
          }});

#endif  // REDRESS_CLIENTS_CLI_ACTION_COMMANDS_H_
