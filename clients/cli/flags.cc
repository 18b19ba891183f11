#include "clients/cli/flags.h"

#include <cmath>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/commands.h"

namespace redress::cli {
namespace {

constexpr char kComplaintsPrefix[] = "complaints/";

bool IsGlobalValueFlag(const std::string& name) {
  return name == "server" || name == "actor" || name == "output" || name == "timeout" ||
         name == "token" || name == "tls-ca" || name == "tls-cert" || name == "tls-key";
}

absl::StatusOr<bool> ParseBool(const std::string& flag, const std::string& text) {
  std::string v = absl::AsciiStrToLower(text);
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value \"", text, "\" for --", flag, ": expected true or false"));
}

bool IsPrintableAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string CommandLabel(const CommandSpec* command) {
  return command == nullptr ? std::string() : absl::StrCat(" for '", command->name, "'");
}

}  // namespace

const FlagSpec* CommandSpec::FindFlag(const std::string& flag) const {
  for (const FlagSpec& f : flags) {
    if (f.name == flag) return &f;
  }
  return nullptr;
}

std::optional<std::string> Invocation::Value(const std::string& flag) const {
  auto it = values.find(flag);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Invocation::Values(const std::string& flag) const {
  auto it = values.find(flag);
  if (it == values.end()) return {};
  return it->second;
}

bool Invocation::Switch(const std::string& flag) const {
  std::optional<std::string> v = Value(flag);
  return v.has_value() && *v == "true";
}

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

absl::StatusOr<std::string> NormalizeComplaintName(const std::string& arg) {
  std::string id = arg;
  if (absl::StartsWith(arg, kComplaintsPrefix)) id = arg.substr(sizeof(kComplaintsPrefix) - 1);
  if (id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid complaint name \"", arg, "\": expected complaints/ID or ID"));
  }
  if (id.find('/') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid complaint name \"", arg, "\": expected complaints/ID or ID"));
  }
  return absl::StrCat(kComplaintsPrefix, id);
}

