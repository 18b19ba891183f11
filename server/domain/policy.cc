#include "server/domain/policy.h"

#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "server/domain/status_macros.h"
#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first_.empty()) first_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

bool ValidId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

bool IsWindow(v1::DeadlineKind k) {
  return k == v1::DEADLINE_KIND_DISPUTE_WINDOW || k == v1::DEADLINE_KIND_REOPEN_WINDOW;
}

constexpr v1::DeadlineKind kAllKinds[] = {
    v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::DEADLINE_KIND_SUMMARY_RESOLUTION,
    v1::DEADLINE_KIND_HOLDING_RESPONSE, v1::DEADLINE_KIND_FINAL_RESPONSE,
    v1::DEADLINE_KIND_DISPUTE_WINDOW,  v1::DEADLINE_KIND_REOPEN_WINDOW};

std::string RuleFieldName(v1::DeadlineKind k) {
  switch (k) {
    case v1::DEADLINE_KIND_ACKNOWLEDGEMENT: return "acknowledgement";
    case v1::DEADLINE_KIND_SUMMARY_RESOLUTION: return "summary_resolution";
    case v1::DEADLINE_KIND_HOLDING_RESPONSE: return "holding_response";
    case v1::DEADLINE_KIND_FINAL_RESPONSE: return "final_response";
    case v1::DEADLINE_KIND_DISPUTE_WINDOW: return "dispute_window";
    case v1::DEADLINE_KIND_REOPEN_WINDOW: return "reopen_window";
    default: return "?";
  }
}

absl::Status ValidateFraction(absl::string_view field, double f) {
  if (!(f >= 0.0 && f < 1.0)) {
    return Invalid(field, absl::StrCat("must be in [0, 1), got ", f));
  }
  return absl::OkStatus();
}

