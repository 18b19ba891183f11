#include "server/domain/deadlines.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/domain/event_hash.h"
#include "server/domain/policy.h"
#include "server/domain/status_macros.h"
#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using Kind = v1::DeadlineKind;
using google::protobuf::Struct;
using google::protobuf::Value;

constexpr double kDefaultAtRiskFraction = 0.75;

bool IsObligation(Kind k) {
  return k == v1::DEADLINE_KIND_ACKNOWLEDGEMENT || k == v1::DEADLINE_KIND_HOLDING_RESPONSE ||
         k == v1::DEADLINE_KIND_FINAL_RESPONSE;
}

bool IsComplainantWindow(Kind k) {
  return k == v1::DEADLINE_KIND_DISPUTE_WINDOW || k == v1::DEADLINE_KIND_REOPEN_WINDOW;
}

std::string UnitWords(v1::TimeUnit u, int n) {
  const bool one = n == 1;
  switch (u) {
    case v1::TIME_UNIT_HOURS: return one ? "hour" : "hours";
    case v1::TIME_UNIT_CALENDAR_DAYS: return one ? "calendar day" : "calendar days";
    case v1::TIME_UNIT_BUSINESS_DAYS: return one ? "business day" : "business days";
    case v1::TIME_UNIT_WEEKS: return one ? "week" : "weeks";
    case v1::TIME_UNIT_CALENDAR_MONTHS: return one ? "calendar month" : "calendar months";
    default: return "units";
  }
}

std::string DueWords(const v1::DeadlineRule& r) {
  if (r.unit() == v1::TIME_UNIT_HOURS) return "elapsed";
  v1::DueTime d = r.due_time();
  if (d == v1::DUE_TIME_UNSPECIFIED) {
    d = r.unit() == v1::TIME_UNIT_BUSINESS_DAYS ? v1::DUE_TIME_CLOSE_OF_BUSINESS
                                                : v1::DUE_TIME_END_OF_DAY;
  }
  switch (d) {
    case v1::DUE_TIME_SAME_LOCAL_TIME: return "due at the same local time on the last day";
    case v1::DUE_TIME_CLOSE_OF_BUSINESS: return "due at close of business on the last day";
    default: return "due at the end of the last day";
  }
}

absl::StatusOr<std::reference_wrapper<const Struct>> ParsePayload(const ReplayEvent& e) {
  if (e.parsed_payload == nullptr) {
    auto s = std::make_shared<Struct>();
    if (!e.payload.empty()) {
      const auto st = google::protobuf::util::JsonStringToMessage(e.payload, s.get());
      if (!st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("event ", e.sequence, " (", e.type,
                                                       "): payload is not a JSON object: ",
                                                       st.ToString()));
      }
    }
    e.parsed_payload = std::move(s);
  }
  return std::cref(*e.parsed_payload);
}

const Value* Field(const Struct& s, std::initializer_list<const char*> path) {
  const Struct* cur = &s;
  const Value* v = nullptr;
  for (const char* key : path) {
    if (cur == nullptr) return nullptr;
    const auto it = cur->fields().find(key);
    if (it == cur->fields().end()) return nullptr;
    v = &it->second;
    cur = v->has_struct_value() ? &v->struct_value() : nullptr;
  }
  return v;
}

std::string StringField(const Struct& s, std::initializer_list<const char*> path) {
  const Value* v = Field(s, path);
  return v != nullptr && v->has_string_value() ? v->string_value() : std::string();
}

bool BoolField(const Struct& s, std::initializer_list<const char*> path) {
  const Value* v = Field(s, path);
  return v != nullptr && v->has_bool_value() && v->bool_value();
}

// Parses the JSON object at `path` of the payload into `out`.
template <typename M>
absl::Status MessageField(const ReplayEvent& e, const Struct& s, const char* key, M* out) {
  const Value* v = Field(s, {key});
  if (v == nullptr || !v->has_struct_value()) {
    return absl::InvalidArgumentError(absl::StrCat("event ", e.sequence, " (", e.type,
                                                   "): payload has no \"", key, "\" object"));
  }
  std::string json;
  google::protobuf::util::MessageToJsonString(v->struct_value(), &json);
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;
  const auto st = google::protobuf::util::JsonStringToMessage(json, out, opts);
  if (!st.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("event ", e.sequence, " (", e.type,
                                                   "): payload \"", key, "\": ", st.ToString()));
  }
  return absl::OkStatus();
}

enum class End { kNone, kSatisfied, kStopped, kUsed };

// One clock being replayed.
struct Instance {
  Kind kind = v1::DEADLINE_KIND_UNSPECIFIED;
  int cycle = 1;
  const v1::DeadlineRule* rule = nullptr;
  absl::Time base_start;
  std::string start_note;
  int amount = 0;
  End end = End::kNone;
  absl::Time end_time;
  std::string end_note;
  std::vector<std::string> notes;

