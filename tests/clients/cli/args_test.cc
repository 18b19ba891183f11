// redressctl command-line parsing: flags, globals, defaults, names, errors.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "clients/cli/commands.h"
#include "clients/cli/flags.h"
#include "server/domain/action_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace redress::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

absl::StatusOr<Invocation> Parse(std::vector<std::string> args,
                                 std::map<std::string, std::string> env = {}) {
  return ParseCommandLine(args, FakeEnv(std::move(env)));
}

// The command table is named and summarised by the RPCs' declarations.
TEST(ArgsTest, EveryDeclaredCliVerbIsACommandOfItsRpc) {
  int declared = 0;
  for (const domain::DeclaredRpc& d : domain::DeclaredRpcs()) {
    if (d.rule.cli_verb().empty()) continue;
    ++declared;
    SCOPED_TRACE(d.rpc);
    const CommandSpec* c = FindCommand(d.rule.cli_verb());
    ASSERT_NE(c, nullptr) << "no command " << d.rule.cli_verb();
    EXPECT_EQ(c->rpc, d.rpc);
    EXPECT_EQ("redress.v1." + c->service, d.service);
    EXPECT_EQ(c->summary, d.rule.cli_help());
    EXPECT_EQ(c->mutating, d.mutating() && d.request->FindFieldByName("etag") != nullptr);
  }
  int with_rpc = 0;
  for (const CommandSpec& c : Commands()) with_rpc += c.rpc.empty() ? 0 : 1;
  EXPECT_EQ(with_rpc, declared + 1);  // + "report", a second view of GetComplaintStatistics
}

TEST(ArgsTest, BothFlagFormsGiveTheSameValue) {
  auto spaced = Parse({"assign", "c1", "--assignee", "alice", "--etag", "e1"});
  auto joined = Parse({"assign", "c1", "--assignee=alice", "--etag=e1"});
  ASSERT_TRUE(spaced.ok()) << spaced.status();
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_EQ(spaced->Value("assignee"), "alice");
  EXPECT_EQ(joined->Value("assignee"), "alice");
  EXPECT_EQ(spaced->Value("etag"), "e1");
  EXPECT_EQ(joined->Value("etag"), "e1");
}

TEST(ArgsTest, EqualsFormKeepsFurtherEqualsSignsAndEmptyValues) {
  auto inv = Parse({"list", "--filter=category = \"a=b\"", "--page-token="});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->Value("filter"), "category = \"a=b\"");
  EXPECT_EQ(inv->Value("page-token"), "");
}