absl::Status ValidateRule(absl::string_view path, v1::DeadlineKind kind,
                          const v1::DeadlineRule& r) {
  auto f = [&](absl::string_view field) { return absl::StrCat(path, ".", field); };
  if (r.amount() <= 0) return Invalid(f("amount"), absl::StrCat("must be > 0, got ", r.amount()));
  if (r.unit() == v1::TIME_UNIT_UNSPECIFIED || !v1::TimeUnit_IsValid(r.unit())) {
    return Invalid(f("unit"), "required: HOURS, CALENDAR_DAYS, BUSINESS_DAYS, WEEKS or "
                              "CALENDAR_MONTHS");
  }
  if (r.unit() == v1::TIME_UNIT_CALENDAR_MONTHS && !IsWindow(kind)) {
    return Invalid(f("unit"), "CALENDAR_MONTHS is only for dispute_window and reopen_window");
  }
  if (!v1::StartRule_IsValid(r.start_rule())) return Invalid(f("start_rule"), "unknown value");
  if (!v1::DueTime_IsValid(r.due_time())) return Invalid(f("due_time"), "unknown value");
  if (r.unit() == v1::TIME_UNIT_HOURS && r.due_time() != v1::DUE_TIME_UNSPECIFIED) {
    return Invalid(f("due_time"), "must be unset for HOURS (an hour deadline is exact)");
  }
  if (r.due_time() == v1::DUE_TIME_CLOSE_OF_BUSINESS &&
      r.unit() != v1::TIME_UNIT_BUSINESS_DAYS) {
    return Invalid(f("due_time"), "CLOSE_OF_BUSINESS is only for BUSINESS_DAYS");
  }
  REDRESS_RETURN_IF_ERROR(ValidateFraction(f("at_risk_fraction"), r.at_risk_fraction()));
  if (r.max_extended_amount() < 0 ||
      (r.max_extended_amount() != 0 && r.max_extended_amount() <= r.amount())) {
    return Invalid(f("max_extended_amount"),
                   absl::StrCat("must be 0 (no extension) or more than amount ", r.amount(),
                                ", got ", r.max_extended_amount()));
  }
  if (IsWindow(kind) && r.pauses_while_awaiting_complainant()) {
    return Invalid(f("pauses_while_awaiting_complainant"), "a complainant window never pauses");
  }
  if (IsWindow(kind) || kind == v1::DEADLINE_KIND_SUMMARY_RESOLUTION) {
    if (r.max_extended_amount() != 0) {
      return Invalid(f("max_extended_amount"), "a window cannot be extended");
    }
    if (r.at_risk_fraction() != 0) {
      return Invalid(f("at_risk_fraction"), "a window has no at-risk state");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePolicy(absl::string_view path, const v1::Policy& p,
                            const std::set<std::string, std::less<>>& calendar_ids) {
  auto f = [&](absl::string_view field) { return absl::StrCat(path, ".", field); };
  if (!ValidId(p.id())) {
    return Invalid(f("id"), absl::StrCat("must be 1-64 lower-case letters, digits or '-', got \"",
                                         p.id(), "\""));
  }
  if (p.version() < 1) {
    return Invalid(f("version"), absl::StrCat("must be >= 1, got ", p.version()));
  }
  if (p.calendar_id().empty()) return Invalid(f("calendar_id"), "required");
  if (!calendar_ids.contains(p.calendar_id())) {
    return Invalid(f("calendar_id"), absl::StrCat("unknown calendar \"", p.calendar_id(), "\""));
  }
  for (int i = 0; i < p.regional_calendars_size(); ++i) {
    const auto& rc = p.regional_calendars(i);
    const std::string rf = absl::StrCat("regional_calendars[", i, "]");
    if (rc.jurisdiction().empty()) return Invalid(f(rf + ".jurisdiction"), "required");
    if (!calendar_ids.contains(rc.calendar_id())) {
      return Invalid(f(rf + ".calendar_id"),
                     absl::StrCat("unknown calendar \"", rc.calendar_id(), "\""));
    }
  }
  if (p.has_effective_time() &&
      (p.effective_time().nanos() < 0 || p.effective_time().nanos() > 999999999)) {
    return Invalid(f("effective_time"), "not a valid timestamp");
  }
  for (int i = 0; i < p.selector().jurisdictions_size(); ++i) {
    if (p.selector().jurisdictions(i).empty()) {
      return Invalid(f(absl::StrCat("selector.jurisdictions[", i, "]")), "must not be empty");
    }
  }
  for (int i = 0; i < p.selector().product_lines_size(); ++i) {
    if (p.selector().product_lines(i).empty()) {
      return Invalid(f(absl::StrCat("selector.product_lines[", i, "]")), "must not be empty");
    }
  }
  for (int i = 0; i < p.selector().categories_size(); ++i) {
    if (p.selector().categories(i).empty()) {
      return Invalid(f(absl::StrCat("selector.categories[", i, "]")), "must not be empty");
    }
  }
  for (int i = 0; i < p.selector().channels_size(); ++i) {
    if (p.selector().channels(i) == v1::CHANNEL_UNSPECIFIED ||
        !v1::Channel_IsValid(p.selector().channels(i))) {
      return Invalid(f(absl::StrCat("selector.channels[", i, "]")), "must be a channel");
    }
  }
  REDRESS_RETURN_IF_ERROR(ValidateFraction(f("at_risk_fraction"), p.at_risk_fraction()));
  bool any_rule = false;
  for (v1::DeadlineKind k : kAllKinds) {
    const v1::DeadlineRule* r = RuleFor(p, k);
    if (r == nullptr) continue;
    any_rule = true;
    REDRESS_RETURN_IF_ERROR(ValidateRule(f(RuleFieldName(k)), k, *r));
  }
  if (!any_rule) return Invalid(path, "a policy needs at least one deadline rule");
  for (int i = 0; i < p.escalations_size(); ++i) {
    const auto& e = p.escalations(i);
    const std::string ef = f(absl::StrCat("escalations[", i, "]"));
    if (e.trigger() != v1::Deadline::STATE_AT_RISK && e.trigger() != v1::Deadline::STATE_BREACHED) {
      return Invalid(ef + ".trigger", "must be STATE_AT_RISK or STATE_BREACHED");
    }
    if (IsWindow(e.kind()) || e.kind() == v1::DEADLINE_KIND_SUMMARY_RESOLUTION ||
        !v1::DeadlineKind_IsValid(e.kind())) {
      return Invalid(ef + ".kind",
                     "must be ACKNOWLEDGEMENT, HOLDING_RESPONSE, FINAL_RESPONSE or unset (all)");
    }
    if (e.kind() != v1::DEADLINE_KIND_UNSPECIFIED && RuleFor(p, e.kind()) == nullptr) {
      return Invalid(ef + ".kind", absl::StrCat("the policy has no ", RuleFieldName(e.kind()),
                                                " rule"));
    }
    if (e.escalate_to().empty()) return Invalid(ef + ".escalate_to", "required");
  }
  return absl::OkStatus();
}

absl::Status ValidatePauseWindow(absl::string_view path, const v1::PauseWindow& w) {
  auto f = [&](absl::string_view field) { return absl::StrCat(path, ".", field); };
  if (!ValidId(w.id())) {
    return Invalid(f("id"), absl::StrCat("must be 1-64 lower-case letters, digits or '-', got \"",
                                         w.id(), "\""));
  }
  if (w.complaint_class().empty()) return Invalid(f("complaint_class"), "required");
  const auto start = ParseLocalDate(w.start_date());
  if (!start) {
    return Invalid(f("start_date"),
                   absl::StrCat("not a YYYY-MM-DD date: \"", w.start_date(), "\""));
  }
  const auto end = ParseLocalDate(w.end_date());
  if (!end) {
    return Invalid(f("end_date"), absl::StrCat("not a YYYY-MM-DD date: \"", w.end_date(), "\""));
  }
  if (*end < *start) return Invalid(f("end_date"), "must not be before start_date");
  absl::TimeZone tz;
  if (w.time_zone().empty()) return Invalid(f("time_zone"), "required");
  if (!absl::LoadTimeZone(w.time_zone(), &tz)) {
    return Invalid(f("time_zone"), absl::StrCat("unknown IANA time zone \"", w.time_zone(),
                                                "\" (is the tzdata package installed?)"));
  }
  for (int i = 0; i < w.deadline_kinds_size(); ++i) {
    const auto k = w.deadline_kinds(i);
    if (k == v1::DEADLINE_KIND_UNSPECIFIED || IsWindow(k) || !v1::DeadlineKind_IsValid(k)) {
      return Invalid(f(absl::StrCat("deadline_kinds[", i, "]")),
                     "must be a firm-side deadline kind");
    }
  }
  return absl::OkStatus();
}

int Specificity(const v1::PolicySelector& s) {
  return (s.jurisdictions_size() > 0) + (s.product_lines_size() > 0) +
         (s.categories_size() > 0) + (s.channels_size() > 0);
}

bool SelectorMatches(const v1::PolicySelector& s, const ComplaintAttributes& a) {
  auto any = [](const auto& list, auto pred) {
    if (list.empty()) return true;
    for (const auto& v : list) {
      if (pred(v)) return true;
    }
    return false;
  };
  return any(s.jurisdictions(),
             [&](const std::string& v) { return JurisdictionMatches(v, a.jurisdiction); }) &&
         any(s.product_lines(), [&](const std::string& v) { return v == a.product_line; }) &&
         any(s.categories(), [&](const std::string& v) { return v == a.category; }) &&
         any(s.channels(), [&](int v) { return v == static_cast<int>(a.channel); });
}

}  // namespace

absl::StatusOr<v1::PolicySet> ParsePolicySetText(absl::string_view text,
                                                 absl::string_view source_name) {
  google::protobuf::TextFormat::Parser parser;
  CollectErrors errors;
  parser.RecordErrorsTo(&errors);
  v1::PolicySet set;
  if (!parser.ParseFromString(std::string(text), &set)) {
    return absl::InvalidArgumentError(absl::StrCat(source_name, ":", errors.first()));
  }
  return set;
}

v1::PolicySet MergePolicySets(absl::Span<const v1::PolicySet> sets) {
  v1::PolicySet out;
  for (const auto& s : sets) out.MergeFrom(s);
  return out;
}

const v1::DeadlineRule* RuleFor(const v1::Policy& p, v1::DeadlineKind kind) {
  switch (kind) {
    case v1::DEADLINE_KIND_ACKNOWLEDGEMENT:
      return p.has_acknowledgement() ? &p.acknowledgement() : nullptr;
    case v1::DEADLINE_KIND_SUMMARY_RESOLUTION:
      return p.has_summary_resolution() ? &p.summary_resolution() : nullptr;
    case v1::DEADLINE_KIND_HOLDING_RESPONSE:
      return p.has_holding_response() ? &p.holding_response() : nullptr;
    case v1::DEADLINE_KIND_FINAL_RESPONSE:
      return p.has_final_response() ? &p.final_response() : nullptr;
    case v1::DEADLINE_KIND_DISPUTE_WINDOW:
      return p.has_dispute_window() ? &p.dispute_window() : nullptr;
    case v1::DEADLINE_KIND_REOPEN_WINDOW:
      return p.has_reopen_window() ? &p.reopen_window() : nullptr;
    default: return nullptr;
  }
}

std::string DeadlineKindName(v1::DeadlineKind kind) {
  std::string n = v1::DeadlineKind_Name(kind);
  if (absl::StartsWith(n, "DEADLINE_KIND_")) n = n.substr(14);
  return n.empty() ? absl::StrCat("KIND(", static_cast<int>(kind), ")") : n;
}

bool JurisdictionMatches(absl::string_view selector_value, absl::string_view value) {
  if (value.size() < selector_value.size()) return false;
  if (!absl::EqualsIgnoreCase(value.substr(0, selector_value.size()), selector_value)) {
    return false;
  }
  return value.size() == selector_value.size() || value[selector_value.size()] == '-';
}

absl::Status ValidatePolicySet(const v1::PolicySet& set) {
  std::set<std::string, std::less<>> calendar_ids;
  for (int i = 0; i < set.calendars_size(); ++i) {
    const std::string path = absl::StrCat("calendars[", i, "]");
    REDRESS_RETURN_IF_ERROR(BusinessCalendar::Create(set.calendars(i), path).status());
    if (!calendar_ids.insert(set.calendars(i).id()).second) {
      return Invalid(path + ".id", absl::StrCat("repeated calendar id \"", set.calendars(i).id(),
                                                "\""));
    }
  }
  std::set<std::pair<std::string, int>> versions;
  for (int i = 0; i < set.policies_size(); ++i) {
    const std::string path = absl::StrCat("policies[", i, "]");
    const auto& p = set.policies(i);
    REDRESS_RETURN_IF_ERROR(ValidatePolicy(path, p, calendar_ids));
    if (!versions.emplace(p.id(), p.version()).second) {
      return Invalid(path + ".version", absl::StrCat("policy \"", p.id(), "\" version ",
                                                     p.version(), " is defined twice"));
    }
  }
  std::set<std::string> window_ids;
  for (int i = 0; i < set.pause_windows_size(); ++i) {
    const std::string path = absl::StrCat("pause_windows[", i, "]");
    REDRESS_RETURN_IF_ERROR(ValidatePauseWindow(path, set.pause_windows(i)));
    if (!window_ids.insert(set.pause_windows(i).id()).second) {
      return Invalid(path + ".id", absl::StrCat("repeated pause window id \"",
                                                set.pause_windows(i).id(), "\""));
    }
  }
  return absl::OkStatus();
}

ComplaintAttributes AttributesOf(const v1::Complaint& c) {
  ComplaintAttributes a;
  a.category = c.category();
  a.channel = c.channel();
  auto label = [&](const char* key) {
    const auto it = c.labels().find(key);
    return it == c.labels().end() ? std::string() : it->second;
  };
  a.jurisdiction = label(kJurisdictionLabel);
  a.product_line = label(kProductLineLabel);
  a.complaint_class = label(kComplaintClassLabel);
  return a;
}

absl::StatusOr<PolicyRegistry> PolicyRegistry::Create(v1::PolicySet set) {
  REDRESS_RETURN_IF_ERROR(ValidatePolicySet(set));
  auto state = std::make_shared<State>();
  state->set = std::move(set);
  for (int i = 0; i < state->set.calendars_size(); ++i) {
    REDRESS_ASSIGN_OR_RETURN(
        BusinessCalendar cal,
        BusinessCalendar::Create(state->set.calendars(i), absl::StrCat("calendars[", i, "]")));
    state->calendars.emplace(cal.id(), std::move(cal));
  }
  return PolicyRegistry(std::move(state));
}

absl::StatusOr<const v1::Policy*> PolicyRegistry::FindPolicy(absl::string_view id,
                                                             int version) const {
  for (const auto& p : state_->set.policies()) {
    if (p.id() == id && p.version() == version) return &p;
  }
  return absl::NotFoundError(absl::StrCat("policy \"", id, "\" version ", version,
                                          " is not loaded (policy versions must never be "
                                          "removed while complaints use them)"));
}

absl::StatusOr<const BusinessCalendar*> PolicyRegistry::FindCalendar(absl::string_view id) const {
  const auto it = state_->calendars.find(id);
  if (it == state_->calendars.end()) {
    return absl::NotFoundError(absl::StrCat("calendar \"", id, "\" is not loaded"));
  }
  return &it->second;
}

std::string PolicyRegistry::CalendarIdFor(const v1::Policy& p,
                                          absl::string_view jurisdiction) const {
  const v1::RegionalCalendar* best = nullptr;
  for (const auto& rc : p.regional_calendars()) {
    if (!JurisdictionMatches(rc.jurisdiction(), jurisdiction)) continue;
    if (best == nullptr || rc.jurisdiction().size() > best->jurisdiction().size()) best = &rc;
  }
  return best ? best->calendar_id() : p.calendar_id();
}

absl::StatusOr<PolicyRegistry::Selection> PolicyRegistry::Select(const ComplaintAttributes& attrs,
                                                                 absl::Time receipt) const {
  // The version in force per id.
  std::map<std::string, const v1::Policy*> in_force;
  for (const auto& p : state_->set.policies()) {
    if (p.has_effective_time() && FromTimestamp(p.effective_time()) > receipt) continue;
    auto& slot = in_force[p.id()];
    if (slot == nullptr || p.version() > slot->version()) slot = &p;
  }
  const v1::Policy* best = nullptr;
  auto key = [](const v1::Policy* p) {
    return std::make_tuple(p->priority(), Specificity(p->selector()));
  };
  for (const auto& [id, p] : in_force) {  // ids ascending: ties keep the smaller id
    if (!SelectorMatches(p->selector(), attrs)) continue;
    if (best == nullptr || key(p) > key(best)) best = p;
  }
  if (best == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no policy applies to a complaint with jurisdiction \"", attrs.jurisdiction,
        "\", product line \"", attrs.product_line, "\", category \"", attrs.category,
        "\", channel ", v1::Channel_Name(attrs.channel)));
  }
  Selection s;
  s.policy = best;
  s.ref.set_id(best->id());
  s.ref.set_version(best->version());
  s.ref.set_calendar_id(CalendarIdFor(*best, attrs.jurisdiction));
  REDRESS_ASSIGN_OR_RETURN(s.calendar, FindCalendar(s.ref.calendar_id()));
  return s;
}

absl::StatusOr<PolicyRegistry::Selection> PolicyRegistry::Resolve(
    const v1::PolicyRef& ref) const {
  Selection s;
  REDRESS_ASSIGN_OR_RETURN(s.policy, FindPolicy(ref.id(), ref.version()));
  s.ref = ref;
  if (s.ref.calendar_id().empty()) s.ref.set_calendar_id(s.policy->calendar_id());
  REDRESS_ASSIGN_OR_RETURN(s.calendar, FindCalendar(s.ref.calendar_id()));
  return s;
}

std::vector<v1::PauseWindow> PolicyRegistry::PauseWindowsFor(
    absl::string_view complaint_class) const {
  std::vector<v1::PauseWindow> out;
  if (complaint_class.empty()) return out;
  for (const auto& w : state_->set.pause_windows()) {
    if (w.complaint_class() == complaint_class) out.push_back(w);
  }
  return out;
}

}  // namespace redress::domain