  bool open() const { return end == End::kNone; }
};

// A complainant pause as recorded.
struct ComplainantPause {
  TimeInterval interval;
  int64_t from_seq = 0;
  int64_t to_seq = 0;  // 0 while still open
};

struct ClassWindow {
  const v1::PauseWindow* window;
  TimeInterval interval;
};

struct Computed {
  absl::Time start;
  absl::Time due;
  std::vector<TimeInterval> pauses;
  std::optional<DayCount> count;
};

class Replay {
 public:
  Replay(const DeadlineContext& ctx, std::vector<ClassWindow> windows)
      : ctx_(ctx), cal_(*ctx.calendar), windows_(std::move(windows)) {}

  absl::Status Run(absl::Span<const ReplayEvent> events);
  absl::StatusOr<std::vector<v1::Deadline>> Evaluate() const;

  // The latest clock of `kind`, or nullptr.
  const Instance* Latest(Kind kind) const {
    const Instance* found = nullptr;
    for (const auto& in : instances_) {
      if (in.kind == kind) found = &in;
    }
    return found;
  }

 private:
  Instance* MutableLatest(Kind kind) {
    return const_cast<Instance*>(static_cast<const Replay*>(this)->Latest(kind));
  }
  std::string At(const ReplayEvent& e) const {
    return absl::StrCat(cal_.FormatLocal(e.time), " (event ", e.sequence, " ", e.type, ")");
  }
  void Start(Kind kind, int cycle, absl::Time t, std::string note);
  void StartWindow(Kind kind, const ReplayEvent& e, absl::string_view what);
  void Satisfy(Kind kind, const ReplayEvent& e, absl::string_view how);
  void Stop(Instance* in, const ReplayEvent& e, absl::string_view why);
  void StopAll(const ReplayEvent& e, absl::string_view why, bool include_windows);
  void Close(const ReplayEvent& e, absl::string_view why);
  void NewCycle(const ReplayEvent& e, absl::string_view why);
  absl::Status Respond(const ReplayEvent& e);
  absl::Status Extend(const ReplayEvent& e);
  // Pauses that apply to `in`, complainant pauses cut at `horizon`; regulator
  // windows cut at `horizon` only when `cut_windows`.
  std::vector<TimeInterval> PausesFor(const Instance& in, absl::Time horizon,
                                      bool cut_windows) const;
  absl::StatusOr<Computed> Compute(const Instance& in, absl::Time horizon,
                                   bool cut_windows) const;
  bool PausedNow(const Instance& in) const;
  std::string Explain(const Instance& in, const Computed& c) const;

  const DeadlineContext& ctx_;
  const BusinessCalendar& cal_;
  std::vector<ClassWindow> windows_;
  std::vector<Instance> instances_;
  std::vector<ComplainantPause> pauses_;
  bool pause_open_ = false;
  bool summary_pending_ = false;  // summary resolution sent, acceptance awaited
  int cycle_ = 1;
  std::vector<std::string> general_notes_;
};

void Replay::Start(Kind kind, int cycle, absl::Time t, std::string note) {
  const v1::DeadlineRule* rule = RuleFor(*ctx_.policy, kind);
  if (rule == nullptr) return;
  Instance in;
  in.kind = kind;
  in.cycle = cycle;
  in.rule = rule;
  in.base_start = t;
  in.start_note = std::move(note);
  in.amount = rule->amount();
  instances_.push_back(std::move(in));
}

void Replay::StartWindow(Kind kind, const ReplayEvent& e, absl::string_view what) {
  if (RuleFor(*ctx_.policy, kind) == nullptr) return;
  // Only the latest window of each kind is reported.
  instances_.erase(std::remove_if(instances_.begin(), instances_.end(),
                                  [&](const Instance& in) { return in.kind == kind; }),
                   instances_.end());
  Start(kind, cycle_, e.time, absl::StrCat("opened by ", what, " at ", At(e)));
}

void Replay::Satisfy(Kind kind, const ReplayEvent& e, absl::string_view how) {
  Instance* in = MutableLatest(kind);
  if (in == nullptr || !in->open()) return;
  in->end = End::kSatisfied;
  in->end_time = e.time;
  in->end_note = absl::StrCat("satisfied by ", how, " at ", At(e));
}

void Replay::Stop(Instance* in, const ReplayEvent& e, absl::string_view why) {
  if (in == nullptr || !in->open()) return;
  in->end = End::kStopped;
  in->end_time = e.time;
  in->end_note = absl::StrCat("clock stopped at ", At(e), ": ", why);
}

