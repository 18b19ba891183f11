#include "clients/cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/action_commands.h"
#include "server/domain/action_rules.h"

namespace redress::cli {
namespace {

constexpr char kChannels[] = "WEB|EMAIL|PHONE|CHAT|SOCIAL_MEDIA|IN_PERSON|LETTER|API";
constexpr char kLevels[] = "LOW|MEDIUM|HIGH|CRITICAL";

FlagSpec Value(std::string name, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), std::move(value_name), std::move(help), false, false};
}
FlagSpec Required(std::string name, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), std::move(value_name), std::move(help), true, false};
}
FlagSpec Repeated(std::string name, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), std::move(value_name), std::move(help), false, true};
}
FlagSpec Switch(std::string name, std::string help) {
  return FlagSpec{std::move(name), "", std::move(help), false, false};
}

FlagSpec RequestIdFlag() {
  return Value("request-id", "UUID",
               "Idempotency key (default: a new random UUID v4 per invocation)");
}

// The command of `service`.`rpc`, named and summarised by the RPC's
// (redress.v1.action) declaration (cli_verb, cli_help).
CommandSpec Declared(const std::string& service, const std::string& rpc, std::string positional,
                     bool mutating, std::vector<FlagSpec> flags) {
  const domain::DeclaredRpc* d = domain::FindDeclaredRpc("redress.v1." + service, rpc);
  if (d == nullptr || d->rule.cli_verb().empty()) {
    std::fprintf(stderr, "redressctl: %s.%s declares no cli_verb\n", service.c_str(), rpc.c_str());
    std::abort();
  }
  CommandSpec c{d->rule.cli_verb(), rpc, d->rule.cli_help(), std::move(positional), mutating,
                std::move(flags)};
  c.service = service;
  return c;
}

// A mutating command on one complaint: NAME plus --etag and --request-id.
CommandSpec Mutating(const std::string& rpc, std::vector<FlagSpec> flags,
                     const std::string& service = "ComplaintService") {
  flags.push_back(Value("etag", "ETAG", "Only apply if the complaint's etag is still ETAG"));
  flags.push_back(RequestIdFlag());
  return Declared(service, rpc, "NAME", true, std::move(flags));
}

// The flags that select the complaints of GetComplaintStatistics.
std::vector<FlagSpec> StatisticsFilterFlags() {
  return {
      Value("from", "TIME", "Complaints received at or after TIME (RFC 3339)"),
      Value("to", "TIME", "Complaints received before TIME (RFC 3339)"),
      Value("category", "TEXT", "Only complaints of this category"),
      Value("channel", "CHANNEL",
            absl::StrCat("Only complaints received through CHANNEL: ", kChannels)),
      Value("policy", "ID", "Only complaints whose clocks run under this policy, e.g. fca-disp"),
  };
}

// Regulatory clocks, satisfaction and statistics (issue #4).
void AddClockCommands(std::vector<CommandSpec>* c) {
  c->push_back(Mutating("RequestInformation",
      {
          Required("information", "TEXT", "What was asked for"),
          Value("channel", "CHANNEL", absl::StrCat("How the request was sent: ", kChannels)),
      }));
  c->push_back(Mutating("ReceiveInformation",
                        {Value("summary", "TEXT", "What arrived")}));
  c->push_back(Mutating("SendHoldingResponse",
      {
          Required("text", "TEXT", "The holding response or a summary of it"),
          Value("expected", "TIME",
                "When the final response is expected, RFC 3339 (not in the past)"),
          Value("channel", "CHANNEL", absl::StrCat("How it was sent: ", kChannels)),
      }));
  c->push_back(Mutating("ExtendDeadline",
      {
          Required("kind", "KIND",
                   "The deadline: acknowledgement|holding-response|final-response"),
          Required("amount", "N",
                   "The new amount in the rule's unit (e.g. 35 business days), more than now"),
          Required("reason", "TEXT", "Why, e.g. \"exceptional circumstances\""),
      }));
  c->push_back(Mutating("RecomputeDeadlines",
                        {Required("reason", "TEXT", "Why, e.g. \"fca-disp v2: holiday fix\"")}));
  c->push_back(Mutating("RecordSatisfaction",
      {
          Value("csat", "1-5", "Customer satisfaction score, 1 (very dissatisfied) to 5"),
          Value("nps", "0-10", "Net Promoter Score answer, 0 to 10"),
          Value("comment", "TEXT", "The complainant's comment"),
      }));
  c->push_back(Declared("ComplaintService", "GetComplaintStatistics", "", false,
                        StatisticsFilterFlags()));
  std::vector<FlagSpec> report_flags = {
      Required("html", "FILE",
               "Write a self-contained HTML report (inline SVG charts, no network)"),
      Value("csv", "FILE",
            "Also write a regulator-return style CSV: one row per category and a total"),
      Value("title", "TEXT", "Report title (default \"Complaint-handling report\")"),
  };
  for (FlagSpec& f : StatisticsFilterFlags()) report_flags.push_back(std::move(f));
  c->push_back(CommandSpec{"report", "GetComplaintStatistics",
                           "Write the statistics as an HTML report with charts (and CSV)", "",
                           false, std::move(report_flags)});
}

