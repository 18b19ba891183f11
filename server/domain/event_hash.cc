#include "server/domain/event_hash.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/sha256.h"
#include "server/domain/time_util.h"

namespace redress::domain {
namespace {

using redress::v1::ComplaintEvent;

constexpr char kMagicV1[] = "REDRESS-EVENT-V1";  // 16 bytes, no terminator
constexpr char kMagicV2[] = "REDRESS-EVENT-V2";

void PutU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

void PutU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

void PutField(std::string* out, std::string_view bytes) {
  PutU32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes.data(), bytes.size());
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

static bool IsSystemActor(absl::string_view actor) {
  return absl::StartsWithIgnoreCase(actor, "system:");
}

absl::Status CheckActorKind(const ComplaintEvent& e, bool after_v2) {
  switch (e.actor_kind()) {
    case ComplaintEvent::ACTOR_KIND_UNSPECIFIED:
      if (after_v2) {
        return absl::DataLossError(absl::StrCat(
            "event ", e.name(), ": encoded with version 1 after an event of version 2 "
            "(actor_kind missing)"));
      }
      return absl::OkStatus();
    case ComplaintEvent::ACTOR_KIND_PRINCIPAL:
      if (IsSystemActor(e.actor())) {
        return absl::DataLossError(absl::StrCat("event ", e.name(), ": a principal's event names "
                                                "the reserved system actor ", e.actor()));
      }
      return absl::OkStatus();
    case ComplaintEvent::ACTOR_KIND_SYSTEM:
      if (!IsSystemActor(e.actor())) {
        return absl::DataLossError(absl::StrCat("event ", e.name(), ": a system event's actor ",
                                                e.actor(), " is not in the system: namespace"));
      }
      return absl::OkStatus();
    default:
      return absl::DataLossError(
          absl::StrCat("event ", e.name(), ": unknown actor_kind ", static_cast<int>(e.actor_kind())));
  }
}

std::string EventTypeName(ComplaintEvent::Type type) {
  std::string name = ComplaintEvent::Type_Name(type);
  if (absl::StartsWith(name, "TYPE_")) name = name.substr(5);
  return name;
}

std::string CanonicalEventEncoding(const ComplaintEvent& event) {
  if (event.prev_hash().size() != 64 || !IsLowerHex(event.prev_hash())) return "";
  const std::string complaint_name = [&] {
    // "complaints/{id}/events/{n}" -> "complaints/{id}"
    std::string_view n = event.name();
    size_t pos = n.find("/events/");
    return std::string(pos == std::string_view::npos ? n : n.substr(0, pos));
  }();
  std::string out;
  out.reserve(128 + event.payload().size());
  const bool v2 = event.actor_kind() != ComplaintEvent::ACTOR_KIND_UNSPECIFIED;
  out.append(v2 ? kMagicV2 : kMagicV1, 16);
  PutField(&out, complaint_name);
  PutU64(&out, static_cast<uint64_t>(event.sequence()));
  PutField(&out, EventTypeName(event.type()));
  PutU32(&out, static_cast<uint32_t>(event.from_state()));
  PutU32(&out, static_cast<uint32_t>(event.to_state()));
  PutField(&out, event.actor());
  if (v2) PutU32(&out, static_cast<uint32_t>(event.actor_kind()));
  PutField(&out, event.request_id());
  PutU64(&out, static_cast<uint64_t>(ToUnixMicros(event.event_time())));
  PutField(&out, event.payload());
  out.append(absl::HexStringToBytes(event.prev_hash()));
  return out;
}

std::string ComputeEventHash(const ComplaintEvent& event) {
  std::string encoding = CanonicalEventEncoding(event);
  if (encoding.empty()) return "";
  return Sha256Hex(encoding);
}

absl::Status VerifyEventChain(const std::vector<ComplaintEvent>& events) {
  std::string expected_prev = kGenesisHashHex;
  int64_t expected_seq = 1;
  bool any_v2 = false;
  for (const ComplaintEvent& e : events) {
    if (e.sequence() != expected_seq) {
      return absl::DataLossError(absl::StrCat("event ", e.name(), ": sequence ", e.sequence(),
                                              " where ", expected_seq, " was expected"));
    }
    if (e.prev_hash() != expected_prev) {
      return absl::DataLossError(absl::StrCat("event ", e.name(),
                                              ": prev_hash does not match the hash of event ",
                                              expected_seq - 1));
    }
    if (absl::Status st = CheckActorKind(e, any_v2); !st.ok()) return st;
    any_v2 = any_v2 || e.actor_kind() != ComplaintEvent::ACTOR_KIND_UNSPECIFIED;
    const std::string recomputed = ComputeEventHash(e);
    if (recomputed != e.hash()) {
      return absl::DataLossError(absl::StrCat("event ", e.name(),
                                              ": hash does not match its content (recomputed ",
                                              recomputed, ")"));
    }
    expected_prev = e.hash();
    ++expected_seq;
  }
  return absl::OkStatus();
}

}  // namespace redress::domain
