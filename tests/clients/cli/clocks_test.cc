// redressctl's clock commands: flags -> requests, deadlines in `get` and
// `list --view full`, and the `stats` table.
#include "clients/cli/clocks.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "clients/cli/commands.h"
#include "clients/cli/flags.h"
#include "clients/cli/output.h"
#include "clients/cli/requests.h"
#include "clients/cli/uuid.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/clients/cli/report_fixture.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;

Invocation Parse(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> inv =
      ParseCommandLine(args, [](const std::string&) { return std::nullopt; });
  EXPECT_TRUE(inv.ok()) << inv.status();
  return inv.ok() ? *inv : Invocation();
}

// The usage error of parsing and building, or "" when both succeed.
template <typename Builder>
std::string BuildError(const std::vector<std::string>& args, Builder build) {
  absl::StatusOr<Invocation> inv =
      ParseCommandLine(args, [](const std::string&) { return std::nullopt; });
  if (!inv.ok()) return std::string(inv.status().message());
  auto req = build(*inv);
  return req.ok() ? "" : std::string(req.status().message());
}

// The cells of a table line: columns are separated by two or more spaces.
std::vector<std::string> Columns(const std::string& line) {
  std::vector<std::string> cells;
  for (absl::string_view cell : absl::StrSplit(line, "  ", absl::SkipEmpty())) {
    absl::string_view c = absl::StripAsciiWhitespace(cell);
    if (!c.empty()) cells.emplace_back(c);
  }
  return cells;
}

// The value printed for `key` in a key/value block, or "<absent>".
std::string ValueOf(const std::string& table, const std::string& key) {
  for (absl::string_view line : absl::StrSplit(table, '\n')) {
    if (absl::StartsWith(line, key + ":")) {
      return std::string(absl::StripAsciiWhitespace(line.substr(key.size() + 1)));
    }
  }
  return "<absent>";
}

google::protobuf::Timestamp Time(const std::string& rfc3339) {
  google::protobuf::Timestamp ts;
  EXPECT_TRUE(TimeUtil::FromString(rfc3339, &ts)) << rfc3339;
  return ts;
}

google::protobuf::Duration Seconds(int64_t s) {
  google::protobuf::Duration d;
  d.set_seconds(s);
  return d;
}

TEST(ClockRequestsTest, RequestAndReceiveInformation) {
  auto req = BuildRequestInfoRequest(Parse({"request-info", "c1", "--information",
                                            "Card statement for March", "--channel", "email",
                                            "--etag", "E1"}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->name(), "complaints/c1");
  EXPECT_EQ(req->etag(), "E1");
  EXPECT_TRUE(IsUuidV4(req->request_id()));
  EXPECT_EQ(req->information(), "Card statement for March");
  EXPECT_EQ(req->channel(), v1::CHANNEL_EMAIL);

  auto got = BuildReceiveInfoRequest(
      Parse({"receive-info", "complaints/c1", "--summary", "Statement", "--request-id", "R"}));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->summary(), "Statement");
  EXPECT_EQ(got->request_id(), "R");

  EXPECT_THAT(BuildError({"request-info", "c1"}, BuildRequestInfoRequest),
              HasSubstr("--information"));
  EXPECT_THAT(BuildError({"request-info", "c1", "--information", "x", "--channel", "pigeon"},
                         BuildRequestInfoRequest),
              HasSubstr("--channel"));
}

TEST(ClockRequestsTest, HoldingResponse) {
  auto req = BuildHoldingResponseRequest(Parse({"holding-response", "c1", "--text",
                                                "Waiting for the processor", "--expected",
                                                "2026-12-01T17:00:00Z", "--channel", "letter"}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->text(), "Waiting for the processor");
  EXPECT_EQ(TimeUtil::ToString(req->expected_response_time()), "2026-12-01T17:00:00Z");
  EXPECT_EQ(req->channel(), v1::CHANNEL_LETTER);
  auto bare = BuildHoldingResponseRequest(Parse({"holding-response", "c1", "--text", "t"}));
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare->has_expected_response_time());
  EXPECT_EQ(bare->channel(), v1::CHANNEL_UNSPECIFIED);
  EXPECT_THAT(BuildError({"holding-response", "c1", "--text", "t", "--expected", "next week"},
                         BuildHoldingResponseRequest),
              HasSubstr("--expected"));
}

