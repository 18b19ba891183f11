// redressctl request construction: each subcommand's flags end up in the
// right request fields; enum spellings; generated request ids.
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "clients/cli/flags.h"
#include "clients/cli/requests.h"
#include "clients/cli/uuid.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr char kRequestId[] = "7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

Invocation MustParse(std::vector<std::string> args) {
  auto inv = ParseCommandLine(args, [](const std::string&) { return std::nullopt; });
  EXPECT_TRUE(inv.ok()) << inv.status();
  return inv.ok() ? *inv : Invocation{};
}

// Parses and builds; the build's error (or OK).
template <typename Builder>
absl::Status BuildError(std::vector<std::string> args, Builder build) {
  auto inv = ParseCommandLine(args, [](const std::string&) { return std::nullopt; });
  if (!inv.ok()) return inv.status();
  return build(*inv).status();
}

TEST(RequestsTest, SubmitSetsEveryField) {
  auto req = BuildSubmitRequest(MustParse({
      "submit", "--name", "Ada Lovelace", "--email=ada@example.com", "--phone", "+44 20 7946 0000",
      "--customer-id", "C-42", "--preferred-channel", "email", "--channel", "CHANNEL_PHONE",
      "--product", "Current account", "--category=billing", "--description", "Charged twice",
      "--remedy", "Refund", "--occurred", "2026-01-31T09:30:00Z", "--external-ref", "CRM-7",
      "--label", "region=north", "--label=tier=gold", "--attachment",
      "file_name=stmt.pdf,content_type=application/pdf,size=1234,sha256=" + std::string(64, 'a') +
          ",uri=s3://docs/stmt.pdf",
      "--request-id", kRequestId}));
  ASSERT_TRUE(req.ok()) << req.status();
  const v1::Complaint& c = req->complaint();
  EXPECT_EQ(c.complainant().display_name(), "Ada Lovelace");
  EXPECT_EQ(c.complainant().email(), "ada@example.com");
  EXPECT_EQ(c.complainant().phone(), "+44 20 7946 0000");
  EXPECT_EQ(c.complainant().customer_id(), "C-42");
  EXPECT_EQ(c.complainant().preferred_channel(), v1::CHANNEL_EMAIL);
  EXPECT_EQ(c.channel(), v1::CHANNEL_PHONE);
  EXPECT_EQ(c.product(), "Current account");
  EXPECT_EQ(c.category(), "billing");
  EXPECT_EQ(c.description(), "Charged twice");
  EXPECT_EQ(c.remedy_sought(), "Refund");
  EXPECT_EQ(google::protobuf::util::TimeUtil::ToString(c.occurrence_time()),
            "2026-01-31T09:30:00Z");
  EXPECT_EQ(c.external_reference(), "CRM-7");
  EXPECT_THAT(c.labels(), UnorderedElementsAre(Pair("region", "north"), Pair("tier", "gold")));
  ASSERT_EQ(c.attachments_size(), 1);
  EXPECT_EQ(c.attachments(0).file_name(), "stmt.pdf");
  EXPECT_EQ(c.attachments(0).content_type(), "application/pdf");
  EXPECT_EQ(c.attachments(0).size_bytes(), 1234);
  EXPECT_EQ(c.attachments(0).sha256(), std::string(64, 'a'));
  EXPECT_EQ(c.attachments(0).uri(), "s3://docs/stmt.pdf");
  EXPECT_EQ(req->request_id(), kRequestId);
  // Nothing output-only is sent.
  EXPECT_EQ(c.name(), "");
  EXPECT_EQ(c.state(), v1::Complaint::STATE_UNSPECIFIED);
}