TEST(ArgsTest, ValueMayStartWithDashes) {
  auto inv = Parse({"note", "c1", "--text", "--not-a-flag"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->Value("text"), "--not-a-flag");
}

TEST(ArgsTest, MissingRequiredFlagIsNamed) {
  auto inv = Parse({"assess", "c1", "--severity", "low", "--priority", "low", "--impact", "low"});
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(inv.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(inv.status().message(), HasSubstr("--complexity"));
  EXPECT_THAT(inv.status().message(), HasSubstr("missing required flag"));
}

TEST(ArgsTest, EveryRequiredFlagIsChecked) {
  for (const CommandSpec& cmd : Commands()) {
    for (const FlagSpec& flag : cmd.flags) {
      if (!flag.required) continue;
      std::vector<std::string> args = absl::StrSplit(cmd.name, ' ');  // "audit verify"
      if (!cmd.positional.empty()) args.push_back("c1");
      for (const ArgSpec& a : cmd.args) args.push_back(a.name + ".jsonl");
      for (const FlagSpec& other : cmd.flags) {
        if (!other.required || other.name == flag.name) continue;
        args.push_back("--" + other.name);
        args.push_back("x");
      }
      auto inv = Parse(args);
      ASSERT_FALSE(inv.ok()) << cmd.name << " without --" << flag.name;
      EXPECT_THAT(inv.status().message(), HasSubstr("--" + flag.name)) << cmd.name;
    }
  }
}

TEST(ArgsTest, MissingFlagValueIsNamed) {
  auto inv = Parse({"assign", "c1", "--assignee"});
  ASSERT_FALSE(inv.ok());
  EXPECT_THAT(inv.status().message(), HasSubstr("--assignee requires a value"));
}

TEST(ArgsTest, UnknownFlagIsNamed) {
  auto inv = Parse({"get", "c1", "--colour", "red"});
  ASSERT_FALSE(inv.ok());
  EXPECT_THAT(inv.status().message(), HasSubstr("unknown flag --colour"));
  // A flag of another command is unknown too.
  auto other = Parse({"get", "c1", "--assignee=bob"});
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.status().message(), HasSubstr("--assignee"));
  // Command flags before the command are unknown.
  auto early = Parse({"--assignee=bob", "assign", "c1"});
  ASSERT_FALSE(early.ok());
  EXPECT_THAT(early.status().message(), HasSubstr("--assignee"));
}

TEST(ArgsTest, UnknownCommand) {
  auto inv = Parse({"frobnicate"});
  ASSERT_FALSE(inv.ok());
  EXPECT_THAT(inv.status().message(), HasSubstr("frobnicate"));
}

TEST(ArgsTest, NoCommandIsAnError) {
  auto inv = Parse({"--server", "h:1"});
  ASSERT_FALSE(inv.ok());
  EXPECT_THAT(inv.status().message(), HasSubstr("no command"));
}

TEST(ArgsTest, NameIsNormalised) {
  auto bare = Parse({"get", "01HXYZ"});
  auto full = Parse({"get", "complaints/01HXYZ"});
  ASSERT_TRUE(bare.ok());
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(bare->name, "complaints/01HXYZ");
  EXPECT_EQ(full->name, "complaints/01HXYZ");
}

TEST(ArgsTest, BadNamesAreRejected) {
  EXPECT_FALSE(NormalizeComplaintName("").ok());
  EXPECT_FALSE(NormalizeComplaintName("complaints/").ok());
  EXPECT_FALSE(NormalizeComplaintName("orders/1").ok());
  EXPECT_FALSE(NormalizeComplaintName("complaints/1/events/2").ok());
  EXPECT_EQ(*NormalizeComplaintName("abc-123"), "complaints/abc-123");
}

TEST(ArgsTest, NameArgumentIsRequiredAndSingle) {
  auto missing = Parse({"close", "--reason", "r"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("missing argument NAME"));
  auto extra = Parse({"get", "a", "b"});
  ASSERT_FALSE(extra.ok());
  EXPECT_THAT(extra.status().message(), HasSubstr("unexpected argument \"b\""));
  auto none_expected = Parse({"list", "x"});
  ASSERT_FALSE(none_expected.ok());
  EXPECT_THAT(none_expected.status().message(), HasSubstr("unexpected argument"));
}

TEST(ArgsTest, RepeatedLabelKeepsEveryValueInOrder) {
  auto inv = Parse({"submit", "--name", "A", "--channel", "web", "--description", "d",
                    "--label", "region=north", "--label=tier=gold", "--label", "x=1"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_THAT(inv->Values("label"), ElementsAre("region=north", "tier=gold", "x=1"));
}

TEST(ArgsTest, NonRepeatableFlagLastOneWins) {
  auto inv = Parse({"assign", "c1", "--assignee", "alice", "--assignee", "bob"});
  ASSERT_TRUE(inv.ok());
  EXPECT_THAT(inv->Values("assignee"), ElementsAre("bob"));
}

TEST(ArgsTest, GlobalFlagsBeforeOrAfterTheCommand) {
  auto before = Parse({"--server", "h:1", "--actor=alice", "--output", "json", "--timeout=2.5",
                       "get", "c1"});
  auto after = Parse({"get", "c1", "--server=h:1", "--actor", "alice", "--output=JSON",
                      "--timeout", "2.5"});
  for (const auto* inv : {&before, &after}) {
    ASSERT_TRUE(inv->ok()) << inv->status();
    EXPECT_EQ((*inv)->globals.server, "h:1");
    EXPECT_EQ((*inv)->globals.actor, "alice");
    EXPECT_EQ((*inv)->globals.output, OutputFormat::kJson);
    EXPECT_DOUBLE_EQ((*inv)->globals.timeout_seconds, 2.5);
    EXPECT_EQ((*inv)->command->name, "get");
  }
}

TEST(ArgsTest, Defaults) {
  auto inv = Parse({"get", "c1"});
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->globals.server, "127.0.0.1:50051");
  EXPECT_EQ(inv->globals.actor, "cli");
  EXPECT_EQ(inv->globals.output, OutputFormat::kTable);
  EXPECT_DOUBLE_EQ(inv->globals.timeout_seconds, 10);
}

TEST(ArgsTest, EnvironmentDefaults) {
  auto user = Parse({"get", "c1"}, {{"USER", "carol"}});
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->globals.actor, "carol");

  auto env = Parse({"get", "c1"},
                   {{"USER", "carol"}, {"REDRESS_ACTOR", "dave"}, {"REDRESS_SERVER", "s:9"}});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->globals.actor, "dave");
  EXPECT_EQ(env->globals.server, "s:9");

  auto flags = Parse({"get", "c1", "--actor", "erin", "--server", "t:1"},
                     {{"REDRESS_ACTOR", "dave"}, {"REDRESS_SERVER", "s:9"}});
  ASSERT_TRUE(flags.ok());
  EXPECT_EQ(flags->globals.actor, "erin");
  EXPECT_EQ(flags->globals.server, "t:1");

  // Empty variables count as unset.
  auto empty = Parse({"get", "c1"}, {{"REDRESS_ACTOR", ""}, {"USER", ""}});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->globals.actor, "cli");
}