TEST(ClockRequestsTest, ExtendDeadline) {
  auto req = BuildExtendDeadlineRequest(Parse({"extend-deadline", "c1", "--kind",
                                               "final-response", "--amount", "35", "--reason",
                                               "exceptional circumstances"}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->extension().kind(), v1::DEADLINE_KIND_FINAL_RESPONSE);
  EXPECT_EQ(req->extension().amount(), 35);
  EXPECT_EQ(req->extension().reason(), "exceptional circumstances");
  auto upper = BuildExtendDeadlineRequest(Parse(
      {"extend-deadline", "c1", "--kind", "FINAL_RESPONSE", "--amount", "9", "--reason", "r"}));
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->extension().kind(), v1::DEADLINE_KIND_FINAL_RESPONSE);

  EXPECT_THAT(BuildError({"extend-deadline", "c1", "--kind", "final", "--amount", "35",
                          "--reason", "r"},
                         BuildExtendDeadlineRequest),
              HasSubstr("--kind"));
  for (const char* bad : {"0", "-3", "ten", "99999999999"}) {
    EXPECT_THAT(BuildError({"extend-deadline", "c1", "--kind", "final-response", "--amount",
                            bad, "--reason", "r"},
                           BuildExtendDeadlineRequest),
                HasSubstr("--amount"))
        << bad;
  }
  EXPECT_THAT(BuildError({"extend-deadline", "c1", "--kind", "final-response", "--amount", "3"},
                         BuildExtendDeadlineRequest),
              HasSubstr("--reason"));
}

TEST(ClockRequestsTest, RecomputeDeadlines) {
  auto req = BuildRecomputeDeadlinesRequest(
      Parse({"recompute-deadlines", "c1", "--reason", "fca-disp v2"}));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->reason(), "fca-disp v2");
  EXPECT_THAT(BuildError({"recompute-deadlines", "c1"}, BuildRecomputeDeadlinesRequest),
              HasSubstr("--reason"));
}

TEST(ClockRequestsTest, Satisfaction) {
  auto both = BuildSatisfactionRequest(
      Parse({"satisfaction", "c1", "--csat", "4", "--nps", "0", "--comment", "ok"}));
  ASSERT_TRUE(both.ok()) << both.status();
  ASSERT_TRUE(both->satisfaction().has_csat_score());
  EXPECT_EQ(both->satisfaction().csat_score(), 4);
  ASSERT_TRUE(both->satisfaction().has_nps_score());  // 0 is an answer, not "unset"
  EXPECT_EQ(both->satisfaction().nps_score(), 0);
  EXPECT_EQ(both->satisfaction().comment(), "ok");
  auto nps_only = BuildSatisfactionRequest(Parse({"satisfaction", "c1", "--nps", "10"}));
  ASSERT_TRUE(nps_only.ok());
  EXPECT_FALSE(nps_only->satisfaction().has_csat_score());

  EXPECT_THAT(BuildError({"satisfaction", "c1"}, BuildSatisfactionRequest),
              HasSubstr("--csat, --nps or both"));
  for (const char* bad : {"0", "6", "x"}) {
    EXPECT_THAT(BuildError({"satisfaction", "c1", "--csat", bad}, BuildSatisfactionRequest),
                HasSubstr("--csat"));
  }
  for (const char* bad : {"-1", "11"}) {
    EXPECT_THAT(BuildError({"satisfaction", "c1", "--nps", bad}, BuildSatisfactionRequest),
                HasSubstr("from 0 to 10"));
  }
}