void Replay::StopAll(const ReplayEvent& e, absl::string_view why, bool include_windows) {
  for (auto& in : instances_) {
    if (!include_windows && IsComplainantWindow(in.kind)) continue;
    Stop(&in, e, why);
  }
}

void Replay::Close(const ReplayEvent& e, absl::string_view why) {
  const bool accepted_summary =
      summary_pending_ && MutableLatest(v1::DEADLINE_KIND_FINAL_RESPONSE) != nullptr &&
      MutableLatest(v1::DEADLINE_KIND_FINAL_RESPONSE)->open();
  StopAll(e,
          accepted_summary
              ? absl::StrCat(why, "; the summary resolution stands (FCA DISP 1.5), no final "
                                  "response is required")
              : std::string(why),
          /*include_windows=*/false);
  summary_pending_ = false;
  StartWindow(v1::DEADLINE_KIND_REOPEN_WINDOW, e, "the closure");
}

void Replay::NewCycle(const ReplayEvent& e, absl::string_view why) {
  if (Instance* reopen = MutableLatest(v1::DEADLINE_KIND_REOPEN_WINDOW);
      reopen != nullptr && reopen->open()) {
    reopen->end = End::kUsed;
    reopen->end_time = e.time;
    reopen->end_note = absl::StrCat("used: ", why, " at ", At(e));
  }
  if (Instance* old = MutableLatest(v1::DEADLINE_KIND_FINAL_RESPONSE)) {
    Stop(old, e, absl::StrCat("superseded: ", why));
  }
  summary_pending_ = false;
  ++cycle_;
  Start(v1::DEADLINE_KIND_FINAL_RESPONSE, cycle_, e.time,
        absl::StrCat("new clock: ", why, " at ", At(e)));
}

absl::Status Replay::Respond(const ReplayEvent& e) {
  REDRESS_ASSIGN_OR_RETURN(const Struct& payload, ParsePayload(e));
  // Payloads use proto field names; accept the JSON (lowerCamel) name too.
  const bool summary = BoolField(payload, {"response", "summary_resolution"}) ||
                       BoolField(payload, {"response", "summaryResolution"});
  Satisfy(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, e, "the response");
  Satisfy(v1::DEADLINE_KIND_HOLDING_RESPONSE, e, "the response");
  Instance* window = MutableLatest(v1::DEADLINE_KIND_SUMMARY_RESOLUTION);
  if (summary && window != nullptr && window->open()) {
    REDRESS_ASSIGN_OR_RETURN(const Computed c, Compute(*window, e.time, /*cut_windows=*/true));
    if (e.time <= c.due) {
      Satisfy(v1::DEADLINE_KIND_SUMMARY_RESOLUTION, e, "a summary resolution communication");
      if (Instance* fin = MutableLatest(v1::DEADLINE_KIND_FINAL_RESPONSE);
          fin != nullptr && fin->open()) {
        summary_pending_ = true;
        fin->notes.push_back(absl::StrCat(
            "summary resolution sent at ", At(e),
            ": this clock keeps running until the complainant accepts it (then not required) "
            "or rejects it (FCA DISP 1.5: resolved means accepted)"));
      }
      StartWindow(v1::DEADLINE_KIND_DISPUTE_WINDOW, e, "the summary resolution");
      return absl::OkStatus();
    }
    Stop(window, e,
         "a response flagged as a summary resolution came after the window closed; it counts "
         "as the final response");
  } else if (summary && window == nullptr &&
             RuleFor(*ctx_.policy, v1::DEADLINE_KIND_SUMMARY_RESOLUTION) == nullptr) {
    if (Instance* fin = MutableLatest(v1::DEADLINE_KIND_FINAL_RESPONSE)) {
      fin->notes.push_back(absl::StrCat(
          "the response at ", At(e),
          " is flagged as a summary resolution but the policy has no summary window: it "
          "counts as the final response"));
    }
  }
  Stop(window, e, "a final response was sent instead");
  Satisfy(v1::DEADLINE_KIND_FINAL_RESPONSE, e, "the final response");
  summary_pending_ = false;
  StartWindow(v1::DEADLINE_KIND_DISPUTE_WINDOW, e, "the response");
  return absl::OkStatus();
}

