// redressctl output: key/value and column tables, protobuf JSON, status codes.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "clients/cli/output.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;

google::protobuf::Timestamp Time(const std::string& rfc3339) {
  google::protobuf::Timestamp ts;
  EXPECT_TRUE(TimeUtil::FromString(rfc3339, &ts)) << rfc3339;
  return ts;
}

v1::Complaint SampleComplaint() {
  v1::Complaint c;
  c.set_name("complaints/01J0ABC");
  c.set_reference("CMP-2026-000042");
  c.set_state(v1::Complaint::STATE_INVESTIGATING);
  c.set_etag("W/\"7\"");
  *c.mutable_create_time() = Time("2026-02-01T10:00:00Z");
  *c.mutable_update_time() = Time("2026-02-03T12:30:15.250Z");
  c.mutable_complainant()->set_display_name("Ada Lovelace");
  c.mutable_complainant()->set_email("ada@example.com");
  c.set_channel(v1::CHANNEL_SOCIAL_MEDIA);
  c.set_category("billing");
  c.set_description("Charged twice");
  c.set_assignee("alice");
  c.set_escalation_level(2);
  (*c.mutable_labels())["region"] = "north";
  c.set_event_count(5);
  v1::Assessment* a = c.mutable_assessment();
  a->set_severity(v1::LEVEL_HIGH);
  a->set_priority(v1::LEVEL_MEDIUM);
  a->set_complexity(v1::LEVEL_LOW);
  a->set_impact(v1::LEVEL_CRITICAL);
  a->set_health_safety_issue(true);
  a->set_rationale("Vulnerable customer");
  a->set_assessor("bob");
  *a->mutable_assess_time() = Time("2026-02-01T11:00:00Z");
  return c;
}