TEST(ClockRequestsTest, StatisticsFilters) {
  auto req = BuildStatisticsRequest(Parse({"stats", "--from", "2026-01-01T00:00:00Z", "--to",
                                           "2026-04-01T00:00:00+01:00", "--category", "billing",
                                           "--channel", "phone", "--policy", "fca-disp"}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(TimeUtil::ToString(req->start_time()), "2026-01-01T00:00:00Z");
  EXPECT_EQ(TimeUtil::ToString(req->end_time()), "2026-03-31T23:00:00Z");
  EXPECT_EQ(req->category(), "billing");
  EXPECT_EQ(req->channel(), v1::CHANNEL_PHONE);
  EXPECT_EQ(req->policy_id(), "fca-disp");
  auto none = BuildStatisticsRequest(Parse({"stats"}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_start_time());
  EXPECT_FALSE(none->has_end_time());

  auto report = BuildStatisticsRequest(
      Parse({"report", "--html", "r.html", "--category", "billing", "--csv", "r.csv"}));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->category(), "billing");

  EXPECT_THAT(BuildError({"stats", "--from", "2026-02-01T00:00:00Z", "--to",
                          "2026-01-01T00:00:00Z"},
                         BuildStatisticsRequest),
              HasSubstr("--from must be before --to"));
  EXPECT_THAT(BuildError({"stats", "--from", "yesterday"}, BuildStatisticsRequest),
              HasSubstr("--from"));
  EXPECT_THAT(BuildError({"report", "--category", "x"}, BuildStatisticsRequest),
              HasSubstr("--html"));
}

TEST(ClockRequestsTest, ListView) {
  auto full = BuildListRequest(Parse({"list", "--view", "full"}));
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->view(), v1::COMPLAINT_VIEW_FULL);
  auto basic = BuildListRequest(Parse({"list", "--view", "BASIC"}));
  ASSERT_TRUE(basic.ok());
  EXPECT_EQ(basic->view(), v1::COMPLAINT_VIEW_BASIC);
  auto unset = BuildListRequest(Parse({"list"}));
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->view(), v1::COMPLAINT_VIEW_UNSPECIFIED);
  EXPECT_THAT(BuildError({"list", "--view", "everything"}, BuildListRequest),
              HasSubstr("--view"));
}