absl::Status Replay::Extend(const ReplayEvent& e) {
  REDRESS_ASSIGN_OR_RETURN(const Struct& payload, ParsePayload(e));
  v1::DeadlineExtension ext;
  REDRESS_RETURN_IF_ERROR(MessageField(e, payload, "extension", &ext));
  const std::string name = DeadlineKindName(ext.kind());
  Instance* in = MutableLatest(ext.kind());
  if (in == nullptr || !IsObligation(ext.kind())) {
    general_notes_.push_back(absl::StrCat("extension of ", name, " at ", At(e),
                                          " ignored: no such extendable deadline"));
    return absl::OkStatus();
  }
  if (!in->open()) {
    in->notes.push_back(absl::StrCat("extension at ", At(e), " ignored: the clock had ended"));
    return absl::OkStatus();
  }
  REDRESS_ASSIGN_OR_RETURN(const Computed c, Compute(*in, e.time, /*cut_windows=*/true));
  if (e.time > c.due) {
    in->notes.push_back(absl::StrCat("extension at ", At(e),
                                     " ignored: recorded after the due time ",
                                     cal_.FormatLocal(c.due)));
    return absl::OkStatus();
  }
  const int max = in->rule->max_extended_amount();
  if (max == 0) {
    in->notes.push_back(absl::StrCat("extension at ", At(e),
                                     " ignored: the policy allows no extension"));
    return absl::OkStatus();
  }
  int amount = ext.amount();
  std::string capped;
  if (amount > max) {
    capped = absl::StrCat(" (", ext.amount(), " requested, capped at the policy maximum ", max,
                          ")");
    amount = max;
  }
  if (amount <= in->amount) {
    in->notes.push_back(absl::StrCat("extension at ", At(e), " to ", amount,
                                     " ignored: not longer than the current ", in->amount));
    return absl::OkStatus();
  }
  in->notes.push_back(absl::StrCat("extended from ", in->amount, " to ", amount, " ",
                                   UnitWords(in->rule->unit(), amount), capped, " at ", At(e),
                                   ", reason: \"", ext.reason(), "\""));
  in->amount = amount;
  return absl::OkStatus();
}

absl::Status Replay::Run(absl::Span<const ReplayEvent> events) {
  if (events.empty() || events[0].type != kEventSubmitted) {
    return absl::FailedPreconditionError("deadlines: the first event must be SUBMITTED");
  }
  const ReplayEvent& submitted = events[0];
  const std::string received = absl::StrCat("received ", At(submitted));
  for (Kind k : {v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::DEADLINE_KIND_SUMMARY_RESOLUTION,
                 v1::DEADLINE_KIND_HOLDING_RESPONSE, v1::DEADLINE_KIND_FINAL_RESPONSE}) {
    Start(k, 1, submitted.time, received);
  }
  for (size_t i = 1; i < events.size(); ++i) {
    const ReplayEvent& e = events[i];
    const std::string& t = e.type;
    if (t == kEventAcknowledged) {
      Satisfy(v1::DEADLINE_KIND_ACKNOWLEDGEMENT, e, "the acknowledgement");
    } else if (t == kEventHoldingResponseSent) {
      Satisfy(v1::DEADLINE_KIND_HOLDING_RESPONSE, e, "the holding response");
    } else if (t == kEventResponded) {
      REDRESS_RETURN_IF_ERROR(Respond(e));
    } else if (t == kEventDecisionRecorded) {
      REDRESS_ASSIGN_OR_RETURN(const Struct& payload, ParsePayload(e));
      const std::string outcome = StringField(payload, {"decision", "outcome"});
      if (outcome == "OUTCOME_ACCEPTED") {
        Close(e, "the complainant accepted the response");
      } else if (outcome == "OUTCOME_REJECTED" && summary_pending_) {
        summary_pending_ = false;
        if (Instance* fin = MutableLatest(v1::DEADLINE_KIND_FINAL_RESPONSE)) {
          fin->notes.push_back(absl::StrCat("summary resolution rejected at ", At(e),
                                            ": the final response is still due"));
        }
      }
    } else if (t == kEventClosed) {
      Close(e, "the complaint was closed");
    } else if (t == kEventWithdrawn) {
      StopAll(e, "the complaint was withdrawn", /*include_windows=*/true);
      summary_pending_ = false;
    } else if (t == kEventDisputeOpened) {
      Instance* w = MutableLatest(v1::DEADLINE_KIND_DISPUTE_WINDOW);
      if (w != nullptr && w->open()) {
        REDRESS_ASSIGN_OR_RETURN(const Computed c, Compute(*w, e.time, true));
        if (e.time <= c.due) {
          w->end = End::kUsed;
          w->end_time = e.time;
          w->end_note = absl::StrCat("used: dispute opened at ", At(e));
        } else {
          w->notes.push_back(absl::StrCat("dispute opened at ", At(e), " after the window"));
        }
      }
    } else if (t == kEventDisputeResolved) {
      REDRESS_ASSIGN_OR_RETURN(const Struct& payload, ParsePayload(e));
      if (StringField(payload, {"outcome"}) == "OUTCOME_REMITTED") {
        NewCycle(e, "the dispute was remitted for further investigation");
      } else {
        Close(e, "the dispute was resolved");
      }
    } else if (t == kEventReopened) {
      NewCycle(e, "the complaint was reopened");
    } else if (t == kEventInformationRequested) {
      if (pause_open_) {
        general_notes_.push_back(
            absl::StrCat("information requested again at ", At(e), " while already waiting"));
      } else {
        pause_open_ = true;
        pauses_.push_back({{e.time, absl::InfiniteFuture()}, e.sequence, 0});
      }
    } else if (t == kEventInformationReceived) {
      if (pause_open_) {
        pause_open_ = false;
        pauses_.back().interval.end = e.time;
        pauses_.back().to_seq = e.sequence;
      }
    } else if (t == kEventDeadlineExtended) {
      REDRESS_RETURN_IF_ERROR(Extend(e));
    } else if (t == kEventDeadlinesRecomputed) {
      REDRESS_ASSIGN_OR_RETURN(const Struct& payload, ParsePayload(e));
      general_notes_.push_back(absl::StrCat(
          "deadlines recomputed at ", At(e), " (reason: \"", StringField(payload, {"reason"}),
          "\"): every clock runs under the policy version recorded then"));
    }
  }
  return absl::OkStatus();
}