std::vector<CommandSpec> BuildCommands() {
  std::vector<CommandSpec> c;
  c.push_back(Declared(
      "ComplaintService", "SubmitComplaint", "", false,
      {
          Required("name", "NAME", "Complainant's full name"),
          Value("email", "EMAIL", "Complainant's e-mail address"),
          Value("phone", "PHONE", "Complainant's telephone number"),
          Value("customer-id", "ID", "The organisation's customer identifier"),
          Value("preferred-channel", "CHANNEL",
                absl::StrCat("How the complainant prefers to be contacted: ", kChannels)),
          Required("channel", "CHANNEL",
                   absl::StrCat("How the complaint was received: ", kChannels)),
          Value("product", "TEXT", "Product or service complained about"),
          Value("category", "TEXT", "Category for routing and reporting, e.g. billing"),
          Required("description", "TEXT", "What happened, in the complainant's words"),
          Value("remedy", "TEXT", "What the complainant wants done"),
          Value("occurred", "TIME",
                "When the matter happened, RFC 3339 (e.g. 2026-01-31T09:30:00Z)"),
          Value("external-ref", "REF", "Reference in the submitting system"),
          Repeated("label", "KEY=VALUE", "A label; repeatable"),
          Repeated("attachment", "SPEC",
                   "Attachment metadata, repeatable: "
                   "file_name=..,content_type=..,size=..,sha256=..,uri=.."),
          RequestIdFlag(),
      }));
  c.push_back(Declared("ComplaintService", "GetComplaint", "NAME", false, {}));
  c.push_back(Declared(
      "ComplaintService", "ListComplaints", "", false,
      {
          Value("filter", "EXPR",
                "Filter, e.g. 'state = RECEIVED AND category = \"billing\"'"),
          Value("page-size", "N", "Complaints per page (server default 50, max 1000)"),
          Value("page-token", "TOKEN", "Continue from a previous page's next_page_token"),
          Switch("all", "Follow next_page_token to the last page"),
          Value("view", "basic|full",
                "full: derive each complaint's deadlines (adds a NEXT DEADLINE column)"),
      }));
  c.push_back(Declared(
      "ComplaintService", "ListComplaintEvents", "NAME", false,
      {
          Value("page-size", "N", "Events fetched per request (all pages are fetched)"),
          Switch("verify", "Verify the history's SHA-256 hash chain; exit 1 if broken"),
      }));
  c.push_back(Mutating("AcknowledgeComplaint",
                       {
                           Value("channel", "CHANNEL",
                                 absl::StrCat("How the acknowledgement was sent: ", kChannels)),
                           Value("message", "TEXT", "The acknowledgement text or a summary"),
                       }));
  c.push_back(Mutating("AssessComplaint",
                       {
                           Required("severity", "LEVEL", absl::StrCat("Severity: ", kLevels)),
                           Required("priority", "LEVEL", absl::StrCat("Priority: ", kLevels)),
                           Required("complexity", "LEVEL",
                                    absl::StrCat("Complexity: ", kLevels)),
                           Required("impact", "LEVEL", absl::StrCat("Impact: ", kLevels)),
                           Switch("immediate-action", "Immediate action is required"),
                           Switch("health-safety", "Health or safety is at stake"),
                           Value("rationale", "TEXT", "Reasoning"),
                       }));
  c.push_back(Mutating("AssignComplaint",
                       {Required("assignee", "WHO", "The handler's principal name")}));
  c.push_back(Mutating("StartInvestigation",
                       {Value("plan", "TEXT", "Investigation plan or reason")}));
  c.push_back(Mutating("AddComplaintNote",
                       {
                           Required("text", "TEXT", "The note"),
                           Value("visibility", "internal|external",
                                 "Who may see it (default internal)"),
                       }));
  c.push_back(Mutating("EscalateComplaint",
                       {Required("reason", "TEXT", "Why")}));
  c.push_back(Mutating("RespondToComplaint",
      {
          Required("decision", "upheld|partially-upheld|not-upheld", "The decision"),
          Required("text", "TEXT", "The response text sent to the complainant"),
          Required("via", "CHANNEL",
                   absl::StrCat("Channel the response was sent through: ", kChannels)),
          Value("remedy", "TEXT", "What is offered to put things right"),
          Value("amount", "MINOR_UNITS", "Redress amount in minor units (needs --currency)"),
          Value("currency", "CODE", "ISO 4217 currency of --amount, e.g. GBP"),
      }));
  c.push_back(Mutating("RecordComplainantDecision",
                       {
                           Required("outcome", "accepted|rejected", "The complainant's answer"),
                           Value("comment", "TEXT", "The complainant's comment"),
                       }));
  c.push_back(Mutating("OpenDispute",
                       {
                           Required("kind", "internal-appeal|external-adr",
                                    "Where the dispute is handled"),
                           Value("body", "TEXT", "External body (required for external-adr)"),
                           Value("external-ref", "REF", "The external body's case reference"),
                           Value("reason", "TEXT", "Why the response is disputed"),
                       }));
  c.push_back(Mutating("ResolveDispute",
                       {
                           Required("outcome", "response-upheld|response-revised|remitted",
                                    "How the dispute ended"),
                           Required("text", "TEXT", "The resolution text"),
                       }));
  c.push_back(Mutating("CloseComplaint",
                       {Required("reason", "TEXT", "Why")}));
  c.push_back(Mutating("WithdrawComplaint",
                       {Value("reason", "TEXT", "Why")}));
  c.push_back(Mutating("ReopenComplaint",
                       {Required("reason", "TEXT", "Why")}));

  AddClockCommands(&c);
  // Actions whose command is registered next to its request builder.
  for (const ActionCommand& a : ActionCommands()) c.push_back(Mutating(a.rpc, a.flags));

  // AuditService and the offline verifiers (compliance-docs/audit-trail.md).
  c.push_back(Mutating(
      "EraseComplainantData",
      {Required("reason", "TEXT", "Why, e.g. \"GDPR Art. 17 request 2026-114\"")},
      "AuditService"));
  c.push_back(Declared(
      "AuditService", "SweepRetention", "", false,
      {Switch("dry-run", "Only list the complaints that are due; erase nothing")}));
  CommandSpec exp = Declared(
      "AuditService", "ExportAuditTrail", "", false,
      {
          Value("from", "TIME", "Only events at or after TIME (RFC 3339)"),
          Value("to", "TIME", "Only events before TIME (RFC 3339)"),
          Repeated("complaint", "NAME", "Only this complaint's events; repeatable"),
          Value("state", "STATE", "Only complaints now in STATE, e.g. CLOSED"),
          Value("category", "TEXT", "Only complaints of this category"),
          Switch("include-personal-data",
                 "Complainant data in clear (needs the permission to export it); "
                 "default: keyed digests"),
          Value("format", "jsonl|csv",
                "jsonl (default; verifiable) or csv (spreadsheets; not verifiable)"),
          Required("out", "FILE", "Where to write (via FILE.tmp, renamed when complete)"),
          Value("consistency-from", "TREE_SIZE",
                "Add a consistency proof from the checkpoint of TREE_SIZE (e.g. an earlier "
                "export's last) to this export's last checkpoint (jsonl only)"),
          Value("deadline", "SECONDS", "Deadline of the whole export (default 3600)"),
      });
  c.push_back(std::move(exp));
  CommandSpec verify{"audit verify", "", "Verify an exported trail: every check of audit-trail.md §8", "",
                     false,
                     {Required("public-key", "KEY",
                               "The server's key, ed25519:<base64> (audit public-key), or a "
                               "file holding it")}};
  verify.service = "";  // offline
  verify.args = {{"FILE", "The export (JSON Lines) to verify"}};
  c.push_back(std::move(verify));
  CommandSpec consistency{
      "audit verify-consistency", "",
      "Verify two exports and that NEW's last checkpoint extends OLD's", "", false,
      {Required("public-key", "KEY",
                "The server's key, ed25519:<base64>, or a file holding it")}};
  consistency.service = "";  // offline
  consistency.args = {{"OLD", "The earlier export (JSON Lines)"},
                      {"NEW", "The later export (JSON Lines)"}};
  c.push_back(std::move(consistency));
  c.push_back(Declared("AuditService", "GetSigningKey", "", false, {}));
  c.push_back(Declared(
      "AuditService", "ListCheckpoints", "", false,
      {Value("page-size", "N", "Checkpoints fetched per request (all pages are fetched)")}));
  return c;
}