TEST(ArgsTest, BadGlobalValues) {
  auto output = Parse({"get", "c1", "--output", "yaml"});
  ASSERT_FALSE(output.ok());
  EXPECT_THAT(output.status().message(), HasSubstr("--output"));
  for (const char* t : {"0", "-1", "soon", "nan", "inf"}) {
    auto timeout = Parse({"get", "c1", "--timeout", t});
    ASSERT_FALSE(timeout.ok()) << t;
    EXPECT_THAT(timeout.status().message(), HasSubstr("--timeout"));
  }
  auto actor = Parse({"get", "c1", "--actor", "bad\nactor"});
  ASSERT_FALSE(actor.ok());
  EXPECT_THAT(actor.status().message(), HasSubstr("--actor"));
}

TEST(ArgsTest, Switches) {
  auto on = Parse({"list", "--all"});
  ASSERT_TRUE(on.ok());
  EXPECT_TRUE(on->Switch("all"));
  auto off = Parse({"list", "--all=false"});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->Switch("all"));
  auto absent = Parse({"list"});
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->Switch("all"));
  auto bad = Parse({"list", "--all=maybe"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("--all"));
  // A switch does not swallow the next argument.
  auto verify = Parse({"history", "--verify", "c1"});
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_TRUE(verify->Switch("verify"));
  EXPECT_EQ(verify->name, "complaints/c1");
}

TEST(ArgsTest, DoubleDashEndsFlags) {
  auto inv = Parse({"get", "--", "--weird-id"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->name, "complaints/--weird-id");
}

TEST(ArgsTest, Help) {
  auto global = Parse({"--help"});
  ASSERT_TRUE(global.ok());
  EXPECT_TRUE(global->help);
  EXPECT_EQ(global->command, nullptr);

  auto cmd = Parse({"submit", "--help"});
  ASSERT_TRUE(cmd.ok());
  EXPECT_TRUE(cmd->help);
  ASSERT_NE(cmd->command, nullptr);
  EXPECT_EQ(cmd->command->name, "submit");

  // Help wins over missing or unknown flags.
  auto broken = Parse({"assess", "--bogus", "-h"});
  ASSERT_TRUE(broken.ok());
  EXPECT_TRUE(broken->help);
  EXPECT_EQ(broken->command->name, "assess");

  auto word = Parse({"help", "close"});
  ASSERT_TRUE(word.ok());
  EXPECT_TRUE(word->help);
  EXPECT_EQ(word->command->name, "close");
}

TEST(ArgsTest, TokenAndTlsGlobalFlags) {
  auto none = Parse({"get", "c1"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->globals.token, "");
  EXPECT_FALSE(none->globals.tls());
  auto env = Parse({"get", "c1"}, {{"REDRESS_TOKEN", "from-env"}});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->globals.token, "from-env");
  auto flags = Parse({"--token", "t1", "get", "c1", "--tls-ca=ca.pem", "--tls-cert", "c.pem",
                      "--tls-key", "k.pem"},
                     {{"REDRESS_TOKEN", "from-env"}});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->globals.token, "t1");
  EXPECT_EQ(flags->globals.tls_ca, "ca.pem");
  EXPECT_EQ(flags->globals.tls_cert, "c.pem");
  EXPECT_EQ(flags->globals.tls_key, "k.pem");
  EXPECT_TRUE(flags->globals.tls());
  auto half = Parse({"get", "c1", "--tls-cert", "c.pem"});
  ASSERT_FALSE(half.ok());
  EXPECT_THAT(half.status().message(), HasSubstr("--tls-key"));
  auto control = Parse({"get", "c1", "--token", std::string("a\x01b")});
  EXPECT_FALSE(control.ok());
}