// The value printed for `key` in a key/value block, or "<absent>".
std::string ValueOf(const std::string& table, const std::string& key) {
  for (absl::string_view line : absl::StrSplit(table, '\n')) {
    std::string l(line);
    if (l.rfind(key + ":", 0) == 0) {
      size_t start = l.find_first_not_of(' ', key.size() + 1);
      return start == std::string::npos ? "" : l.substr(start);
    }
  }
  return "<absent>";
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(OutputTest, ComplaintTableShowsMainFields) {
  std::string t = ComplaintTable(SampleComplaint());
  EXPECT_EQ(ValueOf(t, "name"), "complaints/01J0ABC");
  EXPECT_EQ(ValueOf(t, "reference"), "CMP-2026-000042");
  EXPECT_EQ(ValueOf(t, "state"), "INVESTIGATING");
  EXPECT_EQ(ValueOf(t, "etag"), "W/\"7\"");
  EXPECT_EQ(ValueOf(t, "channel"), "SOCIAL_MEDIA");
  EXPECT_EQ(ValueOf(t, "category"), "billing");
  EXPECT_EQ(ValueOf(t, "assignee"), "alice");
  EXPECT_EQ(ValueOf(t, "escalation level"), "2");
  EXPECT_EQ(ValueOf(t, "created"), "2026-02-01T10:00:00Z");
  EXPECT_EQ(ValueOf(t, "updated"), "2026-02-03T12:30:15.250Z");
  EXPECT_EQ(ValueOf(t, "complainant"), "Ada Lovelace");
  EXPECT_THAT(t, Not(HasSubstr("STATE_")));
  EXPECT_THAT(t, Not(HasSubstr("CHANNEL_")));
}

TEST(OutputTest, ComplaintTableShowsSetAssessmentOnly) {
  std::string t = ComplaintTable(SampleComplaint());
  EXPECT_EQ(ValueOf(t, "severity"), "HIGH");
  EXPECT_EQ(ValueOf(t, "priority"), "MEDIUM");
  EXPECT_EQ(ValueOf(t, "complexity"), "LOW");
  EXPECT_EQ(ValueOf(t, "impact"), "CRITICAL");
  EXPECT_EQ(ValueOf(t, "immediate action"), "no");
  EXPECT_EQ(ValueOf(t, "health and safety"), "yes");
  EXPECT_EQ(ValueOf(t, "rationale"), "Vulnerable customer");
  EXPECT_EQ(ValueOf(t, "assessor"), "bob");
  EXPECT_EQ(ValueOf(t, "assessed"), "2026-02-01T11:00:00Z");
  // No response, decision, dispute or closure yet.
  EXPECT_EQ(ValueOf(t, "decision"), "<absent>");
  EXPECT_EQ(ValueOf(t, "dispute"), "<absent>");
  EXPECT_EQ(ValueOf(t, "closure reason"), "<absent>");
  EXPECT_EQ(ValueOf(t, "closed"), "<absent>");
}

TEST(OutputTest, ComplaintTableShowsResponseDecisionDisputeClosure) {
  v1::Complaint c = SampleComplaint();
  c.set_state(v1::Complaint::STATE_CLOSED);
  v1::Response* r = c.mutable_response();
  r->set_decision(v1::Response::DECISION_PARTIALLY_UPHELD);
  r->set_text("We are sorry.\nHere is what we will do.");
  r->set_remedy_offered("Refund of fees");
  r->mutable_redress_amount()->set_currency_code("GBP");
  r->mutable_redress_amount()->set_amount_minor(2500);
  r->set_communicated_via(v1::CHANNEL_EMAIL);
  r->set_responder("carol");
  *r->mutable_respond_time() = Time("2026-02-10T09:00:00Z");
  c.mutable_complainant_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_REJECTED);
  c.mutable_complainant_decision()->set_comment("Too little");
  c.mutable_dispute()->set_kind(v1::Dispute::KIND_EXTERNAL_ADR);
  c.mutable_dispute()->set_body("Financial Ombudsman Service");
  c.mutable_dispute()->set_outcome(v1::Dispute::OUTCOME_RESPONSE_UPHELD);
  *c.mutable_dispute()->mutable_open_time() = Time("2026-03-01T00:00:00Z");
  c.set_closure_reason("Ombudsman upheld the response");
  *c.mutable_close_time() = Time("2026-04-01T00:00:00Z");

  std::string t = ComplaintTable(c);
  EXPECT_EQ(ValueOf(t, "state"), "CLOSED");
  EXPECT_EQ(ValueOf(t, "decision"), "PARTIALLY_UPHELD");
  EXPECT_EQ(ValueOf(t, "response"), "We are sorry.");
  EXPECT_EQ(ValueOf(t, "remedy offered"), "Refund of fees");
  EXPECT_EQ(ValueOf(t, "redress amount"), "GBP 2500 (minor units)");
  EXPECT_EQ(ValueOf(t, "communicated via"), "EMAIL");
  EXPECT_EQ(ValueOf(t, "responder"), "carol");
  EXPECT_EQ(ValueOf(t, "responded"), "2026-02-10T09:00:00Z");
  EXPECT_EQ(ValueOf(t, "complainant decision"), "REJECTED");
  EXPECT_EQ(ValueOf(t, "decision comment"), "Too little");
  EXPECT_EQ(ValueOf(t, "dispute"), "EXTERNAL_ADR");
  EXPECT_EQ(ValueOf(t, "dispute body"), "Financial Ombudsman Service");
  EXPECT_EQ(ValueOf(t, "dispute outcome"), "RESPONSE_UPHELD");
  EXPECT_EQ(ValueOf(t, "dispute opened"), "2026-03-01T00:00:00Z");
  EXPECT_EQ(ValueOf(t, "closure reason"), "Ombudsman upheld the response");
  EXPECT_EQ(ValueOf(t, "closed"), "2026-04-01T00:00:00Z");
  // A multi-line value continues under the value column.
  size_t column = t.find("We are sorry.") - t.rfind('\n', t.find("We are sorry.")) - 1;
  EXPECT_THAT(t, HasSubstr("\n" + std::string(column, ' ') + "Here is what we will do.\n"));
}

TEST(OutputTest, ComplaintTableValuesAreAligned) {
  std::string t = ComplaintTable(SampleComplaint());
  size_t column = std::string::npos;
  for (const std::string& line : Lines(t)) {
    size_t colon = line.find(':');
    ASSERT_NE(colon, std::string::npos) << line;
    size_t value = line.find_first_not_of(' ', colon + 1);
    if (column == std::string::npos) column = value;
    EXPECT_EQ(value, column) << line;
  }
}

TEST(OutputTest, EmptyFieldsShowDash) {
  v1::Complaint c;
  c.set_name("complaints/x");
  c.set_state(v1::Complaint::STATE_RECEIVED);
  std::string t = ComplaintTable(c);
  EXPECT_EQ(ValueOf(t, "assignee"), "-");
  EXPECT_EQ(ValueOf(t, "category"), "-");
  EXPECT_EQ(ValueOf(t, "channel"), "-");
  EXPECT_EQ(ValueOf(t, "created"), "-");
  EXPECT_EQ(ValueOf(t, "escalation level"), "0");
  EXPECT_EQ(ValueOf(t, "severity"), "<absent>");
}

