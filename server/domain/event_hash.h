// Canonical encoding and SHA-256 hash chain of complaint events.
//
// The byte layout is specified in compliance-docs/audit-trail.md; this file is
// its reference implementation. Everything here is pure and thread-safe.
#ifndef REDRESS_SERVER_DOMAIN_EVENT_HASH_H_
#define REDRESS_SERVER_DOMAIN_EVENT_HASH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "redress/v1/complaint.pb.h"

namespace redress::domain {

// 32 zero bytes, hex: the prev_hash of a complaint's first event.
inline constexpr char kGenesisHashHex[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The canonical encoding of `event`'s hashed fields: everything but `name`,
// `position` and `hash`. `prev_hash` is included (as 32 raw bytes decoded
// from its hex form). Version 2 (magic REDRESS-EVENT-V2, with actor_kind
// after the actor) when actor_kind is set, else version 1 (events recorded
// before it existed). Returns an empty string if prev_hash is not 64
// lower-case hex characters.
std::string CanonicalEventEncoding(const redress::v1::ComplaintEvent& event);

// Lower-case hex SHA-256 of CanonicalEventEncoding(event).
std::string ComputeEventHash(const redress::v1::ComplaintEvent& event);

// Name used for an event type inside the encoding ("ACKNOWLEDGED", ...): the
// enum value name without the "TYPE_" prefix.
std::string EventTypeName(redress::v1::ComplaintEvent::Type type);

// Checks one complaint's history, given in sequence order: sequences are
// 1..n without gaps, the first prev_hash is the genesis hash, every prev_hash
// equals the previous event's hash, and every hash recomputes; actor_kind
// agrees with the actor's name (SYSTEM exactly for "system:..." actors) and,
// once an event has one, every later event has one (no version 1 after 2).
// Returns OK, or DATA_LOSS naming the first bad event's sequence and what is
// wrong with it.
absl::Status VerifyEventChain(const std::vector<redress::v1::ComplaintEvent>& events);

// The actor-kind rules of VerifyEventChain for one event (`after_v2`: an
// earlier event of the same complaint had an actor_kind). OK or DATA_LOSS.
absl::Status CheckActorKind(const redress::v1::ComplaintEvent& event, bool after_v2);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_EVENT_HASH_H_
