#include "clients/cli/action_commands.h"

namespace redress::cli {
namespace {

std::vector<ActionCommand>& Registry() {
  static auto* registry = new std::vector<ActionCommand>();
  return *registry;
}

}  // namespace

bool RegisterActionCommand(ActionCommand command) {
  Registry().push_back(std::move(command));
  return true;
}

const std::vector<ActionCommand>& ActionCommands() { return Registry(); }

const ActionCommand* FindActionCommand(const std::string& rpc) {
  for (const ActionCommand& c : Registry()) {
    if (c.rpc == rpc) return &c;
  }
  return nullptr;
}

}  // namespace redress::cli