TEST(ClockCommandsTest, EveryNewCommandHasHelpAndMutationsTakeEtagAndRequestId) {
  for (const char* name : {"request-info", "receive-info", "holding-response", "extend-deadline",
                           "recompute-deadlines", "satisfaction"}) {
    const CommandSpec* c = FindCommand(name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_TRUE(c->mutating) << name;
    EXPECT_NE(c->FindFlag("etag"), nullptr) << name;
    EXPECT_NE(c->FindFlag("request-id"), nullptr) << name;
    EXPECT_THAT(CommandHelp(*c), HasSubstr(absl::StrCat("ComplaintService.", c->rpc)));
  }
  EXPECT_THAT(CommandHelp(*FindCommand("report")), HasSubstr("--html FILE"));
  EXPECT_THAT(CommandHelp(*FindCommand("report")), HasSubstr("--policy ID"));
  EXPECT_THAT(CommandHelp(*FindCommand("stats")), HasSubstr("--from TIME"));
  EXPECT_THAT(CommandHelp(*FindCommand("list")), HasSubstr("--view basic|full"));
  EXPECT_THAT(GlobalHelp(), HasSubstr("extend-deadline"));
}

TEST(ClockFormatTest, Durations) {
  EXPECT_EQ(FormatDurationShort(Seconds(0)), "0s");
  EXPECT_EQ(FormatDurationShort(Seconds(59)), "59s");
  EXPECT_EQ(FormatDurationShort(Seconds(45 * 60)), "45m");
  EXPECT_EQ(FormatDurationShort(Seconds(5 * 3600 + 12 * 60 + 30)), "5h 12m");
  EXPECT_EQ(FormatDurationShort(Seconds(3 * 86400 + 4 * 3600 + 59 * 60)), "3d 4h");
  EXPECT_EQ(FormatDurationShort(Seconds(56 * 86400)), "56d");
  EXPECT_EQ(FormatDurationShort(Seconds(-(86400 + 2 * 3600))), "-1d 2h");
  EXPECT_EQ(FormatAmount(8, v1::TIME_UNIT_WEEKS), "8 weeks");
  EXPECT_EQ(FormatAmount(1, v1::TIME_UNIT_BUSINESS_DAYS), "1 business day");
  EXPECT_EQ(FormatAmount(35, v1::TIME_UNIT_BUSINESS_DAYS), "35 business days");
  EXPECT_EQ(FormatAmount(24, v1::TIME_UNIT_HOURS), "24 hours");
}

v1::Deadline MakeDeadline(v1::DeadlineKind kind, v1::Deadline::State state,
                          const std::string& due, int64_t remaining_s) {
  v1::Deadline d;
  d.set_kind(kind);
  d.set_cycle(1);
  d.set_state(state);
  *d.mutable_due_time() = Time(due);
  *d.mutable_time_remaining() = Seconds(remaining_s);
  return d;
}

TEST(ClockFormatTest, RemainingDependsOnState) {
  auto running = MakeDeadline(v1::DEADLINE_KIND_FINAL_RESPONSE, v1::Deadline::STATE_ON_TRACK,
                              "2026-12-01T17:00:00Z", 7 * 86400 + 23 * 3600);
  EXPECT_EQ(RemainingCell(running), "7d 23h left");
  auto overdue = MakeDeadline(v1::DEADLINE_KIND_FINAL_RESPONSE, v1::Deadline::STATE_BREACHED,
                              "2026-12-01T17:00:00Z", -(2 * 86400 + 3600));
  EXPECT_EQ(RemainingCell(overdue), "2d 1h overdue");
  auto met = MakeDeadline(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::Deadline::STATE_MET,
                          "2026-12-01T17:00:00Z", 3 * 3600);
  *met.mutable_satisfy_time() = Time("2026-12-01T14:00:00Z");
  EXPECT_EQ(RemainingCell(met), "3h early");
  auto late = MakeDeadline(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::Deadline::STATE_BREACHED,
                           "2026-12-01T17:00:00Z", -86400);
  *late.mutable_satisfy_time() = Time("2026-12-02T17:00:00Z");
  EXPECT_EQ(RemainingCell(late), "1d late");
  auto expired = MakeDeadline(v1::DEADLINE_KIND_SUMMARY_RESOLUTION,
                              v1::Deadline::STATE_EXPIRED, "2026-12-01T17:00:00Z", 0);
  EXPECT_EQ(RemainingCell(expired), "-");
}

v1::Complaint ComplaintWithDeadlines() {
  v1::Complaint c;
  c.set_name("complaints/c1");
  c.set_state(v1::Complaint::STATE_INVESTIGATING);
  c.mutable_policy()->set_id("fca-psd2");
  c.mutable_policy()->set_version(1);
  c.mutable_policy()->set_calendar_id("gb-eaw");
  c.set_awaiting_information(true);
  auto ack = MakeDeadline(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::Deadline::STATE_MET,
                          "2026-11-23T17:00:00Z", 26 * 3600);
  *ack.mutable_satisfy_time() = Time("2026-11-22T15:00:00Z");
  ack.set_amount(1);
  ack.set_unit(v1::TIME_UNIT_BUSINESS_DAYS);
  auto fin = MakeDeadline(v1::DEADLINE_KIND_FINAL_RESPONSE, v1::Deadline::STATE_PAUSED,
                          "2027-01-12T17:00:00Z", 50 * 86400 + 2 * 3600);
  fin.set_amount(35);
  fin.set_unit(v1::TIME_UNIT_BUSINESS_DAYS);
  auto window = MakeDeadline(v1::DEADLINE_KIND_SUMMARY_RESOLUTION, v1::Deadline::STATE_AT_RISK,
                             "2026-11-25T17:00:00Z", 3 * 86400);
  *c.add_deadlines() = ack;
  *c.add_deadlines() = fin;
  *c.add_deadlines() = window;
  return c;
}

TEST(ClockOutputTest, GetTableShowsPolicyAndDeadlines) {
  const std::string t = ComplaintTable(ComplaintWithDeadlines());
  EXPECT_EQ(ValueOf(t, "policy"), "fca-psd2 v1, calendar gb-eaw");
  EXPECT_EQ(ValueOf(t, "awaiting information"), "yes");
  ASSERT_NE(t.find("\ndeadlines:\n"), std::string::npos) << t;
  std::vector<std::string> lines = absl::StrSplit(t.substr(t.find("\ndeadlines:\n") + 12), '\n');
  ASSERT_GE(lines.size(), 4u) << t;
  using ::testing::ElementsAre;
  EXPECT_THAT(Columns(lines[0]), ElementsAre("KIND", "CYCLE", "STATE", "DUE", "REMAINING", "RULE"));
  EXPECT_THAT(Columns(lines[1]), ElementsAre("ACKNOWLEDGEMENT", "1", "MET", "2026-11-23T17:00:00Z",
                                             "1d 2h early", "1 business day"));
  EXPECT_THAT(Columns(lines[2]), ElementsAre("FINAL_RESPONSE", "1", "PAUSED",
                                             "2027-01-12T17:00:00Z", "50d 2h left",
                                             "35 business days"));
  EXPECT_THAT(Columns(lines[3]), ElementsAre("SUMMARY_RESOLUTION", "1", "AT_RISK",
                                             "2026-11-25T17:00:00Z", "3d left", "-"));
}

TEST(ClockOutputTest, NoDeadlinesNoSection) {
  v1::Complaint c;
  c.set_name("complaints/c1");
  EXPECT_THAT(ComplaintTable(c), Not(HasSubstr("deadlines:")));
  EXPECT_THAT(ComplaintTable(c), Not(HasSubstr("policy:")));
}

TEST(ClockOutputTest, SatisfactionRow) {
  v1::Complaint c;
  c.mutable_satisfaction()->set_csat_score(5);
  c.mutable_satisfaction()->set_nps_score(9);
  c.mutable_satisfaction()->set_comment("Quick");
  EXPECT_EQ(ValueOf(ComplaintTable(c), "satisfaction"), "CSAT 5/5, NPS 9/10 \"Quick\"");
}

TEST(ClockOutputTest, ListFullViewShowsNextDeadline) {
  v1::ListComplaintsResponse resp;
  *resp.add_complaints() = ComplaintWithDeadlines();
  v1::Complaint closed;
  closed.set_name("complaints/c2");
  *closed.add_deadlines() = MakeDeadline(v1::DEADLINE_KIND_FINAL_RESPONSE,
                                         v1::Deadline::STATE_NOT_REQUIRED,
                                         "2026-12-01T17:00:00Z", 0);
  *resp.add_complaints() = closed;
  const std::string t = ComplaintListTable(resp);
  EXPECT_THAT(t, HasSubstr("NEXT DEADLINE"));
  // The summary-resolution window is not a firm-side deadline.
  EXPECT_THAT(t, HasSubstr("FINAL_RESPONSE 2027-01-12T17:00:00Z PAUSED"));
  std::vector<std::string> lines = absl::StrSplit(t, '\n');
  EXPECT_TRUE(absl::EndsWith(lines[2], " -")) << lines[2];

  v1::ListComplaintsResponse basic;
  basic.add_complaints()->set_name("complaints/c3");
  EXPECT_THAT(ComplaintListTable(basic), Not(HasSubstr("NEXT DEADLINE")));
}

TEST(ClockOutputTest, StatisticsTable) {
  const std::string t = StatisticsTable(report_fixture::SampleStatistics());
  std::vector<std::string> rows = absl::StrSplit(t, '\n');
  auto row = [&rows](const std::string& label) {
    for (const std::string& r : rows) {
      std::vector<std::string> c = Columns(r);
      if (c.size() == 3 && c[1] == label) return c;
    }
    return std::vector<std::string>();
  };
  EXPECT_THAT(row("complaints"), ::testing::ElementsAre("Volume", "complaints", "12"));
  EXPECT_THAT(row("closed within 8 weeks"),
              ::testing::ElementsAre("Timeliness", "closed within 8 weeks", "6 of 7 (85.7%)"));
  EXPECT_THAT(row("NPS"), ::testing::ElementsAre("Satisfaction", "NPS",
                                                 "+33.3 (n=6: 3 promoters, 1 detractors)"));
  EXPECT_THAT(row("response"),
              ::testing::ElementsAre("Timeliness", "response", "p50 8d, p90 28d, mean 10d (n=8)"));
  EXPECT_THAT(t, HasSubstr("\nDISP 1.10 by category:\nCATEGORY "));
  EXPECT_THAT(t, HasSubstr("REDRESS_PAID_GBP"));
  std::vector<std::string> lines = absl::StrSplit(t, '\n');
  std::string total;
  for (const std::string& l : lines) {
    if (absl::StartsWith(l, "TOTAL ")) total = l;
  }
  std::vector<std::string> cells = absl::StrSplit(total, ' ', absl::SkipEmpty());
  EXPECT_THAT(cells, ::testing::ElementsAre("TOTAL", "12", "4", "7", "1", "2", "5", "1", "1", "8",
                                            "4", "50.0", "175.50", "3000"));
}

}  // namespace
}  // namespace redress::cli
