#include "server/domain/deadline_alerts.h"

#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/domain/policy.h"
#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;

// (kind name, cycle, breached) of a recorded alert; nullopt-like empty kind
// when the payload is not an alert payload.
std::tuple<std::string, int, bool> RecordedKey(const ReplayEvent& e, bool breached) {
  google::protobuf::Struct s;
  if (!google::protobuf::util::JsonStringToMessage(e.payload, &s).ok()) return {"", 0, breached};
  const auto& f = s.fields();
  auto k = f.find("kind");
  auto c = f.find("cycle");
  if (k == f.end() || c == f.end()) return {"", 0, breached};
  return {k->second.string_value(), static_cast<int>(c->second.number_value()), breached};
}

}  // namespace

std::vector<DeadlineAlert> PendingAlerts(absl::Span<const v1::Deadline> deadlines,
                                         absl::Span<const ReplayEvent> events) {
  std::set<std::tuple<std::string, int, bool>> recorded;
  for (const ReplayEvent& e : events) {
    if (e.type == kEventDeadlineAtRisk) recorded.insert(RecordedKey(e, false));
    if (e.type == kEventDeadlineBreached) recorded.insert(RecordedKey(e, true));
  }
  std::vector<DeadlineAlert> out;
  for (const v1::Deadline& d : deadlines) {
    const std::string kind = DeadlineKindName(d.kind());
    const bool at_risk = d.state() == v1::Deadline::STATE_AT_RISK;
    const bool breached = d.state() == v1::Deadline::STATE_BREACHED;
    if (!at_risk && !breached) continue;
    if (recorded.count({kind, d.cycle(), true}) > 0) continue;
    if (at_risk && recorded.count({kind, d.cycle(), false}) > 0) continue;
    DeadlineAlert a;
    a.kind = d.kind();
    a.cycle = d.cycle();
    a.breached = breached;
    a.due_time = FromTimestamp(d.due_time());
    out.push_back(a);
  }
  return out;
}

std::string AlertPayload(const DeadlineAlert& alert) {
  return absl::StrCat("{\"kind\":\"", DeadlineKindName(alert.kind), "\",\"cycle\":", alert.cycle,
                      ",\"due_time\":\"", absl::FormatTime(absl::RFC3339_full, alert.due_time,
                                                         absl::UTCTimeZone()),
                      "\"}");
}

std::vector<v1::Escalation> EscalationsFor(const v1::Policy& policy, const DeadlineAlert& alert) {
  const v1::Deadline::State trigger =
      alert.breached ? v1::Deadline::STATE_BREACHED : v1::Deadline::STATE_AT_RISK;
  std::vector<v1::Escalation> out;
  for (const v1::Escalation& e : policy.escalations()) {
    if (e.trigger() != trigger) continue;
    if (e.kind() != v1::DEADLINE_KIND_UNSPECIFIED && e.kind() != alert.kind) continue;
    out.push_back(e);
  }
  return out;
}

}  // namespace redress::domain