TEST(RequestsTest, SubmitMinimalLeavesOptionalFieldsUnset) {
  auto req = BuildSubmitRequest(
      MustParse({"submit", "--name", "A", "--channel", "web", "--description", "d"}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->complaint().channel(), v1::CHANNEL_WEB);
  EXPECT_EQ(req->complaint().complainant().preferred_channel(), v1::CHANNEL_UNSPECIFIED);
  EXPECT_FALSE(req->complaint().has_occurrence_time());
  EXPECT_TRUE(req->complaint().labels().empty());
  EXPECT_TRUE(IsUuidV4(req->request_id())) << req->request_id();
}

TEST(RequestsTest, ChannelSpellings) {
  for (const char* spelling :
       {"SOCIAL_MEDIA", "social_media", "social-media", "Social_Media", "CHANNEL_SOCIAL_MEDIA",
        "channel_social_media"}) {
    auto req = BuildSubmitRequest(
        MustParse({"submit", "--name", "A", "--channel", spelling, "--description", "d"}));
    ASSERT_TRUE(req.ok()) << spelling << ": " << req.status();
    EXPECT_EQ(req->complaint().channel(), v1::CHANNEL_SOCIAL_MEDIA) << spelling;
  }
  for (const char* name : {"WEB", "EMAIL", "PHONE", "CHAT", "IN_PERSON", "LETTER", "API"}) {
    auto req = BuildSubmitRequest(
        MustParse({"submit", "--name", "A", "--channel", name, "--description", "d"}));
    ASSERT_TRUE(req.ok()) << name;
    EXPECT_EQ(v1::Channel_Name(req->complaint().channel()), std::string("CHANNEL_") + name);
  }
}

TEST(RequestsTest, BadEnumValuesNameTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string flag;
  };
  auto submit = [](const Invocation& inv) { return BuildSubmitRequest(inv); };
  auto check = [](const absl::Status& s, const std::string& flag) {
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << flag;
    EXPECT_THAT(s.message(), HasSubstr("--" + flag));
  };
  check(BuildError({"submit", "--name", "A", "--channel", "fax", "--description", "d"}, submit),
        "channel");
  check(BuildError({"submit", "--name", "A", "--channel", "web", "--description", "d",
                    "--preferred-channel", "pigeon"},
                   submit),
        "preferred-channel");
  // The zero value is never accepted.
  check(BuildError({"submit", "--name", "A", "--channel", "UNSPECIFIED", "--description", "d"},
                   submit),
        "channel");
  check(BuildError({"ack", "c1", "--channel", "smoke"},
                   [](const Invocation& i) { return BuildAckRequest(i); }),
        "channel");
  check(BuildError({"assess", "c1", "--severity", "low", "--priority", "urgent", "--complexity",
                    "low", "--impact", "low"},
                   [](const Invocation& i) { return BuildAssessRequest(i); }),
        "priority");
  check(BuildError({"note", "c1", "--text", "t", "--visibility", "public"},
                   [](const Invocation& i) { return BuildNoteRequest(i); }),
        "visibility");
  check(BuildError({"respond", "c1", "--decision", "maybe", "--text", "t", "--via", "email"},
                   [](const Invocation& i) { return BuildRespondRequest(i); }),
        "decision");
  check(BuildError({"respond", "c1", "--decision", "upheld", "--text", "t", "--via", "carrier"},
                   [](const Invocation& i) { return BuildRespondRequest(i); }),
        "via");
  check(BuildError({"decide", "c1", "--outcome", "shrug"},
                   [](const Invocation& i) { return BuildDecideRequest(i); }),
        "outcome");
  check(BuildError({"dispute", "c1", "--kind", "court"},
                   [](const Invocation& i) { return BuildDisputeRequest(i); }),
        "kind");
  check(BuildError({"resolve-dispute", "c1", "--outcome", "accepted", "--text", "t"},
                   [](const Invocation& i) { return BuildResolveDisputeRequest(i); }),
        "outcome");
}

TEST(RequestsTest, BadEnumMessageListsChoices) {
  absl::Status s = BuildError({"respond", "c1", "--decision", "x", "--text", "t", "--via", "web"},
                              [](const Invocation& i) { return BuildRespondRequest(i); });
  EXPECT_THAT(s.message(), HasSubstr("upheld, partially-upheld, not-upheld"));
}