TEST(OutputTest, ComplaintJsonUsesProtoFieldNamesAndRoundTrips) {
  v1::Complaint c = SampleComplaint();
  absl::StatusOr<std::string> json = ToJson(c);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"escalation_level\": 2"));
  EXPECT_THAT(*json, HasSubstr("\"create_time\": \"2026-02-01T10:00:00Z\""));
  EXPECT_THAT(*json, HasSubstr("\"state\": \"STATE_INVESTIGATING\""));
  EXPECT_THAT(*json, HasSubstr("\"display_name\": \"Ada Lovelace\""));
  EXPECT_THAT(*json, Not(HasSubstr("escalationLevel")));
  EXPECT_EQ(json->front(), '{');
  EXPECT_EQ(json->back(), '\n');

  v1::Complaint back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &back).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(c, back));
}

TEST(OutputTest, ListTable) {
  v1::ListComplaintsResponse resp;
  *resp.add_complaints() = SampleComplaint();
  v1::Complaint* other = resp.add_complaints();
  other->set_name("complaints/2");
  other->set_reference("CMP-2026-000043");
  other->set_state(v1::Complaint::STATE_RECEIVED);
  other->set_channel(v1::CHANNEL_WEB);
  *other->mutable_create_time() = Time("2026-02-02T08:00:00Z");

  std::vector<std::string> lines = Lines(ComplaintListTable(resp));
  ASSERT_EQ(lines.size(), 3u);
  std::vector<std::string> header = absl::StrSplit(lines[0], ' ', absl::SkipEmpty());
  EXPECT_THAT(header, ::testing::ElementsAre("NAME", "REFERENCE", "STATE", "CHANNEL", "CATEGORY",
                                             "ASSIGNEE", "CREATED"));
  std::vector<std::string> row1 = absl::StrSplit(lines[1], ' ', absl::SkipEmpty());
  EXPECT_THAT(row1, ::testing::ElementsAre("complaints/01J0ABC", "CMP-2026-000042",
                                           "INVESTIGATING", "SOCIAL_MEDIA", "billing", "alice",
                                           "2026-02-01T10:00:00Z"));
  std::vector<std::string> row2 = absl::StrSplit(lines[2], ' ', absl::SkipEmpty());
  EXPECT_THAT(row2, ::testing::ElementsAre("complaints/2", "CMP-2026-000043", "RECEIVED", "WEB",
                                           "-", "-", "2026-02-02T08:00:00Z"));
  // Columns line up: each header word starts where its cells start.
  for (const char* col : {"STATE", "CHANNEL", "CREATED"}) {
    size_t at = lines[0].find(col);
    EXPECT_NE(lines[1][at], ' ') << col;
    EXPECT_EQ(lines[1][at - 1], ' ') << col;
    EXPECT_NE(lines[2][at], ' ') << col;
    EXPECT_EQ(lines[2][at - 1], ' ') << col;
  }
  for (const std::string& line : lines) EXPECT_NE(line.back(), ' ');
}