// Two aligned columns, indented by two spaces.
std::string Columns(const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& [left, right] : rows) width = std::max(width, left.size());
  std::string out;
  for (const auto& [left, right] : rows) {
    absl::StrAppend(&out, "  ", left, std::string(width - left.size() + 3, ' '), right, "\n");
  }
  return out;
}

constexpr char kGlobalFlagsSummary[] =
    "Global flags (before or after the command):\n";

std::vector<std::pair<std::string, std::string>> GlobalFlagRows() {
  return {
      {"--server HOST:PORT",
       absl::StrCat("Server address (default $REDRESS_SERVER, else ", kDefaultServer, ")")},
      {"--actor NAME",
       "Acting principal, sent as x-redress-actor (default $REDRESS_ACTOR, else $USER, else "
       "cli)"},
      {"--output table|json", "Output format (default table)"},
      {"--token TOKEN", "Bearer token of the calling principal (default $REDRESS_TOKEN)"},
      {"--tls-ca FILE", "Use TLS; trust the server certificate signed by this CA (PEM)"},
      {"--tls-cert FILE, --tls-key FILE", "Use mutual TLS with this client certificate and key"},
      {"--timeout SECONDS", "Deadline of each call (default 10)"},
      {"--help, -h", "Show help"},
      {"--version", "Show the version and git revision"},
  };
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec>* commands = new std::vector<CommandSpec>(BuildCommands());
  return *commands;
}

