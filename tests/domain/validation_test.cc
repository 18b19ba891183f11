#include "server/domain/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

#include "server/domain/field_violation.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);
constexpr char kName[] = "complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

v1::SubmitComplaintRequest GoodSubmit() {
  v1::SubmitComplaintRequest r;
  auto* c = r.mutable_complaint();
  c->mutable_complainant()->set_display_name("Ada Lovelace");
  c->mutable_complainant()->set_email("ada@example.org");
  c->mutable_complainant()->set_phone("+44 (20) 7946-0000");
  c->set_channel(v1::CHANNEL_WEB);
  c->set_category("billing/cards");
  c->set_description("Line one\nLine two\twith tab");
  (*c->mutable_labels())["region"] = "north";
  auto* a = c->add_attachments();
  a->set_file_name("statement.pdf");
  a->set_sha256(std::string(64, 'a'));
  r.set_request_id("6f1c0a52-8d4e-4b6a-9f3e-2a1b0c9d8e7f");
  return r;
}

// Expects INVALID_ARGUMENT whose message starts with the field path and
// that carries the same path as a machine-readable field violation
// (field_violation.h), the message being "<field>: <description>".
void ExpectInvalid(const absl::Status& st, const std::string& field) {
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_THAT(std::string(st.message()), StartsWith(field + ":")) << st;
  const std::optional<FieldViolation> v = GetFieldViolation(st);
  ASSERT_TRUE(v.has_value()) << "no field violation attached: " << st;
  EXPECT_EQ(v->field, field) << st;
  EXPECT_EQ(v->field + ": " + v->description, st.message()) << st;
}

TEST(ValidationTest, GoodSubmitPasses) { EXPECT_TRUE(Validate(GoodSubmit(), kNow).ok()); }

struct SubmitCase {
  std::string name;
  std::function<void(v1::SubmitComplaintRequest&)> mutate;
  std::string field;
};