TEST(RequestsTest, SubmitRejectsMalformedValues) {
  auto submit = [](const Invocation& inv) { return BuildSubmitRequest(inv); };
  std::vector<std::string> base = {"submit", "--name", "A", "--channel", "web",
                                   "--description", "d"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return BuildError(args, submit);
  };
  EXPECT_THAT(with({"--occurred", "yesterday"}).message(), HasSubstr("--occurred"));
  EXPECT_THAT(with({"--label", "novalue"}).message(), HasSubstr("--label"));
  EXPECT_THAT(with({"--label", "=v"}).message(), HasSubstr("--label"));
  EXPECT_THAT(with({"--label", "k=1", "--label", "k=2"}).message(), HasSubstr("--label k"));
  EXPECT_THAT(with({"--attachment", "nonsense"}).message(), HasSubstr("--attachment"));
  EXPECT_THAT(with({"--attachment", "file_name=a,size=big"}).message(), HasSubstr("size"));
  EXPECT_THAT(with({"--attachment", "file_name=a,file_name=b"}).message(), HasSubstr("twice"));
}

TEST(RequestsTest, OccurredAcceptsOffsets) {
  auto req = BuildSubmitRequest(MustParse({"submit", "--name", "A", "--channel", "web",
                                           "--description", "d", "--occurred",
                                           "2026-01-31T10:30:00+01:00"}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(google::protobuf::util::TimeUtil::ToString(req->complaint().occurrence_time()),
            "2026-01-31T09:30:00Z");
}

TEST(RequestsTest, AttachmentParsing) {
  auto a = ParseAttachment(
      "uri=https://docs.example/get?id=1,2,sha256=abc,size=0,content_type=text/plain,"
      "file_name=a.txt");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->uri(), "https://docs.example/get?id=1,2");
  EXPECT_EQ(a->sha256(), "abc");
  EXPECT_EQ(a->size_bytes(), 0);
  EXPECT_EQ(a->content_type(), "text/plain");
  EXPECT_EQ(a->file_name(), "a.txt");

  auto repeated = BuildSubmitRequest(MustParse(
      {"submit", "--name", "A", "--channel", "web", "--description", "d", "--attachment",
       "file_name=1.pdf,sha256=aa", "--attachment", "file_name=2.pdf,size_bytes=7,sha256=bb"}));
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  ASSERT_EQ(repeated->complaint().attachments_size(), 2);
  EXPECT_EQ(repeated->complaint().attachments(0).file_name(), "1.pdf");
  EXPECT_EQ(repeated->complaint().attachments(1).file_name(), "2.pdf");
  EXPECT_EQ(repeated->complaint().attachments(1).size_bytes(), 7);
}

TEST(RequestsTest, LabelSplitsAtFirstEquals) {
  auto l = ParseLabel("expr=a=b");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->first, "expr");
  EXPECT_EQ(l->second, "a=b");
  auto empty_value = ParseLabel("k=");
  ASSERT_TRUE(empty_value.ok());
  EXPECT_EQ(empty_value->second, "");
}

TEST(RequestsTest, Get) {
  auto req = BuildGetRequest(MustParse({"get", "abc"}));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->name(), "complaints/abc");
}

TEST(RequestsTest, List) {
  auto req = BuildListRequest(MustParse(
      {"list", "--filter", "state = RECEIVED", "--page-size=25", "--page-token", "tok"}));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->filter(), "state = RECEIVED");
  EXPECT_EQ(req->page_size(), 25);
  EXPECT_EQ(req->page_token(), "tok");

  absl::Status bad = BuildError({"list", "--page-size", "ten"},
                                [](const Invocation& i) { return BuildListRequest(i); });
  EXPECT_THAT(bad.message(), HasSubstr("--page-size"));
  absl::Status negative = BuildError({"list", "--page-size=-1"},
                                     [](const Invocation& i) { return BuildListRequest(i); });
  EXPECT_THAT(negative.message(), HasSubstr("--page-size"));
}