std::vector<TimeInterval> Replay::PausesFor(const Instance& in, absl::Time horizon,
                                            bool cut_windows) const {
  std::vector<TimeInterval> out;
  if (in.rule->pauses_while_awaiting_complainant()) {
    for (const auto& p : pauses_) {
      out.push_back({p.interval.start, std::min(p.interval.end, horizon)});
    }
  }
  if (!IsComplainantWindow(in.kind)) {
    for (const auto& w : windows_) {
      const auto& kinds = w.window->deadline_kinds();
      if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), in.kind) == kinds.end()) {
        continue;
      }
      out.push_back({w.interval.start,
                     cut_windows ? std::min(w.interval.end, horizon) : w.interval.end});
    }
  }
  return NormalizeIntervals(std::move(out));
}

absl::StatusOr<Computed> Replay::Compute(const Instance& in, absl::Time horizon,
                                         bool cut_windows) const {
  Computed c;
  c.pauses = PausesFor(in, horizon, cut_windows);
  REDRESS_ASSIGN_OR_RETURN(c.start, ApplyStartRule(cal_, in.base_start, in.rule->start_rule()));
  const v1::DueTime due_time = in.rule->due_time();
  switch (in.rule->unit()) {
    case v1::TIME_UNIT_HOURS:
      c.due = AddRunningTime(c.start, absl::Hours(in.amount), c.pauses);
      break;
    case v1::TIME_UNIT_BUSINESS_DAYS: {
      REDRESS_ASSIGN_OR_RETURN(c.count,
                               AddBusinessDays(cal_, c.start, in.amount, due_time, c.pauses));
      c.due = c.count->due;
      break;
    }
    case v1::TIME_UNIT_CALENDAR_DAYS:
    case v1::TIME_UNIT_WEEKS: {
      const int days = in.rule->unit() == v1::TIME_UNIT_WEEKS ? 7 * in.amount : in.amount;
      REDRESS_ASSIGN_OR_RETURN(c.count, AddCalendarDays(cal_, c.start, days, due_time, c.pauses));
      c.due = c.count->due;
      break;
    }
    case v1::TIME_UNIT_CALENDAR_MONTHS:
      c.due = AddCalendarMonths(cal_, c.start, in.amount, due_time);
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "deadlines: policy ", ctx_.policy->id(), " has a rule without a unit"));
  }
  return c;
}

bool Replay::PausedNow(const Instance& in) const {
  if (in.rule->pauses_while_awaiting_complainant() && pause_open_ &&
      pauses_.back().interval.start <= ctx_.now) {
    return true;
  }
  if (IsComplainantWindow(in.kind)) return false;
  for (const auto& w : windows_) {
    const auto& kinds = w.window->deadline_kinds();
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), in.kind) == kinds.end()) continue;
    if (w.interval.start <= ctx_.now && ctx_.now < w.interval.end) return true;
  }
  return false;
}