TEST(ValidationTest, EachBadSubmitFieldIsNamed) {
  const std::vector<SubmitCase> cases = {
      {"no complaint", [](auto& r) { r.clear_complaint(); }, "complaint"},
      {"no complainant", [](auto& r) { r.mutable_complaint()->clear_complainant(); },
       "complaint.complainant"},
      {"empty name",
       [](auto& r) { r.mutable_complaint()->mutable_complainant()->set_display_name("  "); },
       "complaint.complainant.display_name"},
      {"long name",
       [](auto& r) {
         r.mutable_complaint()->mutable_complainant()->set_display_name(std::string(257, 'x'));
       },
       "complaint.complainant.display_name"},
      {"control char in name",
       [](auto& r) { r.mutable_complaint()->mutable_complainant()->set_display_name("a\x01" "b"); },
       "complaint.complainant.display_name"},
      {"bad email",
       [](auto& r) { r.mutable_complaint()->mutable_complainant()->set_email("not-an-email"); },
       "complaint.complainant.email"},
      {"email two @",
       [](auto& r) { r.mutable_complaint()->mutable_complainant()->set_email("a@b@c.com"); },
       "complaint.complainant.email"},
      {"bad phone",
       [](auto& r) { r.mutable_complaint()->mutable_complainant()->set_phone("call me"); },
       "complaint.complainant.phone"},
      {"no channel", [](auto& r) { r.mutable_complaint()->set_channel(v1::CHANNEL_UNSPECIFIED); },
       "complaint.channel"},
      {"channel out of range",
       [](auto& r) { r.mutable_complaint()->set_channel(static_cast<v1::Channel>(99)); },
       "complaint.channel"},
      {"bad category",
       [](auto& r) { r.mutable_complaint()->set_category("billing'; DROP TABLE complaints;--"); },
       "complaint.category"},
      {"empty description", [](auto& r) { r.mutable_complaint()->set_description(""); },
       "complaint.description"},
      {"huge description",
       [](auto& r) { r.mutable_complaint()->set_description(std::string(65537, 'd')); },
       "complaint.description"},
      {"invalid utf8", [](auto& r) { r.mutable_complaint()->set_description("bad \xc3\x28 byte"); },
       "complaint.description"},
      {"overlong utf8", [](auto& r) { r.mutable_complaint()->set_description("\xc0\xaf"); },
       "complaint.description"},
      {"future occurrence",
       [](auto& r) {
         r.mutable_complaint()->mutable_occurrence_time()->set_seconds(
             absl::ToUnixSeconds(kNow + absl::Hours(48)));
       },
       "complaint.occurrence_time"},
      {"bad label key", [](auto& r) { (*r.mutable_complaint()->mutable_labels())["Bad Key"] = "v"; },
       "complaint.labels[Bad Key]"},
      {"attachment without sha",
       [](auto& r) { r.mutable_complaint()->mutable_attachments(0)->set_sha256("xyz"); },
       "complaint.attachments[0].sha256"},
      {"attachment path",
       [](auto& r) { r.mutable_complaint()->mutable_attachments(0)->set_file_name("../etc/passwd"); },
       "complaint.attachments[0].file_name"},
      {"negative size",
       [](auto& r) { r.mutable_complaint()->mutable_attachments(0)->set_size_bytes(-1); },
       "complaint.attachments[0].size_bytes"},
      {"bad request id", [](auto& r) { r.set_request_id("not-a-uuid"); }, "request_id"},
      {"nil request id",
       [](auto& r) { r.set_request_id("00000000-0000-0000-0000-000000000000"); }, "request_id"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = GoodSubmit();
    c.mutate(r);
    ExpectInvalid(Validate(r, kNow), c.field);
  }
}

// Unicode general category Cc (C0, DEL and the C1 controls U+0080-U+009F)
// and the bidirectional embedding/override/isolate controls are refused in
// every text field, single-line and multi-line alike; the message names the
// code point. Ordinary non-ASCII text is accepted.
TEST(ValidationTest, ControlAndBidiCharactersAreRefusedAndNamed) {
  struct Bad {
    std::string label, value, code_point, kind;
  };
  const std::vector<Bad> bad = {
      {"C1 U+0080", "a\xc2\x80" "b", "U+0080", "control character"},
      {"C1 CSI U+009B", "a\xc2\x9b" "31mRED", "U+009B", "control character"},
      {"C1 U+009F", "a\xc2\x9f" "b", "U+009F", "control character"},
      {"DEL", "a\x7f" "b", "U+007F", "control character"},
      {"ESC", "a\x1b[31m", "U+001B", "control character"},
      {"RLO U+202E", "a\xe2\x80\xae" "b", "U+202E", "bidirectional control character"},
      {"LRE U+202A", "a\xe2\x80\xaa" "b", "U+202A", "bidirectional control character"},
      {"LRI U+2066", "a\xe2\x81\xa6" "b", "U+2066", "bidirectional control character"},
      {"PDI U+2069", "a\xe2\x81\xa9" "b", "U+2069", "bidirectional control character"},
  };
  using Set = std::function<void(v1::SubmitComplaintRequest&, const std::string&)>;
  const std::vector<std::pair<std::string, Set>> fields = {
      {"complaint.complainant.display_name",
       [](auto& r, const auto& v) { r.mutable_complaint()->mutable_complainant()->set_display_name(v); }},
      {"complaint.complainant.customer_id",
       [](auto& r, const auto& v) { r.mutable_complaint()->mutable_complainant()->set_customer_id(v); }},
      {"complaint.product", [](auto& r, const auto& v) { r.mutable_complaint()->set_product(v); }},
      {"complaint.description", [](auto& r, const auto& v) { r.mutable_complaint()->set_description(v); }},
      {"complaint.remedy_sought",
       [](auto& r, const auto& v) { r.mutable_complaint()->set_remedy_sought(v); }},
      {"complaint.external_reference",
       [](auto& r, const auto& v) { r.mutable_complaint()->set_external_reference(v); }},
      {"complaint.labels[region]",
       [](auto& r, const auto& v) { (*r.mutable_complaint()->mutable_labels())["region"] = v; }},
      {"complaint.attachments[0].file_name",
       [](auto& r, const auto& v) { r.mutable_complaint()->mutable_attachments(0)->set_file_name(v); }},
  };
  for (const auto& [field, set] : fields) {
    for (const Bad& b : bad) {
      SCOPED_TRACE(field + " <- " + b.label);
      auto r = GoodSubmit();
      set(r, b.value);
      const absl::Status st = Validate(r, kNow);
      ExpectInvalid(st, field);
      EXPECT_THAT(std::string(st.message()),
                  HasSubstr("contains a " + b.kind + " (" + b.code_point + ")"));
    }
  }
  // A note (long free text) and a short free-text reason refuse them too.
  v1::AddComplaintNoteRequest n;
  n.set_name(kName);
  n.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
  n.set_text("a\xc2\x9b" "31mRED");
  ExpectInvalid(Validate(n), "text");
  EXPECT_THAT(std::string(Validate(n).message()), HasSubstr("(U+009B)"));
  n.set_text("right-to-left \xe2\x80\xae override");
  ExpectInvalid(Validate(n), "text");
  v1::CloseComplaintRequest c;
  c.set_name(kName);
  c.set_reason("done\xc2\x85");  // NEL, a C1 control
  ExpectInvalid(Validate(c), "reason");
  v1::OpenDisputeRequest d;
  d.set_name(kName);
  d.mutable_dispute()->set_kind(v1::Dispute::KIND_EXTERNAL_ADR);
  d.mutable_dispute()->set_body("Ombudsman \xe2\x81\xa7" "x");  // RLI
  ExpectInvalid(Validate(d), "dispute.body");
}

TEST(ValidationTest, OrdinaryUnicodeAndDocumentedWhitespacePass) {
  const std::string ok = "Caf\xc3\xa9 \xf0\x9f\x98\x80 no\xc2\xa0" "break \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d "
                         "\xe2\x80\x8f \xe2\x80\xaf \xc2\xa1";  // é, emoji, NBSP, Hebrew, RLM, NNBSP, ¡
  auto r = GoodSubmit();
  r.mutable_complaint()->mutable_complainant()->set_display_name(ok);
  r.mutable_complaint()->set_product(ok);
  r.mutable_complaint()->set_external_reference(ok);
  r.mutable_complaint()->set_description(ok + "\nsecond line\r\n\tindented");
  r.mutable_complaint()->set_remedy_sought(ok + "\n");
  (*r.mutable_complaint()->mutable_labels())["region"] = ok;
  EXPECT_TRUE(Validate(r, kNow).ok()) << Validate(r, kNow);
  v1::AddComplaintNoteRequest n;
  n.set_name(kName);
  n.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
  n.set_text(ok + "\nline two\r\n\ttab");
  EXPECT_TRUE(Validate(n).ok()) << Validate(n);
  // Newline, CR and tab stay refused in single-line fields.
  for (const char* ws : {"\n", "\r", "\t"}) {
    auto s = GoodSubmit();
    s.mutable_complaint()->set_product(std::string("a") + ws + "b");
    ExpectInvalid(Validate(s, kNow), "complaint.product");
  }
}

TEST(ValidationTest, LabelKeyWithControlsIsNotEchoed) {
  auto r = GoodSubmit();
  (*r.mutable_complaint()->mutable_labels())["a\x1b[2J"] = "v";
  const absl::Status st = Validate(r, kNow);
  ExpectInvalid(st, "complaint.labels[?]");
  (*r.mutable_complaint()->mutable_labels()).clear();
  (*r.mutable_complaint()->mutable_labels())["a\xc2\x9b" "2J"] = "v";
  ExpectInvalid(Validate(r, kNow), "complaint.labels[?]");
}

TEST(ValidationTest, TooManyLabelsAndAttachments) {
  auto r = GoodSubmit();
  for (int i = 0; i < 65; ++i) (*r.mutable_complaint()->mutable_labels())["k" + std::to_string(i)] = "v";
  ExpectInvalid(Validate(r, kNow), "complaint.labels");
  r = GoodSubmit();
  for (int i = 0; i < 100; ++i) *r.mutable_complaint()->add_attachments() = r.complaint().attachments(0);
  ExpectInvalid(Validate(r, kNow), "complaint.attachments");
}

TEST(ValidationTest, NameMustBeAComplaintName) {
  v1::AcknowledgeComplaintRequest r;
  ExpectInvalid(Validate(r), "name");
  r.set_name("complaints/123");
  ExpectInvalid(Validate(r), "name");
  r.set_name("users/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
  ExpectInvalid(Validate(r), "name");
  r.set_name(kName);
  EXPECT_TRUE(Validate(r).ok());
  r.set_etag("has space");
  ExpectInvalid(Validate(r), "etag");
}

TEST(ValidationTest, AssessmentLevelsRequired) {
  v1::AssessComplaintRequest r;
  r.set_name(kName);
  ExpectInvalid(Validate(r), "assessment");
  r.mutable_assessment()->set_severity(v1::LEVEL_HIGH);
  ExpectInvalid(Validate(r), "assessment.priority");
}

TEST(ValidationTest, ResponseMoneyAndChannel) {
  v1::RespondToComplaintRequest r;
  r.set_name(kName);
  auto* p = r.mutable_response();
  p->set_decision(v1::Response::DECISION_PARTIALLY_UPHELD);
  p->set_text("partial refund");
  p->set_communicated_via(v1::CHANNEL_LETTER);
  EXPECT_TRUE(Validate(r).ok());
  p->mutable_redress_amount()->set_currency_code("XYZ");
  ExpectInvalid(Validate(r), "response.redress_amount.currency_code");
  p->mutable_redress_amount()->set_currency_code("GBP");
  p->mutable_redress_amount()->set_amount_minor(-5);
  ExpectInvalid(Validate(r), "response.redress_amount.amount_minor");
  p->mutable_redress_amount()->set_amount_minor(2500);
  EXPECT_TRUE(Validate(r).ok());
  p->set_communicated_via(v1::CHANNEL_UNSPECIFIED);
  ExpectInvalid(Validate(r), "response.communicated_via");
}

TEST(ValidationTest, RequiredReasonsAndEnums) {
  v1::EscalateComplaintRequest e;
  e.set_name(kName);
  ExpectInvalid(Validate(e), "reason");
  v1::CloseComplaintRequest c;
  c.set_name(kName);
  ExpectInvalid(Validate(c), "reason");
  v1::ReopenComplaintRequest o;
  o.set_name(kName);
  ExpectInvalid(Validate(o), "reason");
  v1::WithdrawComplaintRequest w;
  w.set_name(kName);
  EXPECT_TRUE(Validate(w).ok());
  v1::AddComplaintNoteRequest n;
  n.set_name(kName);
  n.set_text("x");
  ExpectInvalid(Validate(n), "visibility");
  v1::RecordComplainantDecisionRequest d;
  d.set_name(kName);
  d.mutable_decision();
  ExpectInvalid(Validate(d), "decision.outcome");
  v1::ResolveDisputeRequest rd;
  rd.set_name(kName);
  rd.set_outcome_text("x");
  ExpectInvalid(Validate(rd), "outcome");
  v1::AssignComplaintRequest a;
  a.set_name(kName);
  a.set_assignee("two words");
  ExpectInvalid(Validate(a), "assignee");
}

TEST(ValidationTest, ExternalAdrNeedsABody) {
  v1::OpenDisputeRequest r;
  r.set_name(kName);
  r.mutable_dispute()->set_kind(v1::Dispute::KIND_EXTERNAL_ADR);
  ExpectInvalid(Validate(r), "dispute.body");
  r.mutable_dispute()->set_body("Financial Ombudsman Service");
  EXPECT_TRUE(Validate(r).ok());
  r.mutable_dispute()->set_kind(v1::Dispute::KIND_UNSPECIFIED);
  ExpectInvalid(Validate(r), "dispute.kind");
}

TEST(ValidationTest, ActorAndPageSize) {
  EXPECT_FALSE(ValidateActor("").ok());
  EXPECT_FALSE(ValidateActor("has space").ok());
  EXPECT_FALSE(ValidateActor(std::string(129, 'a')).ok());
  EXPECT_TRUE(ValidateActor("svc:intake@bank").ok());
  EXPECT_EQ(*EffectivePageSize(0, 50), 50);
  EXPECT_EQ(*EffectivePageSize(7, 50), 7);
  EXPECT_EQ(*EffectivePageSize(5000, 50), 1000);
  ExpectInvalid(EffectivePageSize(-1, 50).status(), "page_size");
}

TEST(ValidationTest, ClockRequests) {
  const std::string name = "complaints/6f1c0a52-8d4e-4b6a-9f3e-2a1b0c9d8e7f";
  v1::RequestInformationRequest ri;
  ri.set_name(name);
  ExpectInvalid(Validate(ri), "information");
  ri.set_information("the statement");
  EXPECT_TRUE(Validate(ri).ok());
  ri.set_channel(static_cast<v1::Channel>(77));
  ExpectInvalid(Validate(ri), "channel");

  v1::ReceiveInformationRequest rr;
  rr.set_name(name);
  EXPECT_TRUE(Validate(rr).ok());
  rr.set_summary(std::string(4097, 'x'));
  ExpectInvalid(Validate(rr), "summary");

  v1::SendHoldingResponseRequest h;
  h.set_name(name);
  ExpectInvalid(Validate(h, kNow), "text");
  h.set_text("more time needed");
  EXPECT_TRUE(Validate(h, kNow).ok());
  h.mutable_expected_response_time()->set_seconds(absl::ToUnixSeconds(kNow - absl::Hours(24)));
  ExpectInvalid(Validate(h, kNow), "expected_response_time");

  v1::ExtendDeadlineRequest e;
  e.set_name(name);
  ExpectInvalid(Validate(e), "extension");
  e.mutable_extension()->set_amount(35);
  e.mutable_extension()->set_reason("exceptional");
  ExpectInvalid(Validate(e), "extension.kind");
  e.mutable_extension()->set_kind(v1::DEADLINE_KIND_FINAL_RESPONSE);
  EXPECT_TRUE(Validate(e).ok());
  e.mutable_extension()->set_amount(0);
  ExpectInvalid(Validate(e), "extension.amount");
  e.mutable_extension()->set_amount(35);
  e.mutable_extension()->set_reason(" ");
  ExpectInvalid(Validate(e), "extension.reason");

  v1::RecomputeDeadlinesRequest rc;
  rc.set_name(name);
  ExpectInvalid(Validate(rc), "reason");

  v1::RecordSatisfactionRequest s;
  s.set_name(name);
  ExpectInvalid(Validate(s), "satisfaction");
  s.mutable_satisfaction()->set_comment("fine");
  ExpectInvalid(Validate(s), "satisfaction");  // no score
  s.mutable_satisfaction()->set_nps_score(0);  // 0 is a valid NPS answer
  EXPECT_TRUE(Validate(s).ok());
  s.mutable_satisfaction()->set_nps_score(11);
  ExpectInvalid(Validate(s), "satisfaction.nps_score");
  s.mutable_satisfaction()->set_nps_score(10);
  s.mutable_satisfaction()->set_csat_score(0);
  ExpectInvalid(Validate(s), "satisfaction.csat_score");

  v1::GetComplaintStatisticsRequest st;
  EXPECT_TRUE(Validate(st).ok());
  st.set_category("bad\ncategory");
  ExpectInvalid(Validate(st), "category");
  st.clear_category();
  st.mutable_start_time()->set_seconds(200);
  st.mutable_end_time()->set_seconds(100);
  ExpectInvalid(Validate(st), "end_time");
}

}  // namespace
}  // namespace redress::domain