TEST(RequestsTest, History) {
  auto req = BuildHistoryRequest(MustParse({"history", "complaints/abc", "--page-size", "7"}));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->parent(), "complaints/abc");
  EXPECT_EQ(req->page_size(), 7);
  EXPECT_EQ(req->page_token(), "");
}

TEST(RequestsTest, Ack) {
  auto req = BuildAckRequest(MustParse({"ack", "abc", "--channel", "email", "--message", "Thanks",
                                        "--etag", "E1", "--request-id", kRequestId}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->name(), "complaints/abc");
  EXPECT_EQ(req->etag(), "E1");
  EXPECT_EQ(req->request_id(), kRequestId);
  EXPECT_EQ(req->channel(), v1::CHANNEL_EMAIL);
  EXPECT_EQ(req->message(), "Thanks");

  auto bare = BuildAckRequest(MustParse({"ack", "abc"}));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->channel(), v1::CHANNEL_UNSPECIFIED);
  EXPECT_EQ(bare->etag(), "");
  EXPECT_TRUE(IsUuidV4(bare->request_id()));
}

TEST(RequestsTest, Assess) {
  auto req = BuildAssessRequest(MustParse(
      {"assess", "abc", "--severity", "low", "--priority=MEDIUM", "--complexity", "level_high",
       "--impact", "Critical", "--immediate-action", "--health-safety", "--rationale", "why"}));
  ASSERT_TRUE(req.ok()) << req.status();
  const v1::Assessment& a = req->assessment();
  EXPECT_EQ(a.severity(), v1::LEVEL_LOW);
  EXPECT_EQ(a.priority(), v1::LEVEL_MEDIUM);
  EXPECT_EQ(a.complexity(), v1::LEVEL_HIGH);
  EXPECT_EQ(a.impact(), v1::LEVEL_CRITICAL);
  EXPECT_TRUE(a.immediate_action_required());
  EXPECT_TRUE(a.health_safety_issue());
  EXPECT_EQ(a.rationale(), "why");
  EXPECT_EQ(a.assessor(), "");

  auto plain = BuildAssessRequest(MustParse({"assess", "abc", "--severity", "low", "--priority",
                                             "low", "--complexity", "low", "--impact", "low"}));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->assessment().immediate_action_required());
  EXPECT_FALSE(plain->assessment().health_safety_issue());
}

TEST(RequestsTest, Assign) {
  auto req = BuildAssignRequest(MustParse({"assign", "abc", "--assignee", "alice"}));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->name(), "complaints/abc");
  EXPECT_EQ(req->assignee(), "alice");
}

TEST(RequestsTest, Investigate) {
  auto req = BuildInvestigateRequest(MustParse({"investigate", "abc", "--plan", "Call them"}));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->plan(), "Call them");
}

TEST(RequestsTest, NoteVisibility) {
  auto internal = BuildNoteRequest(MustParse({"note", "abc", "--text", "hello"}));
  ASSERT_TRUE(internal.ok());
  EXPECT_EQ(internal->text(), "hello");
  EXPECT_EQ(internal->visibility(), v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
  auto external =
      BuildNoteRequest(MustParse({"note", "abc", "--text", "hi", "--visibility", "external"}));
  ASSERT_TRUE(external.ok());
  EXPECT_EQ(external->visibility(), v1::AddComplaintNoteRequest::VISIBILITY_EXTERNAL);
}

TEST(RequestsTest, Escalate) {
  auto req = BuildEscalateRequest(MustParse({"escalate", "abc", "--reason", "Overdue"}));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->reason(), "Overdue");
}