TEST(OutputTest, EventTable) {
  v1::ListComplaintEventsResponse resp;
  v1::ComplaintEvent* e = resp.add_events();
  e->set_sequence(1);
  e->set_type(v1::ComplaintEvent::TYPE_SUBMITTED);
  e->set_to_state(v1::Complaint::STATE_RECEIVED);
  e->set_actor("web-intake");
  *e->mutable_event_time() = Time("2026-02-01T10:00:00Z");
  e->set_hash("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  v1::ComplaintEvent* e2 = resp.add_events();
  e2->set_sequence(2);
  e2->set_type(v1::ComplaintEvent::TYPE_COMPLAINANT_DECISION_RECORDED);
  e2->set_from_state(v1::Complaint::STATE_RESPONDED);
  e2->set_to_state(v1::Complaint::STATE_RESPONDED);
  e2->set_actor("alice");
  *e2->mutable_event_time() = Time("2026-02-02T10:00:00Z");
  e2->set_hash("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");

  std::vector<std::string> lines = Lines(EventTable(resp));
  ASSERT_EQ(lines.size(), 3u);
  std::vector<std::string> header = absl::StrSplit(lines[0], ' ', absl::SkipEmpty());
  EXPECT_THAT(header,
              ::testing::ElementsAre("SEQ", "TIME", "TYPE", "FROM", "TO", "ACTOR", "HASH"));
  std::vector<std::string> row1 = absl::StrSplit(lines[1], ' ', absl::SkipEmpty());
  EXPECT_THAT(row1, ::testing::ElementsAre("1", "2026-02-01T10:00:00Z", "SUBMITTED", "-",
                                           "RECEIVED", "web-intake", "0123456789ab"));
  std::vector<std::string> row2 = absl::StrSplit(lines[2], ' ', absl::SkipEmpty());
  EXPECT_THAT(row2, ::testing::ElementsAre("2", "2026-02-02T10:00:00Z",
                                           "COMPLAINANT_DECISION_RECORDED", "RESPONDED",
                                           "RESPONDED", "alice", "fedcba987654"));
}

TEST(OutputTest, ListJsonAlwaysHasTheArray) {
  v1::ListComplaintsResponse empty;
  absl::StatusOr<std::string> json = ListJson(empty);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"complaints\": []"));
  v1::ListComplaintsResponse parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &parsed).ok()) << *json;

  v1::ListComplaintsResponse token_only;
  token_only.set_next_page_token("abc");
  json = ListJson(token_only);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"complaints\": []"));
  EXPECT_THAT(*json, HasSubstr("\"next_page_token\": \"abc\""));
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &parsed).ok()) << *json;
  EXPECT_EQ(parsed.next_page_token(), "abc");

  v1::ListComplaintsResponse one;
  *one.add_complaints() = SampleComplaint();
  json = ListJson(one);
  ASSERT_TRUE(json.ok());
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &parsed).ok()) << *json;
  EXPECT_EQ(parsed.complaints_size(), 1);
  EXPECT_EQ(parsed.complaints(0).reference(), "CMP-2026-000042");
}

TEST(OutputTest, HistoryJson) {
  v1::ListComplaintEventsResponse empty;
  absl::StatusOr<std::string> json = HistoryJson(empty);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"events\": []"));

  v1::ListComplaintEventsResponse resp;
  resp.add_events()->set_prev_hash(std::string(64, '0'));
  json = HistoryJson(resp);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"events\": ["));
  EXPECT_THAT(*json, HasSubstr("\"prev_hash\""));
}

// What a terminal could act on, found independently of terminal_text.cc:
// C0 controls other than LF, DEL, the C1 controls (UTF-8 C2 80-C2 9F), the
// bidi controls U+202A-U+202E (E2 80 AA-AE) and U+2066-U+2069 (E2 81 A6-A9),
// and a lone byte 0x80-0x9f (an 8-bit terminal's C1).
std::string FirstRawControl(const std::string& s) {
  int continuation = 0;  // bytes still expected in the current UTF-8 sequence
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
    const std::string at = " at " + std::to_string(i);
    if (continuation > 0 && (c & 0xc0) == 0x80) {
      --continuation;
      continue;
    }
    continuation = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if ((c < 0x20 && c != '\n') || c == 0x7f) return "C0/DEL" + at;
    if (c >= 0x80 && c < 0xc0) return "lone byte" + at;
    if (c == 0xc2 && next(1) >= 0x80 && next(1) <= 0x9f) return "C1" + at;
    if (c == 0xe2 && next(1) == 0x80 && next(2) >= 0xaa && next(2) <= 0xae) return "bidi" + at;
    if (c == 0xe2 && next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9) return "bidi" + at;
  }
  return "";
}

// Text stored before the server refused control characters (issue 14).
v1::Complaint HostileComplaint() {
  v1::Complaint c = SampleComplaint();
  c.set_closure_reason("first line\nsecond \x1b[31mred\xc2\x9b" "2J\xe2\x80\xae" "txt.exe");
  c.set_category("billing\xc2\x9b" "31m");
  c.set_product("card \xe2\x81\xa6" "x\xe2\x81\xa9");
  c.set_assignee("alice\x07");
  c.mutable_complainant()->set_display_name("Eve\xc2\x85\x7f");
  c.mutable_assessment()->set_rationale("why\r\x1b]0;title\x07 bad byte \x9b" "31m");
  return c;
}

