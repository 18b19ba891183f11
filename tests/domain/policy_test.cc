// Policy files: the built-in copy matches policies/, the presets load and
// validate, selection picks the right preset / version / regional calendar,
// and invalid sets are rejected with the field named.
#include "server/domain/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "server/domain/policy_presets.h"
#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

absl::Time T(const char* rfc3339) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) ADD_FAILURE() << err;
  return t;
}

std::string ReadFile(const std::string& name) {
  std::ifstream in(std::string(REDRESS_POLICIES_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const PolicyRegistry& Builtin() {
  static const PolicyRegistry* r = [] {
    auto reg = BuiltinPolicies();
    EXPECT_TRUE(reg.ok()) << reg.status();
    return new PolicyRegistry(*reg);
  }();
  return *r;
}

TEST(Presets, CompiledCopyMatchesTheFiles) {
  // If this fails, run policies/embed.sh.
  EXPECT_EQ(BuiltinCalendarsText(), ReadFile("calendars.textproto"));
  EXPECT_EQ(BuiltinPresetsText(), ReadFile("presets.textproto"));
}

TEST(Presets, FilesLoadAndValidate) {
  auto set = LoadPolicyFiles({std::string(REDRESS_POLICIES_DIR) + "/calendars.textproto",
                              std::string(REDRESS_POLICIES_DIR) + "/presets.textproto"});
  ASSERT_TRUE(set.ok()) << set.status();
  std::vector<std::string> ids;
  for (const auto& p : set->policies()) ids.push_back(p.id());
  EXPECT_THAT(ids, UnorderedElementsAre("fca-disp", "fca-psd2", "cfpb", "asic-rg271",
                                        "asic-rg271-super", "iso-default"));
  std::vector<std::string> cals;
  for (const auto& c : set->calendars()) cals.push_back(c.id());
  EXPECT_THAT(cals, UnorderedElementsAre("gb-eaw", "gb-sct", "gb-nir", "us-federal",
                                         "au-national", "utc-weekdays"));
  ASSERT_EQ(set->pause_windows_size(), 1);
  EXPECT_EQ(set->pause_windows(0).start_date(), "2024-01-11");  // DISP App 5.2.1R
  EXPECT_EQ(set->pause_windows(0).end_date(), "2026-05-31");
}

TEST(Presets, EveryRuleCitesASource) {
  for (const auto& p : Builtin().policy_set().policies()) {
    EXPECT_FALSE(p.source().empty()) << p.id();
    for (auto k : {v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::DEADLINE_KIND_SUMMARY_RESOLUTION,
                   v1::DEADLINE_KIND_HOLDING_RESPONSE, v1::DEADLINE_KIND_FINAL_RESPONSE,
                   v1::DEADLINE_KIND_DISPUTE_WINDOW, v1::DEADLINE_KIND_REOPEN_WINDOW}) {
      if (const auto* r = RuleFor(p, k)) {
        EXPECT_FALSE(r->source().empty()) << p.id() << " " << k;
      }
    }
  }
}

TEST(Presets, NumbersMatchTheRegulations) {
  const auto get = [](const char* id) { return *Builtin().FindPolicy(id, 1); };
  // FCA DISP 1.5.1R: close of the 3rd business day; DISP 1.6.2R: 8 weeks.
  EXPECT_EQ(get("fca-disp")->summary_resolution().amount(), 3);
  EXPECT_EQ(get("fca-disp")->summary_resolution().unit(), v1::TIME_UNIT_BUSINESS_DAYS);
  EXPECT_EQ(get("fca-disp")->final_response().amount(), 8);
  EXPECT_EQ(get("fca-disp")->final_response().unit(), v1::TIME_UNIT_WEEKS);
  EXPECT_FALSE(get("fca-disp")->final_response().pauses_while_awaiting_complainant());
  EXPECT_EQ(get("fca-disp")->dispute_window().amount(), 6);  // DISP 2.8.2R: 6 months
  // FCA DISP 1.6.2AR: 15 business days, exceptionally 35.
  EXPECT_EQ(get("fca-psd2")->final_response().amount(), 15);
  EXPECT_EQ(get("fca-psd2")->final_response().max_extended_amount(), 35);
  // CFPB: 15 and 60 calendar days.
  EXPECT_EQ(get("cfpb")->holding_response().amount(), 15);
  EXPECT_EQ(get("cfpb")->final_response().amount(), 60);
  EXPECT_EQ(get("cfpb")->final_response().unit(), v1::TIME_UNIT_CALENDAR_DAYS);
  // ASIC RG 271: 24 hours; 30 calendar days; superannuation 45.
  EXPECT_EQ(get("asic-rg271")->acknowledgement().amount(), 24);
  EXPECT_EQ(get("asic-rg271")->acknowledgement().unit(), v1::TIME_UNIT_HOURS);
  EXPECT_EQ(get("asic-rg271")->final_response().amount(), 30);
  EXPECT_EQ(get("asic-rg271-super")->final_response().amount(), 45);
}

// ---------------------------------------------------------------------------
// Selection.

ComplaintAttributes Attrs(const char* jurisdiction, const char* product_line = "") {
  ComplaintAttributes a;
  a.jurisdiction = jurisdiction;
  a.product_line = product_line;
  a.category = "billing";
  a.channel = v1::CHANNEL_EMAIL;
  return a;
}

std::pair<std::string, std::string> Selected(const ComplaintAttributes& a) {
  auto s = Builtin().Select(a, T("2026-03-02T10:00:00Z"));
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) return {};
  return {s->policy->id(), s->calendar->id()};
}

TEST(Selection, PicksPresetAndRegionalCalendar) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(Selected(Attrs("GB-ENG")), P("fca-disp", "gb-eaw"));
  EXPECT_EQ(Selected(Attrs("GB")), P("fca-disp", "gb-eaw"));
  EXPECT_EQ(Selected(Attrs("GB-SCT")), P("fca-disp", "gb-sct"));
  EXPECT_EQ(Selected(Attrs("gb-nir")), P("fca-disp", "gb-nir"));
  EXPECT_EQ(Selected(Attrs("GB-SCT", "payment_services")), P("fca-psd2", "gb-sct"));
  EXPECT_EQ(Selected(Attrs("GB-WLS", "e_money")), P("fca-psd2", "gb-eaw"));
  EXPECT_EQ(Selected(Attrs("US-NY")), P("cfpb", "us-federal"));
  EXPECT_EQ(Selected(Attrs("AU-NSW")), P("asic-rg271", "au-national"));
  EXPECT_EQ(Selected(Attrs("AU", "superannuation")), P("asic-rg271-super", "au-national"));
  EXPECT_EQ(Selected(Attrs("FR")), P("iso-default", "utc-weekdays"));
  EXPECT_EQ(Selected(Attrs("")), P("iso-default", "utc-weekdays"));
  auto s = Builtin().Select(Attrs("GB-SCT"), T("2026-03-02T10:00:00Z"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ref.id(), "fca-disp");
  EXPECT_EQ(s->ref.version(), 1);
  EXPECT_EQ(s->ref.calendar_id(), "gb-sct");
}

TEST(Selection, JurisdictionPrefixMatching) {
  EXPECT_TRUE(JurisdictionMatches("GB", "GB"));
  EXPECT_TRUE(JurisdictionMatches("GB", "GB-SCT"));
  EXPECT_TRUE(JurisdictionMatches("gb", "GB-SCT"));
  EXPECT_FALSE(JurisdictionMatches("GB", "GBR"));
  EXPECT_FALSE(JurisdictionMatches("GB-SCT", "GB"));
  EXPECT_FALSE(JurisdictionMatches("G", "GB"));
}

TEST(Selection, AttributesComeFromLabels) {
  v1::Complaint c;
  c.set_category("card");
  c.set_channel(v1::CHANNEL_PHONE);
  (*c.mutable_labels())["jurisdiction"] = "GB-SCT";
  (*c.mutable_labels())["product_line"] = "payment_services";
  (*c.mutable_labels())["complaint_class"] = "motor_finance_commission";
  const auto a = AttributesOf(c);
  EXPECT_EQ(a.jurisdiction, "GB-SCT");
  EXPECT_EQ(a.product_line, "payment_services");
  EXPECT_EQ(a.complaint_class, "motor_finance_commission");
  EXPECT_EQ(a.category, "card");
  EXPECT_EQ(a.channel, v1::CHANNEL_PHONE);
  EXPECT_EQ(Builtin().PauseWindowsFor("motor_finance_commission").size(), 1u);
  EXPECT_TRUE(Builtin().PauseWindowsFor("other").empty());
  EXPECT_TRUE(Builtin().PauseWindowsFor("").empty());
}

// A second version of fca-disp, in force from 15 March 2026 (6 weeks).
PolicyRegistry WithVersion2() {
  auto set = BuiltinPolicySet();
  EXPECT_TRUE(set.ok());
  v1::Policy v2 = *Builtin().FindPolicy("fca-disp", 1).value();
  v2.set_version(2);
  v2.mutable_final_response()->set_amount(6);
  *v2.mutable_effective_time() = ToTimestamp(T("2026-03-15T00:00:00Z"));
  *set->add_policies() = v2;
  auto reg = PolicyRegistry::Create(*set);
  EXPECT_TRUE(reg.ok()) << reg.status();
  return *reg;
}

TEST(Selection, VersionInForceAtReceipt) {
  const PolicyRegistry reg = WithVersion2();
  auto before = reg.Select(Attrs("GB"), T("2026-03-14T23:59:59Z"));
  auto after = reg.Select(Attrs("GB"), T("2026-03-15T00:00:00Z"));
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(before->ref.version(), 1);
  EXPECT_EQ(after->ref.version(), 2);
  // The recorded version stays resolvable.
  v1::PolicyRef ref;
  ref.set_id("fca-disp");
  ref.set_version(1);
  ref.set_calendar_id("gb-sct");
  auto r = reg.Resolve(ref);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->policy->final_response().amount(), 8);
  EXPECT_EQ(r->calendar->id(), "gb-sct");
  ref.set_version(3);
  EXPECT_EQ(reg.Resolve(ref).status().code(), absl::StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------
// Validation: INVALID_ARGUMENT naming the field.

v1::PolicySet ValidSet() {
  auto set = BuiltinPolicySet();
  EXPECT_TRUE(set.ok());
  return *set;
}

int PolicyIndex(const v1::PolicySet& s, const std::string& id) {
  for (int i = 0; i < s.policies_size(); ++i) {
    if (s.policies(i).id() == id) return i;
  }
  return -1;
}

void ExpectInvalid(const v1::PolicySet& set, const std::string& message) {
  const absl::Status st = ValidatePolicySet(set);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr(message));
}

TEST(Validation, RejectsBadSetsNamingTheField) {
  ASSERT_TRUE(ValidatePolicySet(ValidSet()).ok());
  {
    auto s = ValidSet();
    const int i = PolicyIndex(s, "fca-disp");
    s.mutable_policies(i)->mutable_final_response()->set_amount(-5);
    ExpectInvalid(s, "policies[" + std::to_string(i) +
                         "].final_response.amount: must be > 0, got -5");
  }
  {
    auto s = ValidSet();
    const int i = PolicyIndex(s, "cfpb");
    s.mutable_policies(i)->set_calendar_id("us-texas");
    ExpectInvalid(s, "policies[" + std::to_string(i) +
                         "].calendar_id: unknown calendar \"us-texas\"");
  }
  {
    auto s = ValidSet();
    const int i = PolicyIndex(s, "fca-disp");
    s.mutable_policies(i)->mutable_regional_calendars(0)->set_calendar_id("gb-xx");
    ExpectInvalid(s, "regional_calendars[0].calendar_id: unknown calendar \"gb-xx\"");
  }
  {
    auto s = ValidSet();
    *s.add_policies() = s.policies(0);
    ExpectInvalid(s, "is defined twice");
  }
  {
    auto s = ValidSet();
    s.mutable_policies(PolicyIndex(s, "cfpb"))->mutable_final_response()->set_unit(
        v1::TIME_UNIT_CALENDAR_MONTHS);
    ExpectInvalid(s, "final_response.unit: CALENDAR_MONTHS is only for");
  }
  {
    auto s = ValidSet();
    s.mutable_policies(PolicyIndex(s, "cfpb"))->mutable_final_response()->set_due_time(
        v1::DUE_TIME_CLOSE_OF_BUSINESS);
    ExpectInvalid(s, "final_response.due_time: CLOSE_OF_BUSINESS is only for BUSINESS_DAYS");
  }
  {
    auto s = ValidSet();
    s.mutable_policies(PolicyIndex(s, "fca-psd2"))
        ->mutable_final_response()
        ->set_max_extended_amount(10);
    ExpectInvalid(s, "final_response.max_extended_amount: must be 0 (no extension) or more than "
                     "amount 15, got 10");
  }
  {
    auto s = ValidSet();
    s.mutable_policies(PolicyIndex(s, "fca-disp"))->set_at_risk_fraction(1.5);
    ExpectInvalid(s, "at_risk_fraction: must be in [0, 1), got 1.5");
  }
  {
    auto s = ValidSet();
    s.mutable_policies(PolicyIndex(s, "fca-disp"))->mutable_acknowledgement()->clear_unit();
    ExpectInvalid(s, "acknowledgement.unit: required");
  }
  {
    auto s = ValidSet();
    s.mutable_policies(PolicyIndex(s, "asic-rg271"))
        ->mutable_acknowledgement()
        ->set_due_time(v1::DUE_TIME_END_OF_DAY);
    ExpectInvalid(s, "acknowledgement.due_time: must be unset for HOURS");
  }
  {
    auto s = ValidSet();
    s.mutable_policies(PolicyIndex(s, "fca-disp"))
        ->mutable_escalations(0)
        ->set_trigger(v1::Deadline::STATE_ON_TRACK);
    ExpectInvalid(s, "escalations[0].trigger: must be STATE_AT_RISK or STATE_BREACHED");
  }
  {
    auto s = ValidSet();
    s.mutable_pause_windows(0)->set_end_date("2026-02-30");
    ExpectInvalid(s, "pause_windows[0].end_date: not a YYYY-MM-DD date");
  }
  {
    auto s = ValidSet();
    s.mutable_pause_windows(0)->set_end_date("2023-01-01");
    ExpectInvalid(s, "pause_windows[0].end_date: must not be before start_date");
  }
  {
    auto s = ValidSet();
    s.mutable_calendars(0)->mutable_holidays(3)->set_date("2026-13-01");
    ExpectInvalid(s, "calendars[0].holidays[3].date: not a YYYY-MM-DD date");
  }
  {
    auto s = ValidSet();
    s.mutable_policies(PolicyIndex(s, "fca-disp"))->set_version(0);
    ExpectInvalid(s, "version: must be >= 1, got 0");
  }
  {
    auto s = ValidSet();
    auto* p = s.mutable_policies(PolicyIndex(s, "fca-disp"));
    p->mutable_dispute_window()->set_pauses_while_awaiting_complainant(true);
    ExpectInvalid(s, "dispute_window.pauses_while_awaiting_complainant: a complainant window "
                     "never pauses");
  }
}

TEST(Validation, ParseErrorsNameFileLineAndColumn) {
  auto r = ParsePolicySetText("policies {\n  id: \"x\"\n  bogus_field: 1\n}\n", "mine.textproto");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("mine.textproto:3:"));
  EXPECT_THAT(r.status().message(), HasSubstr("bogus_field"));
  EXPECT_EQ(LoadPolicyFiles({"/nonexistent/p.textproto"}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(Names, DeadlineKindName) {
  EXPECT_EQ(DeadlineKindName(v1::DEADLINE_KIND_FINAL_RESPONSE), "FINAL_RESPONSE");
  EXPECT_THAT(std::vector<std::string>({DeadlineKindName(v1::DEADLINE_KIND_DISPUTE_WINDOW)}),
              ElementsAre("DISPUTE_WINDOW"));
}

}  // namespace
}  // namespace redress::domain