absl::StatusOr<Invocation> ParseCommandLine(const std::vector<std::string>& args,
                                            const EnvLookup& env) {
  Invocation inv;
  auto env_value = [&env](const std::string& name) -> std::optional<std::string> {
    if (!env) return std::nullopt;
    std::optional<std::string> v = env(name);
    if (v.has_value() && v->empty()) return std::nullopt;
    return v;
  };
  std::string server = env_value("REDRESS_SERVER").value_or(kDefaultServer);
  std::string actor =
      env_value("REDRESS_ACTOR").value_or(env_value("USER").value_or("cli"));
  std::string output = "table";
  std::optional<std::string> timeout;
  std::string token = env_value("REDRESS_TOKEN").value_or("");
  std::string tls_ca, tls_cert, tls_key;
  bool help_command = false;  // `redressctl help [COMMAND]`
  std::string group;           // "audit" / "retention" given, subcommand pending
  std::vector<std::string> positionals;

  // A usage error; --help anywhere on the line still wins.
  auto fail = [&](absl::Status status) -> absl::StatusOr<Invocation> {
    for (const std::string& a : args) {
      if (a == "--help" || a == "-h") {
        inv.help = true;
        return inv;
      }
    }
    return status;
  };

  bool end_of_flags = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& tok = args[i];
    if (end_of_flags || tok.size() < 2 || tok[0] != '-') {
      if (inv.command == nullptr) {
        if (!help_command && tok == "help") {
          help_command = true;
          inv.help = true;
          continue;
        }
        if (group.empty() && IsCommandGroup(tok)) {
          group = tok;
          continue;
        }
        const std::string full = group.empty() ? tok : absl::StrCat(group, " ", tok);
        inv.command = FindCommand(full);
        if (inv.command == nullptr) {
          return fail(absl::InvalidArgumentError(absl::StrCat("unknown command \"", full, "\"")));
        }
      } else {
        positionals.push_back(tok);
      }
      continue;
    }
    if (tok == "--") {
      end_of_flags = true;
      continue;
    }
    if (tok == "--help" || tok == "-h") {
      inv.help = true;
      continue;
    }
    if (tok == "--version" && inv.command == nullptr) {
      inv.version = true;
      continue;
    }
    if (!absl::StartsWith(tok, "--")) {
      return fail(absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", tok, CommandLabel(inv.command))));
    }
    std::string name = tok.substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = inv.command == nullptr ? nullptr : inv.command->FindFlag(name);
    bool global = IsGlobalValueFlag(name);
    if (!global && spec == nullptr) {
      if (name == "help") {  // --help=...
        inv.help = true;
        continue;
      }
      if (inv.command == nullptr) {
        return fail(absl::InvalidArgumentError(absl::StrCat(
            "unknown flag --", name, " (command flags go after the command)")));
      }
      return fail(absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, CommandLabel(inv.command))));
    }
    std::string value;
    if (spec != nullptr && spec->is_switch()) {
      if (inline_value.has_value()) {
        absl::StatusOr<bool> b = ParseBool(name, *inline_value);
        if (!b.ok()) return fail(b.status());
        value = *b ? "true" : "false";
      } else {
        value = "true";
      }
    } else if (inline_value.has_value()) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return fail(absl::InvalidArgumentError(absl::StrCat("flag --", name, " requires a value")));
    }
    if (global) {
      if (name == "server") server = value;
      if (name == "actor") actor = value;
      if (name == "output") output = value;
      if (name == "timeout") timeout = value;
      if (name == "token") token = value;
      if (name == "tls-ca") tls_ca = value;
      if (name == "tls-cert") tls_cert = value;
      if (name == "tls-key") tls_key = value;
      continue;
    }
    std::vector<std::string>& slot = inv.values[name];
    if (!spec->repeatable) slot.clear();  // the last one wins
    slot.push_back(std::move(value));
  }

  if (inv.help || inv.version) {
    // `help COMMAND` names the command as a positional (already looked up);
    // anything else is ignored when help (or the version) is asked for.
    return inv;
  }

  // Global options.
  if (server.empty()) return absl::InvalidArgumentError("--server must not be empty");
  inv.globals.server = server;
  if (!IsPrintableAscii(actor)) {
    return absl::InvalidArgumentError("--actor must be printable ASCII");
  }
  inv.globals.actor = actor;
  std::string out_lower = absl::AsciiStrToLower(output);
  if (out_lower == "table") {
    inv.globals.output = OutputFormat::kTable;
  } else if (out_lower == "json") {
    inv.globals.output = OutputFormat::kJson;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid value \"", output, "\" for --output: expected table or json"));
  }
  if (!IsPrintableAscii(token)) {
    return absl::InvalidArgumentError("--token must be printable ASCII");
  }
  inv.globals.token = token;
  if (tls_cert.empty() != tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  inv.globals.tls_ca = tls_ca;
  inv.globals.tls_cert = tls_cert;
  inv.globals.tls_key = tls_key;
  inv.globals.timeout_seconds = kDefaultTimeoutSeconds;
  if (timeout.has_value()) {
    double t = 0;
    if (!absl::SimpleAtod(*timeout, &t) || !std::isfinite(t) || t <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value \"", *timeout, "\" for --timeout: expected a positive number of seconds"));
    }
    inv.globals.timeout_seconds = t;
  }

  if (inv.command == nullptr && !group.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing subcommand for '", group, "': ", GroupSubcommands(group)));
  }
  if (inv.command == nullptr) return absl::InvalidArgumentError("no command given");

  // Positional argument.
  const CommandSpec& cmd = *inv.command;
  if (!cmd.positional.empty()) {
    if (positionals.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing argument ", cmd.positional, " for '", cmd.name, "'"));
    }
    absl::StatusOr<std::string> name = NormalizeComplaintName(positionals[0]);
    if (!name.ok()) return name.status();
    inv.name = *name;
  }
  if (!cmd.args.empty()) {
    if (positionals.size() < cmd.args.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "missing argument ", cmd.args[positionals.size()].name, " for '", cmd.name, "'"));
    }
    for (size_t i = 0; i < cmd.args.size(); ++i) {
      if (positionals[i].empty()) {
        return absl::InvalidArgumentError(absl::StrCat("empty argument ", cmd.args[i].name,
                                                       " for '", cmd.name, "'"));
      }
      inv.args.push_back(positionals[i]);
    }
  }
  size_t allowed = cmd.args.size() + (cmd.positional.empty() ? 0 : 1);
  if (positionals.size() > allowed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unexpected argument \"", positionals[allowed], "\" for '", cmd.name, "'"));
  }

  // Required flags.
  for (const FlagSpec& f : cmd.flags) {
    if (f.required && !inv.values.contains(f.name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing required flag --", f.name, " for '", cmd.name, "'"));
    }
  }
  return inv;
}

}  // namespace redress::cli
