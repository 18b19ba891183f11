#include "server/core/event_builder.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/domain/event_hash.h"
#include "server/domain/ids.h"
#include "server/domain/time_util.h"
#include "server/domain/validation.h"
#include "server/store/row_codec.h"

namespace redress::core {

absl::StatusOr<redress::v1::ComplaintEvent> NextEvent(store::StoredComplaint& stored,
                                                      domain::Transition t,
                                                      const std::string& actor,
                                                      const std::string& request_id,
                                                      absl::Time now) {
  redress::v1::ComplaintEvent event;
  event.set_sequence(stored.version + 1);
  event.set_name(absl::StrCat(domain::ComplaintName(stored.id), "/events/", event.sequence()));
  event.set_type(t.event_type);
  event.set_from_state(t.from_state);
  event.set_to_state(t.to_state);
  event.set_actor(actor);
  // Callers never carry a system: name (refused at authentication and in
  // the engine), so the kind follows from the name.
  event.set_actor_kind(domain::IsSystemActorName(actor) ? v1::ComplaintEvent::ACTOR_KIND_SYSTEM
                                                        : v1::ComplaintEvent::ACTOR_KIND_PRINCIPAL);
  event.set_request_id(request_id);
  *event.mutable_event_time() = domain::ToTimestamp(now);
  event.set_payload(std::move(t.payload));
  event.set_prev_hash(stored.last_event_hash);
  event.set_hash(domain::ComputeEventHash(event));
  if (event.hash().empty()) return absl::InternalError("stored last_event_hash is malformed");

  stored.complaint = std::move(t.after);
  stored.version += 1;
  stored.last_event_hash = event.hash();
  stored.complaint.set_etag(store::EtagFor(stored.last_event_hash));
  return event;
}

}  // namespace redress::core