TEST(RequestsTest, Respond) {
  auto req = BuildRespondRequest(MustParse(
      {"respond", "abc", "--decision", "partially-upheld", "--text", "Sorry", "--via", "letter",
       "--remedy", "Refund", "--amount", "2500", "--currency", "GBP"}));
  ASSERT_TRUE(req.ok()) << req.status();
  const v1::Response& r = req->response();
  EXPECT_EQ(r.decision(), v1::Response::DECISION_PARTIALLY_UPHELD);
  EXPECT_EQ(r.text(), "Sorry");
  EXPECT_EQ(r.communicated_via(), v1::CHANNEL_LETTER);
  EXPECT_EQ(r.remedy_offered(), "Refund");
  ASSERT_TRUE(r.has_redress_amount());
  EXPECT_EQ(r.redress_amount().amount_minor(), 2500);
  EXPECT_EQ(r.redress_amount().currency_code(), "GBP");
  EXPECT_FALSE(r.summary_resolution());

  for (const auto& [spelling, decision] :
       std::vector<std::pair<std::string, v1::Response::Decision>>{
           {"upheld", v1::Response::DECISION_UPHELD},
           {"not-upheld", v1::Response::DECISION_NOT_UPHELD},
           {"NOT_UPHELD", v1::Response::DECISION_NOT_UPHELD}}) {
    auto r2 = BuildRespondRequest(
        MustParse({"respond", "abc", "--decision", spelling, "--text", "t", "--via", "web"}));
    ASSERT_TRUE(r2.ok()) << spelling;
    EXPECT_EQ(r2->response().decision(), decision) << spelling;
    EXPECT_FALSE(r2->response().has_redress_amount());
  }
}

TEST(RequestsTest, RespondAmountNeedsCurrency) {
  auto respond = [](const Invocation& i) { return BuildRespondRequest(i); };
  std::vector<std::string> base = {"respond", "abc", "--decision", "upheld", "--text", "t",
                                   "--via", "web"};
  auto only_amount = base;
  only_amount.insert(only_amount.end(), {"--amount", "100"});
  EXPECT_THAT(BuildError(only_amount, respond).message(), HasSubstr("--currency"));
  auto only_currency = base;
  only_currency.insert(only_currency.end(), {"--currency", "EUR"});
  EXPECT_THAT(BuildError(only_currency, respond).message(), HasSubstr("--amount"));
  auto bad_amount = base;
  bad_amount.insert(bad_amount.end(), {"--amount", "12.50", "--currency", "EUR"});
  EXPECT_THAT(BuildError(bad_amount, respond).message(), HasSubstr("--amount"));
}

TEST(RequestsTest, Decide) {
  auto req = BuildDecideRequest(
      MustParse({"decide", "abc", "--outcome", "rejected", "--comment", "Not enough"}));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->decision().outcome(), v1::ComplainantDecision::OUTCOME_REJECTED);
  EXPECT_EQ(req->decision().comment(), "Not enough");
  auto accepted = BuildDecideRequest(MustParse({"decide", "abc", "--outcome=accepted"}));
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->decision().outcome(), v1::ComplainantDecision::OUTCOME_ACCEPTED);
}