const CommandSpec* FindCommand(const std::string& name) {
  for (const CommandSpec& c : Commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool IsCommandGroup(const std::string& word) {
  const std::string prefix = word + " ";
  for (const CommandSpec& c : Commands()) {
    if (c.name.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

std::string GroupSubcommands(const std::string& group) {
  const std::string prefix = group + " ";
  std::vector<std::string> names;
  for (const CommandSpec& c : Commands()) {
    if (c.name.compare(0, prefix.size(), prefix) == 0) names.push_back(c.name.substr(prefix.size()));
  }
  std::string out;
  for (const std::string& n : names) absl::StrAppend(&out, out.empty() ? "" : ", ", n);
  return out;
}

std::string GlobalHelp() {
  std::string out =
      "redressctl: command-line client of the Redress complaint-handling service.\n"
      "\n"
      "Usage: redressctl [global flags] <command> [NAME|FILE...] [flags]\n"
      "\n"
      "NAME is a complaint's resource name, complaints/ID, or a bare ID.\n"
      "Flags accept both --flag VALUE and --flag=VALUE.\n"
      "\n";
  absl::StrAppend(&out, kGlobalFlagsSummary, Columns(GlobalFlagRows()), "\nCommands:\n");
  std::vector<std::pair<std::string, std::string>> rows;
  for (const CommandSpec& c : Commands()) rows.emplace_back(c.name, c.summary);
  absl::StrAppend(&out, Columns(rows));
  absl::StrAppend(
      &out,
      "\nRun 'redressctl <command> --help' for a command's flags.\n"
      "\nExit status: 0 on success; 1 when the call fails (printed as\n"
      "'error: <CODE>: <message>'), --verify finds a broken chain or 'audit verify'\n"
      "finds a problem; 2 on a usage error (or an unreadable file to verify).\n");
  return out;
}

std::string CommandHelp(const CommandSpec& command) {
  std::string usage = absl::StrCat("Usage: redressctl ", command.name);
  if (!command.positional.empty()) absl::StrAppend(&usage, " ", command.positional);
  for (const ArgSpec& a : command.args) absl::StrAppend(&usage, " ", a.name);
  bool has_optional = false;
  for (const FlagSpec& f : command.flags) {
    if (f.required) {
      absl::StrAppend(&usage, " --", f.name, " ", f.value_name);
    } else {
      has_optional = true;
    }
  }
  if (has_optional) absl::StrAppend(&usage, " [flags]");
  std::string out =
      command.rpc.empty()
          ? absl::StrCat(usage, "\n\n", command.summary, " (offline: no server is contacted).\n")
          : absl::StrCat(usage, "\n\n", command.summary, " (", command.service, ".",
                         command.rpc, ").\n");
  if (!command.positional.empty()) {
    absl::StrAppend(&out, "\nArguments:\n",
                    Columns({{command.positional, "The complaint: complaints/ID or a bare ID"}}));
  }
  if (!command.args.empty()) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const ArgSpec& a : command.args) rows.emplace_back(a.name, a.help);
    absl::StrAppend(&out, "\nArguments:\n", Columns(rows));
  }
  if (command.name == "audit verify" || command.name == "audit verify-consistency") {
    absl::StrAppend(&out,
                    "\nPrints each problem as 'line N (EVENT OR RECORD): WHAT', then a summary.\n"
                    "Exit status: 0 verified; 1 verification failed; 2 usage error or "
                    "unreadable file.\n");
  }
  if (!command.flags.empty()) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const FlagSpec& f : command.flags) {
      std::string left = absl::StrCat("--", f.name);
      if (!f.is_switch()) absl::StrAppend(&left, " ", f.value_name);
      std::string right = f.help;
      if (f.required) right = absl::StrCat("(required) ", right);
      rows.emplace_back(std::move(left), std::move(right));
    }
    absl::StrAppend(&out, "\nFlags:\n", Columns(rows));
  }
  absl::StrAppend(&out, "\n", kGlobalFlagsSummary, Columns(GlobalFlagRows()));
  return out;
}

}  // namespace redress::cli