std::string Replay::Explain(const Instance& in, const Computed& c) const {
  const v1::Policy& p = *ctx_.policy;
  const v1::DeadlineRule& r = *in.rule;
  std::vector<std::string> parts;
  parts.push_back(absl::StrCat(
      DeadlineKindName(in.kind), in.cycle > 1 ? absl::StrCat(" (cycle ", in.cycle, ")") : "",
      " under policy ", p.id(), " v", p.version(), ": ", r.amount(), " ",
      UnitWords(r.unit(), r.amount()), ", ", DueWords(r),
      r.source().empty() ? "" : absl::StrCat(" [", r.source(), "]"), "; calendar ", cal_.id(),
      " (", cal_.time_zone().name(), ")"));
  std::string start = in.start_note;
  if (c.start != in.base_start) {
    absl::StrAppend(&start, "; outside business hours, so the clock starts when business next "
                            "opens, ",
                    cal_.FormatLocal(c.start));
  } else {
    absl::StrAppend(&start, "; the clock starts then");
  }
  parts.push_back(start);
  // Pauses.
  if (!pauses_.empty()) {
    if (r.pauses_while_awaiting_complainant()) {
      for (const auto& cp : pauses_) {
        if (cp.to_seq != 0) {
          parts.push_back(absl::StrCat("waiting for the complainant from ",
                                       cal_.FormatLocal(cp.interval.start), " (event ",
                                       cp.from_seq, ") to ", cal_.FormatLocal(cp.interval.end),
                                       " (event ", cp.to_seq, ")"));
        } else {
          parts.push_back(absl::StrCat("waiting for the complainant since ",
                                       cal_.FormatLocal(cp.interval.start), " (event ",
                                       cp.from_seq, ")"));
        }
      }
    } else if (!IsComplainantWindow(in.kind)) {
      parts.push_back(absl::StrCat("information requests do not pause this deadline (policy ",
                                   p.id(), ")"));
    }
  }
  if (!IsComplainantWindow(in.kind)) {
    for (const auto& w : windows_) {
      const auto& kinds = w.window->deadline_kinds();
      if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), in.kind) == kinds.end()) {
        continue;
      }
      parts.push_back(absl::StrCat("regulator pause ", w.window->id(), " ",
                                   w.window->start_date(), "..", w.window->end_date(),
                                   " inclusive",
                                   w.window->source().empty()
                                       ? ""
                                       : absl::StrCat(" [", w.window->source(), "]")));
    }
  }
  if (c.count && c.count->paused_days > 0) {
    parts.push_back(absl::StrCat(
        c.count->paused_days, r.unit() == v1::TIME_UNIT_BUSINESS_DAYS ? " business" : "",
        c.count->paused_days == 1 ? " day" : " days", " not counted because paused (",
        absl::FormatCivilTime(*c.count->first_paused_day),
        c.count->paused_days > 1
            ? absl::StrCat("..", absl::FormatCivilTime(*c.count->last_paused_day))
            : "",
        ")"));
  } else if (!c.count) {
    const absl::Duration paused = PausedTimeBetween(c.start, c.due, c.pauses);
    if (paused > absl::ZeroDuration()) {
      parts.push_back(absl::StrCat("due time moved by ", FormatDurationShort(paused),
                                   " of pauses"));
    }
  }
  for (const auto& n : in.notes) parts.push_back(n);
  parts.push_back(absl::StrCat("due ", cal_.FormatLocal(c.due), " (",
                               absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", c.due, absl::UTCTimeZone()),
                               ")"));
  if (!in.open()) parts.push_back(in.end_note);
  for (const auto& n : general_notes_) parts.push_back(n);
  return absl::StrJoin(parts, "; ");
}