TEST(RequestsTest, Dispute) {
  auto req = BuildDisputeRequest(
      MustParse({"dispute", "abc", "--kind", "external-adr", "--body", "Financial Ombudsman",
                 "--external-ref", "FOS-1", "--reason", "Unfair"}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->dispute().kind(), v1::Dispute::KIND_EXTERNAL_ADR);
  EXPECT_EQ(req->dispute().body(), "Financial Ombudsman");
  EXPECT_EQ(req->dispute().external_reference(), "FOS-1");
  EXPECT_EQ(req->dispute().reason(), "Unfair");
  EXPECT_EQ(req->dispute().outcome(), v1::Dispute::OUTCOME_UNSPECIFIED);
  auto appeal = BuildDisputeRequest(MustParse({"dispute", "abc", "--kind", "internal-appeal"}));
  ASSERT_TRUE(appeal.ok());
  EXPECT_EQ(appeal->dispute().kind(), v1::Dispute::KIND_INTERNAL_APPEAL);
}

TEST(RequestsTest, ResolveDispute) {
  for (const auto& [spelling, outcome] : std::vector<std::pair<std::string, v1::Dispute::Outcome>>{
           {"response-upheld", v1::Dispute::OUTCOME_RESPONSE_UPHELD},
           {"response-revised", v1::Dispute::OUTCOME_RESPONSE_REVISED},
           {"remitted", v1::Dispute::OUTCOME_REMITTED}}) {
    auto req = BuildResolveDisputeRequest(
        MustParse({"resolve-dispute", "abc", "--outcome", spelling, "--text", "Done"}));
    ASSERT_TRUE(req.ok()) << spelling;
    EXPECT_EQ(req->outcome(), outcome);
    EXPECT_EQ(req->outcome_text(), "Done");
  }
}

TEST(RequestsTest, CloseWithdrawReopen) {
  auto close = BuildCloseRequest(MustParse({"close", "abc", "--reason", "Final", "--etag", "E"}));
  ASSERT_TRUE(close.ok());
  EXPECT_EQ(close->name(), "complaints/abc");
  EXPECT_EQ(close->reason(), "Final");
  EXPECT_EQ(close->etag(), "E");

  auto withdraw = BuildWithdrawRequest(MustParse({"withdraw", "abc"}));
  ASSERT_TRUE(withdraw.ok());
  EXPECT_EQ(withdraw->reason(), "");
  auto withdraw_why = BuildWithdrawRequest(MustParse({"withdraw", "abc", "--reason", "Sorted"}));
  ASSERT_TRUE(withdraw_why.ok());
  EXPECT_EQ(withdraw_why->reason(), "Sorted");

  auto reopen = BuildReopenRequest(MustParse({"reopen", "complaints/abc", "--reason", "New"}));
  ASSERT_TRUE(reopen.ok());
  EXPECT_EQ(reopen->name(), "complaints/abc");
  EXPECT_EQ(reopen->reason(), "New");
}

TEST(RequestsTest, EveryMutatingRequestGetsAFreshUuidV4) {
  Invocation inv = MustParse({"escalate", "abc", "--reason", "r"});
  auto first = BuildEscalateRequest(inv);
  auto second = BuildEscalateRequest(inv);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(IsUuidV4(first->request_id())) << first->request_id();
  EXPECT_TRUE(IsUuidV4(second->request_id())) << second->request_id();
  EXPECT_NE(first->request_id(), second->request_id());
}

TEST(UuidTest, NewUuidV4IsCanonicalVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuidV4();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[13], '-');
    EXPECT_EQ(id[18], '-');
    EXPECT_EQ(id[23], '-');
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_THAT(std::string("89ab"), HasSubstr(std::string(1, id[19]))) << id;
    for (char c : id) {
      EXPECT_TRUE(c == '-' || (std::isxdigit(c) && !std::isupper(c))) << id;
    }
    EXPECT_TRUE(IsUuidV4(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UuidTest, IsUuidV4RejectsOtherShapes) {
  EXPECT_TRUE(IsUuidV4(kRequestId));
  EXPECT_FALSE(IsUuidV4(""));
  EXPECT_FALSE(IsUuidV4("7f1c2d3e-4a5b-1c6d-8e9f-0a1b2c3d4e5f"));   // version 1
  EXPECT_FALSE(IsUuidV4("7f1c2d3e-4a5b-4c6d-ce9f-0a1b2c3d4e5f"));   // wrong variant
  EXPECT_FALSE(IsUuidV4("7f1c2d3e4a5b4c6d8e9f0a1b2c3d4e5f"));       // no dashes
  EXPECT_FALSE(IsUuidV4("7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5g"));   // not hex
}

}  // namespace
}  // namespace redress::cli