TEST(ArgsTest, HelpTextsListFlags) {
  std::string global = GlobalHelp();
  for (const CommandSpec& cmd : Commands()) {
    EXPECT_THAT(global, HasSubstr("  " + cmd.name + " ")) << cmd.name;
    std::string help = CommandHelp(cmd);
    EXPECT_THAT(help, HasSubstr("Usage: redressctl " + cmd.name));
    for (const FlagSpec& f : cmd.flags) EXPECT_THAT(help, HasSubstr("--" + f.name)) << cmd.name;
    if (cmd.mutating) {
      EXPECT_THAT(help, HasSubstr("--etag"));
      EXPECT_THAT(help, HasSubstr("--request-id"));
    }
  }
  EXPECT_THAT(global, HasSubstr("--server"));
  EXPECT_THAT(global, HasSubstr("--actor"));
  EXPECT_THAT(global, HasSubstr("--output"));
  EXPECT_THAT(global, HasSubstr("--timeout"));
  EXPECT_THAT(global, HasSubstr("--token"));
  EXPECT_THAT(global, HasSubstr("--tls-ca"));
}

TEST(ArgsTest, EveryCommandIsThere) {
  std::vector<std::string> names;
  for (const CommandSpec& cmd : Commands()) names.push_back(cmd.name);
  EXPECT_THAT(names, ElementsAre("submit", "get", "list", "history", "ack", "assess", "assign",
                                 "investigate", "note", "escalate", "respond", "decide",
                                 "dispute", "resolve-dispute", "close", "withdraw", "reopen",
                                 "request-info", "receive-info", "holding-response",
                                 "extend-deadline", "recompute-deadlines", "satisfaction",
                                 "stats", "report", "erase", "retention sweep", "audit export", "audit verify",
                                 "audit verify-consistency", "audit public-key",
                                 "audit checkpoints"));
  for (const CommandSpec& cmd : Commands()) {
    const bool complaint_service = cmd.service == "ComplaintService";
    const bool has_name = !cmd.positional.empty();
    if (complaint_service) {
      // Commands over many complaints take no NAME; reads take no request id.
      const bool many = cmd.name == "submit" || cmd.name == "list" || cmd.name == "stats" ||
                        cmd.name == "report";
      const bool read = cmd.name == "get" || cmd.name == "list" || cmd.name == "history" ||
                        cmd.name == "stats" || cmd.name == "report";
      EXPECT_EQ(has_name, !many) << cmd.name;
      EXPECT_NE(cmd.FindFlag("request-id") != nullptr, read) << cmd.name;
    } else {
      EXPECT_EQ(has_name, cmd.name == "erase") << cmd.name;
      EXPECT_EQ(cmd.FindFlag("request-id") != nullptr, cmd.name == "erase") << cmd.name;
    }
    // Offline commands name no service and no RPC.
    const bool offline = cmd.name == "audit verify" || cmd.name == "audit verify-consistency";
    EXPECT_EQ(cmd.rpc.empty(), offline) << cmd.name;
    EXPECT_EQ(cmd.service.empty(), offline) << cmd.name;
  }
}

}  // namespace
}  // namespace redress::cli