absl::StatusOr<std::vector<v1::Deadline>> Replay::Evaluate() const {
  std::vector<v1::Deadline> out;
  const v1::Policy& p = *ctx_.policy;
  for (const auto& in : instances_) {
    const absl::Time horizon = in.open() ? ctx_.now : in.end_time;
    REDRESS_ASSIGN_OR_RETURN(const Computed c, Compute(in, horizon, /*cut_windows=*/!in.open()));
    v1::Deadline d;
    d.set_kind(in.kind);
    d.set_cycle(in.cycle);
    *d.mutable_start_time() = ToTimestamp(c.start);
    *d.mutable_due_time() = ToTimestamp(c.due);
    d.set_amount(in.amount);
    d.set_unit(in.rule->unit());
    d.mutable_paused_duration()->set_seconds(
        absl::ToInt64Seconds(PausedTimeBetween(c.start, c.due, c.pauses)));
    d.mutable_policy()->set_id(p.id());
    d.mutable_policy()->set_version(p.version());
    d.mutable_policy()->set_calendar_id(cal_.id());
    const bool obligation = IsObligation(in.kind);
    std::optional<absl::Time> at_risk;
    if (obligation) {
      double f = in.rule->at_risk_fraction();
      if (f == 0) f = p.at_risk_fraction();
      if (f == 0) f = kDefaultAtRiskFraction;
      const absl::Duration total = RunningTimeBetween(c.start, c.due, c.pauses);
      at_risk = AddRunningTime(c.start, total * f, c.pauses);
      *d.mutable_at_risk_time() = ToTimestamp(*at_risk);
    }
    auto set_remaining = [&](absl::Duration r) { *d.mutable_time_remaining() = ToDurationProto(r); };
    using S = v1::Deadline;
    switch (in.end) {
      case End::kSatisfied:
        d.set_state(in.end_time <= c.due ? S::STATE_MET : S::STATE_BREACHED);
        *d.mutable_satisfy_time() = ToTimestamp(in.end_time);
        set_remaining(c.due - in.end_time);
        break;
      case End::kUsed:
        d.set_state(S::STATE_MET);
        *d.mutable_satisfy_time() = ToTimestamp(in.end_time);
        set_remaining(c.due - in.end_time);
        break;
      case End::kStopped:
        if (in.end_time > c.due) {
          d.set_state(obligation ? S::STATE_BREACHED : S::STATE_EXPIRED);
          if (obligation) set_remaining(c.due - in.end_time);
        } else {
          d.set_state(S::STATE_NOT_REQUIRED);
        }
        break;
      case End::kNone:
        if (ctx_.now > c.due) {
          d.set_state(obligation ? S::STATE_BREACHED : S::STATE_EXPIRED);
          if (obligation) set_remaining(c.due - ctx_.now);
        } else {
          set_remaining(c.due - ctx_.now);
          if (PausedNow(in)) {
            d.set_state(S::STATE_PAUSED);
          } else if (obligation && ctx_.now >= *at_risk) {
            d.set_state(S::STATE_AT_RISK);
          } else {
            d.set_state(S::STATE_ON_TRACK);
          }
        }
        break;
    }
    std::string explanation = Explain(in, c);
    absl::StrAppend(&explanation, "; state at ", cal_.FormatLocal(ctx_.now), ": ",
                    S::State_Name(d.state()).substr(6));
    d.set_explanation(std::move(explanation));
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(), [](const v1::Deadline& a, const v1::Deadline& b) {
    return std::make_pair(static_cast<int>(a.kind()), a.cycle()) <
           std::make_pair(static_cast<int>(b.kind()), b.cycle());
  });
  return out;
}

absl::StatusOr<std::vector<ClassWindow>> LoadWindows(const DeadlineContext& ctx) {
  std::vector<ClassWindow> out;
  for (const auto& w : ctx.pause_windows) {
    const auto start = ParseLocalDate(w.start_date());
    const auto end = ParseLocalDate(w.end_date());
    absl::TimeZone tz;
    if (!start || !end || !absl::LoadTimeZone(w.time_zone(), &tz)) {
      return absl::InvalidArgumentError(
          absl::StrCat("pause window ", w.id(), ": invalid dates or time zone (validate the "
                       "policy set first)"));
    }
    out.push_back({&w, {absl::FromCivil(*start, tz), absl::FromCivil(*end + 1, tz)}});
  }
  return out;
}

absl::Status CheckContext(absl::Span<const ReplayEvent> events, const DeadlineContext& ctx) {
  if (ctx.policy == nullptr || ctx.calendar == nullptr) {
    return absl::InvalidArgumentError("deadlines: policy and calendar are required");
  }
  const auto recorded = RecordedPolicyRef(events);
  if (recorded.ok()) {
    if (recorded->id() != ctx.policy->id() || recorded->version() != ctx.policy->version()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "deadlines: the complaint's events record policy ", recorded->id(), " v",
          recorded->version(), " but policy ", ctx.policy->id(), " v", ctx.policy->version(),
          " was supplied (resolve RecordedPolicyRef; only an audited recompute changes it)"));
    }
    if (!recorded->calendar_id().empty() && recorded->calendar_id() != ctx.calendar->id()) {
      return absl::FailedPreconditionError(
          absl::StrCat("deadlines: the complaint's events record calendar ",
                       recorded->calendar_id(), " but calendar ", ctx.calendar->id(),
                       " was supplied"));
    }
  } else if (!absl::IsNotFound(recorded.status())) {
    return recorded.status();
  }
  return absl::OkStatus();
}

}  // namespace

ReplayEvent ToReplayEvent(const v1::ComplaintEvent& event) {
  ReplayEvent r;
  r.sequence = event.sequence();
  r.type = EventTypeName(event.type());
  r.time = FromTimestamp(event.event_time());
  r.payload = event.payload();
  return r;
}

std::string FormatDurationShort(absl::Duration d) {
  std::string sign;
  if (d < absl::ZeroDuration()) {
    sign = "-";
    d = -d;
  }
  const int64_t total_min = absl::ToInt64Minutes(d);
  const int64_t days = total_min / (24 * 60), hours = (total_min / 60) % 24,
                minutes = total_min % 60;
  std::vector<std::string> parts;
  if (days) parts.push_back(absl::StrCat(days, "d"));
  if (hours) parts.push_back(absl::StrCat(hours, "h"));
  if (minutes || parts.empty()) parts.push_back(absl::StrCat(minutes, "m"));
  return sign + absl::StrJoin(parts, " ");
}