TEST(OutputTest, TablesNeverWriteRawControlCharacters) {
  const v1::Complaint c = HostileComplaint();
  const std::string t = ComplaintTable(c);
  EXPECT_EQ(FirstRawControl(t), "") << t;
  EXPECT_THAT(t, HasSubstr("\\u009b"));
  EXPECT_THAT(t, HasSubstr("\\u001b[31m"));
  EXPECT_THAT(t, HasSubstr("\\u202e"));
  EXPECT_EQ(ValueOf(t, "category"), "billing\\u009b31m");
  EXPECT_EQ(ValueOf(t, "complainant"), "Eve\\u0085\\u007f");
  // A multi-line value still continues on the next line.
  EXPECT_EQ(ValueOf(t, "closure reason"), "first line");
  EXPECT_THAT(t, HasSubstr("\n                   second \\u001b[31mred\\u009b2J\\u202etxt.exe\n"));
  EXPECT_EQ(ValueOf(t, "rationale"), "why\\u000d\\u001b]0;title\\u0007 bad byte \\x9b31m");

  v1::ListComplaintsResponse list;
  *list.add_complaints() = c;
  const std::string lt = ComplaintListTable(list);
  EXPECT_EQ(FirstRawControl(lt), "") << lt;
  EXPECT_THAT(lt, HasSubstr("alice\\u0007"));

  v1::ListComplaintEventsResponse events;
  events.add_events()->set_actor("a\xc2\x9b" "2J");
  const std::string et = EventTable(events);
  EXPECT_EQ(FirstRawControl(et), "") << et;
  EXPECT_THAT(et, HasSubstr("a\\u009b2J"));

  const std::string ft = FormatTable({"A"}, {{"x\xe2\x81\xa7y"}});
  EXPECT_EQ(ft, "A\nx\\u2067y\n");
}

TEST(OutputTest, JsonNeverWritesRawControlCharactersAndKeepsTheValue) {
  v1::Complaint c = HostileComplaint();
  c.mutable_assessment()->set_rationale("valid text only");  // JSON carries valid UTF-8 only
  const absl::StatusOr<std::string> json = ToJson(c);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(FirstRawControl(*json), "") << *json;
  v1::Complaint back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &back).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(c, back));
  v1::ListComplaintsResponse list;
  *list.add_complaints() = c;
  const absl::StatusOr<std::string> lj = ListJson(list);
  ASSERT_TRUE(lj.ok());
  EXPECT_EQ(FirstRawControl(*lj), "") << *lj;
}

TEST(OutputTest, RpcErrorsNeverWriteRawControlCharacters) {
  google::rpc::BadRequest bad;
  auto* v = bad.add_field_violations();
  v->set_field("filter");
  v->set_description("unknown state value \x1b[2J\xc2\x9b");
  google::rpc::Status details;
  details.add_details()->PackFrom(bad);
  const std::string e = FormatRpcError(grpc::StatusCode::INVALID_ARGUMENT,
                                       "filter: unknown state value \x1b[2J\xc2\x9b",
                                       details.SerializeAsString());
  EXPECT_EQ(FirstRawControl(e), "") << e;
  EXPECT_EQ(e,
            "error: INVALID_ARGUMENT: filter: unknown state value \\u001b[2J\\u009b\n"
            "field_violation: filter: unknown state value \\u001b[2J\\u009b\n");
}

TEST(OutputTest, StatusCodeNames) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::FAILED_PRECONDITION), "FAILED_PRECONDITION");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::ABORTED), "ABORTED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::NOT_FOUND), "NOT_FOUND");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::ALREADY_EXISTS), "ALREADY_EXISTS");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::UNAVAILABLE), "UNAVAILABLE");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::DEADLINE_EXCEEDED), "DEADLINE_EXCEEDED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::DATA_LOSS), "DATA_LOSS");
  // An unnamed code. grpc::StatusCode has no fixed underlying type: its
  // values are those of a 6-bit signed integer, and converting 99 to it is
  // undefined behaviour (UBSan: "load of value 99"); 20 is in range.
  EXPECT_EQ(StatusCodeName(static_cast<grpc::StatusCode>(20)), "CODE_20");
}

TEST(OutputTest, FormatTimestamp) {
  EXPECT_EQ(FormatTimestamp(google::protobuf::Timestamp()), "-");
  EXPECT_EQ(FormatTimestamp(Time("2026-01-31T10:30:00+01:00")), "2026-01-31T09:30:00Z");
}

}  // namespace
}  // namespace redress::cli