absl::StatusOr<v1::PolicyRef> RecordedPolicyRef(absl::Span<const ReplayEvent> events) {
  std::optional<v1::PolicyRef> found;
  for (const auto& e : events) {
    if (e.type != kEventSubmitted && e.type != kEventDeadlinesRecomputed) continue;
    REDRESS_ASSIGN_OR_RETURN(const Struct& payload, ParsePayload(e));
    const Value* v = Field(payload, {"policy"});
    if (v == nullptr) continue;
    v1::PolicyRef ref;
    REDRESS_RETURN_IF_ERROR(MessageField(e, payload, "policy", &ref));
    found = ref;
  }
  if (!found) return absl::NotFoundError("no event records a policy version");
  return *found;
}

absl::StatusOr<std::vector<v1::Deadline>> ComputeDeadlines(absl::Span<const ReplayEvent> events,
                                                           const DeadlineContext& ctx) {
  REDRESS_RETURN_IF_ERROR(CheckContext(events, ctx));
  REDRESS_ASSIGN_OR_RETURN(std::vector<ClassWindow> windows, LoadWindows(ctx));
  Replay replay(ctx, std::move(windows));
  REDRESS_RETURN_IF_ERROR(replay.Run(events));
  return replay.Evaluate();
}

std::vector<ReplayEvent> ToReplayEvents(absl::Span<const v1::ComplaintEvent> events) {
  std::vector<ReplayEvent> replay;
  replay.reserve(events.size());
  for (const auto& e : events) replay.push_back(ToReplayEvent(e));
  return replay;
}

absl::StatusOr<std::vector<v1::Deadline>> ComputeDeadlines(
    absl::Span<const v1::ComplaintEvent> events, const DeadlineContext& ctx) {
  const std::vector<ReplayEvent> replay = ToReplayEvents(events);
  return ComputeDeadlines(absl::MakeConstSpan(replay), ctx);
}

absl::Status CheckExtension(absl::Span<const ReplayEvent> events, const DeadlineContext& ctx,
                            const v1::DeadlineExtension& ext) {
  if (!IsObligation(ext.kind())) {
    return absl::InvalidArgumentError(
        "extension.kind: must be ACKNOWLEDGEMENT, HOLDING_RESPONSE or FINAL_RESPONSE");
  }
  if (ext.reason().empty()) return absl::InvalidArgumentError("extension.reason: required");
  if (ext.reason().size() > 4096) {
    return absl::InvalidArgumentError("extension.reason: at most 4096 bytes");
  }
  if (ctx.policy == nullptr) return absl::InvalidArgumentError("deadlines: policy is required");
  const std::string name = DeadlineKindName(ext.kind());
  const v1::DeadlineRule* rule = RuleFor(*ctx.policy, ext.kind());
  const std::string policy = absl::StrCat(ctx.policy->id(), " v", ctx.policy->version());
  if (rule == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("policy ", policy, " has no ", name, " deadline"));
  }
  if (rule->max_extended_amount() == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", name, " deadline cannot be extended under policy ", policy,
        rule->source().empty() ? "" : absl::StrCat(" [", rule->source(), "]")));
  }
  if (ext.amount() > rule->max_extended_amount()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "extension.amount: at most ", rule->max_extended_amount(), " ",
        UnitWords(rule->unit(), rule->max_extended_amount()), " under policy ", policy,
        rule->source().empty() ? "" : absl::StrCat(" [", rule->source(), "]"), ", got ",
        ext.amount()));
  }
  REDRESS_ASSIGN_OR_RETURN(const auto deadlines, ComputeDeadlines(events, ctx));
  const v1::Deadline* current = nullptr;
  for (const auto& d : deadlines) {
    if (d.kind() == ext.kind()) current = &d;  // ordered by cycle: keeps the latest
  }
  if (current == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("the complaint has no ", name, " deadline"));
  }
  if (ext.amount() <= current->amount()) {
    return absl::InvalidArgumentError(
        absl::StrCat("extension.amount: must be more than the current ", current->amount(),
                     ", got ", ext.amount()));
  }
  const auto s = current->state();
  if (s != v1::Deadline::STATE_ON_TRACK && s != v1::Deadline::STATE_AT_RISK &&
      s != v1::Deadline::STATE_PAUSED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", name, " deadline is ", v1::Deadline::State_Name(s).substr(6),
        ": only a running deadline can be extended, before it falls due"));
  }
  return absl::OkStatus();
}

}  // namespace redress::domain
