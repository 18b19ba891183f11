#include "clients/cli/audit_verify.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/json.h"
#include "redress/v1/complaint.pb.h"
#include "server/domain/checkpoint_signer.h"
#include "server/domain/event_hash.h"
#include "server/domain/merkle.h"
#include "server/domain/time_util.h"

namespace redress::cli {
namespace {

namespace v1 = ::redress::v1;

constexpr char kFormat[] = "redress-audit-trail/1";
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
// google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999Z.
constexpr int64_t kMinTimeUs = -62135596800LL * 1000000;
constexpr int64_t kMaxTimeUs = 253402300799LL * 1000000 + 999999;
const std::string kZeroHash(64, '0');

// ---------------------------------------------------------------------------
// Fields of each record type.

enum class Kind {
  kString,
  kBool,
  kObject,
  kCount,       // 0 .. 2^63-1
  kSequence,    // 1 .. 2^63-1
  kState,       // 0 .. 7
  kTimeUs,      // Timestamp range, microseconds
  kInt64,       // any signed 64-bit
  kHex,         // 64 lower-case hex
  kHexList,     // list of kHex
  kComplaint,   // complaints/ID
  kEventType,   // known type name
  kFormat,      // "redress-audit-trail/1"
  kPersonal,    // "redacted" | "included"
  kRedacted,    // "", "erased", "hmac-sha256:<hex>"
  kActorKind,   // "PRINCIPAL" | "SYSTEM" (event encoding version 2)
};

struct Field {
  const char* name;
  Kind kind;
};

std::string Describe(Kind k) {
  switch (k) {
    case Kind::kString: return "a string";
    case Kind::kBool: return "a boolean";
    case Kind::kObject: return "an object";
    case Kind::kCount: return "an integer from 0 to 9223372036854775807";
    case Kind::kSequence: return "an integer from 1 to 9223372036854775807";
    case Kind::kState: return "a Complaint.State number from 0 to 7";
    case Kind::kTimeUs:
      return "an integer from -62135596800000000 to 253402300799999999 (microseconds in years "
             "1 to 9999)";
    case Kind::kInt64: return "an integer from -9223372036854775808 to 9223372036854775807";
    case Kind::kHex: return "64 lower-case hex characters";
    case Kind::kHexList: return "a list of 64-character lower-case hex hashes";
    case Kind::kComplaint: return "a complaint name complaints/ID (ID printable ASCII without /)";
    case Kind::kEventType: return "a known event type";
    case Kind::kFormat: return "\"redress-audit-trail/1\"";
    case Kind::kPersonal: return "\"redacted\" or \"included\"";
    case Kind::kActorKind: return "\"PRINCIPAL\" or \"SYSTEM\"";
    case Kind::kRedacted:
      return "redacted: \"hmac-sha256:\" and 64 lower-case hex characters, \"erased\" or empty";
  }
  return "?";
}

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsComplaintName(absl::string_view s) {
  if (!absl::ConsumePrefix(&s, "complaints/") || s.empty()) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e || c == '/') return false;
  }
  return true;
}

std::optional<v1::ComplaintEvent::Type> EventType(absl::string_view name) {
  v1::ComplaintEvent::Type t;
  if (!v1::ComplaintEvent::Type_Parse(absl::StrCat("TYPE_", name), &t) ||
      t == v1::ComplaintEvent::TYPE_UNSPECIFIED) {
    return std::nullopt;
  }
  return t;
}

bool Check(const JsonValue& v, Kind k) {
  using K = JsonValue::Kind;
  switch (k) {
    case Kind::kString: return v.kind == K::kString;
    case Kind::kBool: return v.kind == K::kBool;
    case Kind::kObject: return v.kind == K::kObject;
    case Kind::kCount: return v.AsInt(0, kInt64Max).has_value();
    case Kind::kSequence: return v.AsInt(1, kInt64Max).has_value();
    case Kind::kState: return v.AsInt(0, 7).has_value();
    case Kind::kTimeUs: return v.AsInt(kMinTimeUs, kMaxTimeUs).has_value();
    case Kind::kInt64: return v.AsInt(kInt64Min, kInt64Max).has_value();
    case Kind::kHex: return v.kind == K::kString && IsLowerHex64(v.text);
    case Kind::kHexList:
      if (v.kind != K::kArray) return false;
      for (const JsonValue& item : v.items) {
        if (item.kind != K::kString || !IsLowerHex64(item.text)) return false;
      }
      return true;
    case Kind::kComplaint: return v.kind == K::kString && IsComplaintName(v.text);
    case Kind::kEventType: return v.kind == K::kString && EventType(v.text).has_value();
    case Kind::kFormat: return v.kind == K::kString && v.text == kFormat;
    case Kind::kPersonal:
      return v.kind == K::kString && (v.text == "redacted" || v.text == "included");
    case Kind::kActorKind:
      return v.kind == K::kString && (v.text == "PRINCIPAL" || v.text == "SYSTEM");
    case Kind::kRedacted: {
      if (v.kind != K::kString) return false;
      absl::string_view t = v.text;
      if (t.empty() || t == "erased") return true;
      return absl::ConsumePrefix(&t, "hmac-sha256:") && IsLowerHex64(t);
    }
  }
  return false;
}

std::vector<Field> HeaderFields() {
  return {{"record", Kind::kString},    {"format", Kind::kFormat},
          {"export_time", Kind::kString}, {"filter", Kind::kObject},
          {"personal_data", Kind::kPersonal}, {"complete", Kind::kBool}};
}

// `actor_kind` is present exactly on events of encoding version 2.
std::vector<Field> EventFields(bool complete, bool v2) {
  std::vector<Field> f = {
      {"record", Kind::kString},    {"ledger_index", Kind::kCount}, {"complaint", Kind::kComplaint},
      {"sequence", Kind::kSequence}, {"type", Kind::kEventType},     {"from_state", Kind::kState},
      {"to_state", Kind::kState},    {"actor", Kind::kString},       {"request_id", Kind::kString},
      {"event_time_us", Kind::kTimeUs}, {"payload", Kind::kString},  {"prev_hash", Kind::kHex},
      {"hash", Kind::kHex},
  };
  if (v2) f.push_back({"actor_kind", Kind::kActorKind});
  if (!complete) f.push_back({"inclusion_proof", Kind::kHexList});
  return f;
}

std::vector<Field> ComplainantFields(bool redacted) {
  const Kind value = redacted ? Kind::kRedacted : Kind::kString;
  return {{"record", Kind::kString}, {"complaint", Kind::kComplaint}, {"display_name", value},
          {"email", value},          {"phone", value},                {"customer_id", value}};
}

std::vector<Field> CheckpointFields() {
  return {{"record", Kind::kString},    {"tree_size", Kind::kCount}, {"root_hash", Kind::kHex},
          {"seal_time_us", Kind::kInt64}, {"key_id", Kind::kString}, {"signature", Kind::kString}};
}

std::vector<Field> ConsistencyFields() {
  return {{"record", Kind::kString},
          {"first", Kind::kCount},
          {"second", Kind::kCount},
          {"proof", Kind::kHexList}};
}

std::vector<Field> FooterFields() {
  return {{"record", Kind::kString}, {"event_count", Kind::kCount}, {"line_count", Kind::kCount}};
}

// Missing fields (in spec order), then unexpected ones (sorted), then
// malformed ones (in spec order). True iff none.
bool ValidateFields(const JsonValue& obj, const std::vector<Field>& fields,
                    std::vector<std::string>* problems) {
  const size_t before = problems->size();
  for (const Field& f : fields) {
    if (obj.Find(f.name) == nullptr) problems->push_back(absl::StrCat("missing field \"", f.name, "\""));
  }
  std::vector<std::string> unexpected;
  for (const auto& [key, value] : obj.members) {
    bool known = false;
    for (const Field& f : fields) known = known || key == f.name;
    if (!known) unexpected.push_back(key);
  }
  std::sort(unexpected.begin(), unexpected.end());
  for (const std::string& key : unexpected) {
    problems->push_back(absl::StrCat("unexpected field ", JsonQuoteAscii(key)));
  }
  for (const Field& f : fields) {
    const JsonValue* v = obj.Find(f.name);
    if (v != nullptr && !Check(*v, f.kind)) {
      problems->push_back(absl::StrCat("field \"", f.name, "\" must be ", Describe(f.kind)));
    }
  }
  return problems->size() == before;
}

// True iff `obj` has the field `name` and it is well-formed as `kind`.
bool FieldOk(const JsonValue& obj, const char* name, Kind kind) {
  const JsonValue* v = obj.Find(name);
  return v != nullptr && Check(*v, kind);
}

int Rank(absl::string_view record) {
  if (record == "header") return 0;
  if (record == "event") return 1;
  if (record == "complainant") return 2;
  if (record == "checkpoint" || record == "consistency") return 3;
  if (record == "footer") return 4;
  return -1;
}

std::vector<std::string> HexList(const JsonValue& v) {
  std::vector<std::string> out;
  for (const JsonValue& item : v.items) out.push_back(absl::HexStringToBytes(item.text));
  return out;
}

std::string Plural(int64_t n, absl::string_view word) {
  return absl::StrCat(n, " ", word, n == 1 ? "" : "s");
}

// A line of the file, parsed as far as it goes.
struct ParsedLine {
  std::optional<JsonValue> obj;  // set when the line is a JSON object with a string "record"
  std::string record;            // known record type, else empty
  std::vector<std::string> problems;
};

ParsedLine ParseLine(const std::string& text) {
  ParsedLine p;
  if (!IsValidUtf8(text)) {
    p.problems.push_back("not valid UTF-8");
    return p;
  }
  std::optional<JsonValue> v = ParseJson(text);
  if (!v.has_value()) {
    p.problems.push_back("not valid JSON");
    return p;
  }
  if (v->kind != JsonValue::Kind::kObject) {
    p.problems.push_back("not a JSON object");
    return p;
  }
  const JsonValue* record = v->Find("record");
  if (record == nullptr || record->kind != JsonValue::Kind::kString) {
    p.problems.push_back("missing or non-string field \"record\"");
    return p;
  }
  if (Rank(record->text) < 0) {
    p.problems.push_back(absl::StrCat("unknown record type ", JsonQuoteAscii(record->text)));
    return p;
  }
  p.record = record->text;
  p.obj = std::move(v);
  return p;
}

std::string EventLabel(const JsonValue& obj) {
  const JsonValue* c = obj.Find("complaint");
  const JsonValue* s = obj.Find("sequence");
  if (c != nullptr && s != nullptr && Check(*c, Kind::kComplaint) && Check(*s, Kind::kSequence)) {
    return absl::StrCat(c->text, "/events/", s->text);
  }
  return "event";
}

std::string Label(const ParsedLine& p) {
  if (!p.obj.has_value()) return "unknown record";
  const JsonValue& o = *p.obj;
  if (p.record == "event") return EventLabel(o);
  if (p.record == "checkpoint") {
    const JsonValue* t = o.Find("tree_size");
    if (t != nullptr && Check(*t, Kind::kCount)) return absl::StrCat("checkpoint ", t->text);
    return "checkpoint";
  }
  if (p.record == "consistency") {
    const JsonValue* a = o.Find("first");
    const JsonValue* b = o.Find("second");
    if (a != nullptr && b != nullptr && Check(*a, Kind::kCount) && Check(*b, Kind::kCount)) {
      return absl::StrCat("consistency ", a->text, "->", b->text);
    }
    return "consistency";
  }
  if (p.record == "complainant") {
    const JsonValue* c = o.Find("complaint");
    if (c != nullptr && Check(*c, Kind::kComplaint)) return absl::StrCat("complainant ", c->text);
    return "complainant";
  }
  return p.record;  // header, footer
}

// The hashed fields of a well-formed event record (§2), as an event.
v1::ComplaintEvent EventOf(const JsonValue& o) {
  v1::ComplaintEvent e;
  e.set_name(absl::StrCat(o.Find("complaint")->text, "/events/", o.Find("sequence")->text));
  e.set_sequence(*o.Find("sequence")->AsInt(1, kInt64Max));
  e.set_type(*EventType(o.Find("type")->text));
  e.set_from_state(static_cast<v1::Complaint::State>(*o.Find("from_state")->AsInt(0, 7)));
  e.set_to_state(static_cast<v1::Complaint::State>(*o.Find("to_state")->AsInt(0, 7)));
  e.set_actor(o.Find("actor")->text);
  if (const JsonValue* kind = o.Find("actor_kind"); kind != nullptr && Check(*kind, Kind::kActorKind)) {
    e.set_actor_kind(kind->text == "SYSTEM" ? v1::ComplaintEvent::ACTOR_KIND_SYSTEM
                                            : v1::ComplaintEvent::ACTOR_KIND_PRINCIPAL);
  }
  e.set_request_id(o.Find("request_id")->text);
  *e.mutable_event_time() =
      domain::TimestampFromMicros(*o.Find("event_time_us")->AsInt(kMinTimeUs, kMaxTimeUs));
  e.set_payload(o.Find("payload")->text);
  e.set_prev_hash(o.Find("prev_hash")->text);
  return e;
}

// The event hash recomputed from a well-formed event record, through the
// server's reference encoding.
std::string RecomputeHash(const JsonValue& o) { return domain::ComputeEventHash(EventOf(o)); }

// Reads a file line by line ("\n"-terminated; a last line without "\n"
// counts, flagged).
class LineReader {
 public:
  explicit LineReader(const std::string& path) : in_(path, std::ios::binary) {}
  bool ok() const { return static_cast<bool>(in_); }
  bool Next(std::string* line, bool* terminated) {
    if (!std::getline(in_, *line)) return false;
    *terminated = !in_.eof();
    return true;
  }
  bool bad() const { return in_.bad(); }

 private:
  std::ifstream in_;
};

struct ComplaintState {
  int64_t sequence = 0;
  std::string hash;
  bool has_complainant = false;
  bool v2 = false;  // an event of encoding version 2 was seen
};

// ---------------------------------------------------------------------------

class Verifier {
 public:
  Verifier(absl::string_view raw_key, ExportVerification* result)
      : raw_key_(raw_key), key_id_(domain::KeyIdOf(raw_key)), r_(*result) {}

  absl::Status Run(const std::string& path, const std::vector<uint64_t>& prefix_sizes);

 private:
  void Problem(int64_t line, const std::string& label, const std::string& what) {
    problems_.emplace_back(line, absl::StrCat("line ", line, " (", label, "): ", what));
  }

  void Pass1Line(int64_t n, const std::string& text, bool terminated);
  void OnHeader(int64_t n, const JsonValue& o);
  void OnEvent(int64_t n, const std::string& label, const JsonValue& o);
  void CheckLedgerIndex(int64_t n, const std::string& label, const JsonValue& o);
  void CheckChain(int64_t n, const std::string& label, const JsonValue& o);
  void OnComplainant(int64_t n, const std::string& label, const JsonValue& o);
  void OnCheckpoint(int64_t n, const std::string& label, const JsonValue& o);
  void OnConsistency(int64_t n, const std::string& label, const JsonValue& o);
  void OnFooter(int64_t n, const std::string& label, const JsonValue& o);
  void Finish(int64_t total_lines);
  absl::Status Pass2(const std::string& path, const std::vector<uint64_t>& prefix_sizes);

  const std::string raw_key_;
  const std::string key_id_;
  ExportVerification& r_;
  std::vector<std::pair<int64_t, std::string>> problems_;

  // Pass 1 state.
  bool complete_ = true;
  std::optional<std::string> personal_data_;
  int last_rank_ = -1;              // section of the previous record
  bool after_footer_ = false;
  bool footer_seen_ = false;
  int64_t events_end_ = kInt64Max;  // the footer's line: events before it count
  std::optional<int64_t> last_index_;
  absl::flat_hash_map<std::string, size_t> complaint_index_;
  std::vector<std::pair<std::string, ComplaintState>> complaints_;  // first-appearance order
  std::optional<VerifiedCheckpoint> previous_checkpoint_;  // last well-formed one
  // The checkpoint that consistency records on the following lines refer to
  // as their `second` (only consistency records may come between).
  std::optional<VerifiedCheckpoint> anchor_;
};

void Verifier::Pass1Line(int64_t n, const std::string& text, bool terminated) {
  ParsedLine p = ParseLine(text);
  const std::string label = Label(p);
  if (!terminated) Problem(n, label, "line does not end with a newline");
  for (const std::string& what : p.problems) Problem(n, label, what);
  // Consistency records belong to the checkpoint right above them.
  if (p.record != "consistency") anchor_.reset();
  if (!p.obj.has_value()) return;
  const JsonValue& o = *p.obj;
  if (after_footer_) {
    Problem(n, label, "line after the footer");
    return;
  }
  const int rank = Rank(p.record);
  if (p.record == "header") {
    if (n != 1) {
      Problem(n, label, "header record not on the first line");
      return;
    }
    last_rank_ = 0;
    OnHeader(n, o);
    return;
  }
  if (n == 1) Problem(n, label, "the first line must be the header");
  // Out of order: reported, and still checked like any other record.
  if (rank < last_rank_) Problem(n, label, absl::StrCat(p.record, " record out of order"));
  last_rank_ = rank;
  if (p.record == "event") OnEvent(n, label, o);
  if (p.record == "complainant") OnComplainant(n, label, o);
  if (p.record == "checkpoint") OnCheckpoint(n, label, o);
  if (p.record == "consistency") OnConsistency(n, label, o);
  if (p.record == "footer") OnFooter(n, label, o);
}

void Verifier::OnHeader(int64_t n, const JsonValue& o) {
  std::vector<std::string> problems;
  ValidateFields(o, HeaderFields(), &problems);
  for (const std::string& what : problems) Problem(n, "header", what);
  const JsonValue* complete = o.Find("complete");
  if (complete != nullptr && complete->kind == JsonValue::Kind::kBool) {
    complete_ = complete->boolean;
  }
  const JsonValue* personal = o.Find("personal_data");
  if (personal != nullptr && Check(*personal, Kind::kPersonal)) personal_data_ = personal->text;
  r_.complete = complete_;
}

void Verifier::OnEvent(int64_t n, const std::string& label, const JsonValue& o) {
  ++r_.events;
  std::vector<std::string> problems;
  const bool v2 = o.Find("actor_kind") != nullptr;
  ValidateFields(o, EventFields(complete_, v2), &problems);
  for (const std::string& what : problems) Problem(n, label, what);
  // Each check runs when the fields it needs are well-formed.
  const bool chain_ok = FieldOk(o, "complaint", Kind::kComplaint) &&
                        FieldOk(o, "sequence", Kind::kSequence) &&
                        FieldOk(o, "prev_hash", Kind::kHex) && FieldOk(o, "hash", Kind::kHex);
  const bool hash_ok =
      chain_ok && FieldOk(o, "type", Kind::kEventType) && FieldOk(o, "from_state", Kind::kState) &&
      FieldOk(o, "to_state", Kind::kState) && FieldOk(o, "actor", Kind::kString) &&
      FieldOk(o, "request_id", Kind::kString) && FieldOk(o, "event_time_us", Kind::kTimeUs) &&
      FieldOk(o, "payload", Kind::kString) && (!v2 || FieldOk(o, "actor_kind", Kind::kActorKind));

  // Ledger order.
  if (FieldOk(o, "ledger_index", Kind::kCount)) CheckLedgerIndex(n, label, o);
  // The event's own hash.
  if (hash_ok && RecomputeHash(o) != o.Find("hash")->text) {
    Problem(n, label, "hash does not match its content");
  }
  if (chain_ok) CheckChain(n, label, o);
}

void Verifier::CheckLedgerIndex(int64_t n, const std::string& label, const JsonValue& o) {
  const int64_t index = *o.Find("ledger_index")->AsInt(0, kInt64Max);
  if (last_index_.has_value() && index <= *last_index_) {
    Problem(n, label,
            absl::StrCat("ledger_index ", index, " is not greater than the previous event's (",
                         *last_index_, ")"));
  } else {
    const uint64_t expected = last_index_.has_value() ? static_cast<uint64_t>(*last_index_) + 1 : 0;
    if (complete_ && static_cast<uint64_t>(index) != expected) {
      Problem(n, label,
              absl::StrCat("ledger_index ", index, " where ", expected, " was expected"));
    }
    last_index_ = index;
  }
}

// The complaint's chain.
void Verifier::CheckChain(int64_t n, const std::string& label, const JsonValue& o) {
  const std::string& hash = o.Find("hash")->text;
  const std::string& complaint = o.Find("complaint")->text;
  const int64_t sequence = *o.Find("sequence")->AsInt(1, kInt64Max);
  const std::string& prev_hash = o.Find("prev_hash")->text;
  auto [it, inserted] = complaint_index_.try_emplace(complaint, complaints_.size());
  if (inserted) {
    complaints_.emplace_back(complaint, ComplaintState{});
    if (sequence == 1) {
      if (prev_hash != kZeroHash) {
        Problem(n, label, "sequence 1 with a prev_hash that is not 64 zeros");
      }
    } else if (complete_) {
      Problem(n, label,
              absl::StrCat("first event of its complaint in a complete export has sequence ",
                           sequence, ", not 1"));
    }
  } else {
    const ComplaintState& st = complaints_[it->second].second;
    const uint64_t expected = static_cast<uint64_t>(st.sequence) + 1;  // no overflow
    if (static_cast<uint64_t>(sequence) != expected) {
      Problem(n, label,
              absl::StrCat("sequence ", sequence, " where ", expected, " was expected"));
    } else if (prev_hash != st.hash) {
      Problem(n, label,
              absl::StrCat("prev_hash does not match the hash of ", complaint, "/events/",
                           st.sequence));
    }
  }
  ComplaintState& st = complaints_[it->second].second;
  // Who acted: the kind must agree with the name, and no event of a
  // complaint may fall back to version 1 after one of version 2.
  if (FieldOk(o, "actor", Kind::kString)) {
    v1::ComplaintEvent e;
    e.set_name(absl::StrCat(complaint, "/events/", sequence));
    e.set_actor(o.Find("actor")->text);
    if (const JsonValue* kind = o.Find("actor_kind"); kind != nullptr && Check(*kind, Kind::kActorKind)) {
      e.set_actor_kind(kind->text == "SYSTEM" ? v1::ComplaintEvent::ACTOR_KIND_SYSTEM
                                              : v1::ComplaintEvent::ACTOR_KIND_PRINCIPAL);
    }
    if (absl::Status bad = domain::CheckActorKind(e, st.v2); !bad.ok()) {
      std::string what(bad.message());
      const size_t colon = what.find(": ");
      Problem(n, label, colon == std::string::npos ? what : what.substr(colon + 2));
    }
    st.v2 = st.v2 || e.actor_kind() != v1::ComplaintEvent::ACTOR_KIND_UNSPECIFIED;
  }
  st.sequence = sequence;
  st.hash = hash;
}

void Verifier::OnComplainant(int64_t n, const std::string& label, const JsonValue& o) {
  std::vector<std::string> problems;
  ValidateFields(o, ComplainantFields(personal_data_.value_or("included") == "redacted"),
                 &problems);
  for (const std::string& what : problems) Problem(n, label, what);
  if (!FieldOk(o, "complaint", Kind::kComplaint)) return;
  const std::string& complaint = o.Find("complaint")->text;
  auto it = complaint_index_.find(complaint);
  if (it == complaint_index_.end()) {
    Problem(n, label, absl::StrCat("no events of ", complaint, " in the export"));
    return;
  }
  ComplaintState& st = complaints_[it->second].second;
  if (st.has_complainant) {
    Problem(n, label, absl::StrCat("second complainant record for ", complaint));
  }
  st.has_complainant = true;
}

void Verifier::OnCheckpoint(int64_t n, const std::string& label, const JsonValue& o) {
  std::vector<std::string> problems;
  ValidateFields(o, CheckpointFields(), &problems);
  for (const std::string& what : problems) Problem(n, label, what);
  // A checkpoint counts when its size and root are well-formed.
  if (!FieldOk(o, "tree_size", Kind::kCount) || !FieldOk(o, "root_hash", Kind::kHex)) return;
  const bool signed_ok = FieldOk(o, "seal_time_us", Kind::kInt64) &&
                         FieldOk(o, "key_id", Kind::kString) &&
                         FieldOk(o, "signature", Kind::kString);
  domain::Checkpoint c;
  c.tree_size = static_cast<uint64_t>(*o.Find("tree_size")->AsInt(0, kInt64Max));
  c.root_hash_hex = o.Find("root_hash")->text;

  if (previous_checkpoint_.has_value() && c.tree_size <= previous_checkpoint_->tree_size) {
    Problem(n, label,
            absl::StrCat("tree_size ", c.tree_size,
                         " is not greater than the previous checkpoint's (",
                         previous_checkpoint_->tree_size, ")"));
  }
  if (signed_ok) {
    c.seal_time_us = *o.Find("seal_time_us")->AsInt(kInt64Min, kInt64Max);
    c.key_id = o.Find("key_id")->text;
    c.signature_b64 = o.Find("signature")->text;
    if (c.key_id != key_id_) {
      Problem(n, label,
              absl::StrCat("key_id ", JsonQuoteAscii(c.key_id),
                           " is not the id of the given public key (", key_id_, ")"));
    } else if (!domain::VerifyCheckpoint(c, raw_key_)) {
      Problem(n, label, "signature does not verify under the given public key");
    }
  }
  if (complete_ && c.tree_size > static_cast<uint64_t>(r_.events)) {
    Problem(n, label,
            absl::StrCat("tree_size ", c.tree_size, " exceeds the ", r_.events,
                         " events in the export"));
  }
  VerifiedCheckpoint v{n, c.tree_size, absl::HexStringToBytes(c.root_hash_hex)};
  r_.checkpoints.push_back(v);
  previous_checkpoint_ = v;
  anchor_ = v;
}

void Verifier::OnConsistency(int64_t n, const std::string& label, const JsonValue& o) {
  std::vector<std::string> problems;
  ValidateFields(o, ConsistencyFields(), &problems);
  for (const std::string& what : problems) Problem(n, label, what);
  const bool valid = FieldOk(o, "first", Kind::kCount) && FieldOk(o, "second", Kind::kCount) &&
                     FieldOk(o, "proof", Kind::kHexList);
  if (!valid) return;
  if (!anchor_.has_value()) {
    Problem(n, label, "consistency record does not follow a checkpoint");
    return;
  }
  const uint64_t first = static_cast<uint64_t>(*o.Find("first")->AsInt(0, kInt64Max));
  const uint64_t second = static_cast<uint64_t>(*o.Find("second")->AsInt(0, kInt64Max));
  if (second != anchor_->tree_size) {
    Problem(n, label,
            absl::StrCat("second tree_size ", second, " is not that of the checkpoint above (",
                         anchor_->tree_size, ")"));
    return;
  }
  // The most recent earlier checkpoint of size `first` (the anchor is the
  // last checkpoint read).
  const VerifiedCheckpoint* from = nullptr;
  for (size_t i = r_.checkpoints.size() - 1; i-- > 0;) {
    if (r_.checkpoints[i].tree_size == first) {
      from = &r_.checkpoints[i];
      break;
    }
  }
  if (from == nullptr) {
    Problem(n, label,
            absl::StrCat("first tree_size ", first, " is not an earlier checkpoint of the export"));
    return;
  }
  if (!domain::VerifyMerkleConsistency(first, second, from->root_raw, anchor_->root_raw,
                                       HexList(*o.Find("proof")))) {
    Problem(n, label,
            absl::StrCat("consistency proof from ", first, " to ", second, " does not verify"));
    return;
  }
  r_.consistency_links.emplace_back(first, second);
}

void Verifier::OnFooter(int64_t n, const std::string& label, const JsonValue& o) {
  after_footer_ = true;
  events_end_ = n;
  footer_seen_ = true;
  std::vector<std::string> problems;
  ValidateFields(o, FooterFields(), &problems);
  for (const std::string& what : problems) Problem(n, label, what);
  if (FieldOk(o, "event_count", Kind::kCount)) {
    const int64_t event_count = *o.Find("event_count")->AsInt(0, kInt64Max);
    if (event_count != r_.events) {
      Problem(n, label,
              absl::StrCat("event_count ", event_count, " but the export has ", r_.events,
                           " events"));
    }
  }
  if (FieldOk(o, "line_count", Kind::kCount)) {
    const int64_t line_count = *o.Find("line_count")->AsInt(0, kInt64Max);
    if (line_count != n) {
      Problem(n, label, absl::StrCat("line_count ", line_count, " but the footer is line ", n));
    }
  }
}

void Verifier::Finish(int64_t total_lines) {
  const int64_t eof = total_lines + 1;
  if (total_lines == 0) {
    Problem(eof, "end of file", "the file is empty");
    return;
  }
  if (!footer_seen_) Problem(eof, "end of file", "missing footer");
  if (r_.checkpoints.empty()) {
    if (r_.events > 0) {
      Problem(eof, "end of file",
              complete_ ? absl::StrCat("no checkpoint covers the ", r_.events, " events")
                        : std::string("no checkpoint to verify the inclusion proofs against"));
    }
  } else if (complete_) {
    const VerifiedCheckpoint& last = r_.checkpoints.back();
    if (last.tree_size < static_cast<uint64_t>(r_.events)) {
      Problem(last.line, absl::StrCat("checkpoint ", last.tree_size),
              absl::StrCat("the last checkpoint covers ", last.tree_size, " of the ", r_.events,
                           " events"));
    }
  }
  for (const auto& [name, st] : complaints_) {
    if (!st.has_complainant) {
      Problem(eof, "end of file", absl::StrCat("no complainant record for ", name));
    }
  }
  r_.complaints = static_cast<int64_t>(complaints_.size());
}

absl::Status Verifier::Pass2(const std::string& path, const std::vector<uint64_t>& prefix_sizes) {
  // Which checks need the events again.
  std::map<uint64_t, std::vector<const VerifiedCheckpoint*>> at_size;
  std::set<uint64_t> prefixes;
  const VerifiedCheckpoint* last = r_.checkpoints.empty() ? nullptr : &r_.checkpoints.back();
  if (complete_) {
    for (const VerifiedCheckpoint& c : r_.checkpoints) {
      if (c.tree_size <= static_cast<uint64_t>(r_.events)) at_size[c.tree_size].push_back(&c);
    }
    for (uint64_t s : prefix_sizes) {
      if (s <= static_cast<uint64_t>(r_.events)) prefixes.insert(s);
    }
  }
  domain::MerkleAccumulator acc;
  auto check_size = [&]() {
    if (auto it = at_size.find(acc.size()); it != at_size.end()) {
      const std::string root = acc.Root();
      for (const VerifiedCheckpoint* c : it->second) {
        if (c->root_raw != root) {
          Problem(c->line, absl::StrCat("checkpoint ", c->tree_size),
                  absl::StrCat("root_hash does not match the Merkle root of the first ",
                               c->tree_size, " events"));
        }
      }
    }
    if (prefixes.contains(acc.size())) r_.prefix_roots[acc.size()] = acc.Root();
  };
  check_size();  // size 0
  const bool need_events =
      r_.events > 0 && (complete_ ? (!at_size.empty() || !prefixes.empty()) : last != nullptr);
  if (!need_events) return absl::OkStatus();

  LineReader reader(path);
  if (!reader.ok()) return absl::UnavailableError(absl::StrCat("cannot reopen ", path));
  std::string text;
  bool terminated;
  const std::string placeholder(32, '\0');
  for (int64_t n = 1; n < events_end_ && reader.Next(&text, &terminated); ++n) {
    ParsedLine p = ParseLine(text);
    if (p.record != "event") continue;
    const JsonValue& o = *p.obj;
    if (complete_) {
      const JsonValue* h = o.Find("hash");
      std::string leaf;
      if (h != nullptr && Check(*h, Kind::kHex)) leaf = domain::MerkleLeafHashFromEventHashHex(h->text);
      acc.Append(leaf.empty() ? placeholder : leaf);
      check_size();
      continue;
    }
    if (!FieldOk(o, "ledger_index", Kind::kCount) || !FieldOk(o, "hash", Kind::kHex) ||
        !FieldOk(o, "inclusion_proof", Kind::kHexList)) {
      continue;
    }
    const std::string label = EventLabel(o);
    const int64_t index = *o.Find("ledger_index")->AsInt(0, kInt64Max);
    if (static_cast<uint64_t>(index) >= last->tree_size) {
      Problem(n, label,
              absl::StrCat("ledger_index ", index, " is not covered by the last checkpoint (tree_size ",
                           last->tree_size, ")"));
      continue;
    }
    const std::string leaf = domain::MerkleLeafHashFromEventHashHex(o.Find("hash")->text);
    if (!domain::VerifyMerkleInclusion(leaf, static_cast<uint64_t>(index), last->tree_size,
                                       HexList(*o.Find("inclusion_proof")), last->root_raw)) {
      Problem(n, label,
              absl::StrCat("inclusion proof does not verify against the last checkpoint "
                           "(tree_size ",
                           last->tree_size, ")"));
    }
  }
  if (reader.bad()) return absl::UnavailableError(absl::StrCat("error re-reading ", path));
  return absl::OkStatus();
}

absl::Status Verifier::Run(const std::string& path, const std::vector<uint64_t>& prefix_sizes) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": not a regular file"));
  }
  LineReader reader(path);
  if (!reader.ok()) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  std::string text;
  bool terminated;
  int64_t n = 0;
  while (reader.Next(&text, &terminated)) Pass1Line(++n, text, terminated);
  if (reader.bad()) return absl::UnavailableError(absl::StrCat("error reading ", path));
  Finish(n);
  if (absl::Status s = Pass2(path, prefix_sizes); !s.ok()) return s;
  std::stable_sort(problems_.begin(), problems_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [line, text] : problems_) r_.problems.push_back(std::move(text));
  return absl::OkStatus();
}

}  // namespace

std::string ExportVerification::Summary() const {
  const std::string counts = absl::StrCat(Plural(events, "event"), ", ",
                                          Plural(complaints, "complaint"), ", ",
                                          Plural(static_cast<int64_t>(checkpoints.size()), "checkpoint"));
  if (ok()) return absl::StrCat("verified: ", counts, ": OK");
  return absl::StrCat("FAILED: ", Plural(static_cast<int64_t>(problems.size()), "problem"), " (",
                      counts, ")");
}

absl::StatusOr<ExportVerification> VerifyExportFile(const std::string& path,
                                                    absl::string_view raw_public_key,
                                                    const std::vector<uint64_t>& prefix_sizes) {
  ExportVerification result;
  Verifier verifier(raw_public_key, &result);
  if (absl::Status s = verifier.Run(path, prefix_sizes); !s.ok()) return s;
  return result;
}

absl::StatusOr<std::string> LoadPublicKeyArgument(const std::string& arg) {
  absl::StatusOr<std::string> raw = domain::ParsePublicKey(arg);
  if (raw.ok()) return raw;
  std::ifstream in(arg, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--public-key: \"", arg,
        "\" is neither a key (ed25519:<base64>) nor a readable file holding one"));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  raw = domain::ParsePublicKey(buf.str());
  if (!raw.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--public-key: the file ", arg, " does not hold an ed25519:<base64> key"));
  }
  return raw;
}

int RunAuditVerify(const std::string& path, absl::string_view raw_public_key, std::ostream& out,
                   std::ostream& err) {
  absl::StatusOr<ExportVerification> v = VerifyExportFile(path, raw_public_key);
  if (!v.ok()) {
    err << "error: " << v.status().message() << "\n";
    return 2;
  }
  for (const std::string& p : v->problems) out << p << "\n";
  out << v->Summary() << "\n";
  return v->ok() ? 0 : 1;
}

int RunAuditVerifyConsistency(const std::string& old_path, const std::string& new_path,
                              absl::string_view raw_public_key, std::ostream& out,
                              std::ostream& err) {
  absl::StatusOr<ExportVerification> old_v = VerifyExportFile(old_path, raw_public_key);
  if (!old_v.ok()) {
    err << "error: " << old_v.status().message() << "\n";
    return 2;
  }
  std::vector<uint64_t> prefix;
  if (!old_v->checkpoints.empty()) prefix.push_back(old_v->checkpoints.back().tree_size);
  absl::StatusOr<ExportVerification> new_v = VerifyExportFile(new_path, raw_public_key, prefix);
  if (!new_v.ok()) {
    err << "error: " << new_v.status().message() << "\n";
    return 2;
  }
  size_t problems = 0;
  auto report = [&](const std::string& path, const ExportVerification& v) {
    for (const std::string& p : v.problems) out << path << ": " << p << "\n";
    out << path << ": " << v.Summary() << "\n";
    problems += v.problems.size();
  };
  report(old_path, *old_v);
  report(new_path, *new_v);

  std::vector<std::string> link;
  uint64_t old_size = 0, new_size = 0;
  if (old_v->checkpoints.empty()) {
    link.push_back("OLD has no checkpoint");
  } else if (new_v->checkpoints.empty()) {
    link.push_back("NEW has no checkpoint");
  } else {
    const VerifiedCheckpoint& oc = old_v->checkpoints.back();
    old_size = oc.tree_size;
    new_size = new_v->checkpoints.back().tree_size;
    const VerifiedCheckpoint* same = nullptr;
    for (const VerifiedCheckpoint& c : new_v->checkpoints) {
      if (c.tree_size == oc.tree_size) {
        same = &c;
        break;
      }
    }
    if (oc.tree_size > new_size) {
      link.push_back(absl::StrCat("OLD's last checkpoint (tree_size ", oc.tree_size,
                                  ") is beyond NEW's last checkpoint (tree_size ", new_size,
                                  ")"));
    } else if (same != nullptr) {
      const bool proven =
          new_v->complete || same->tree_size == new_size ||
          std::find(new_v->consistency_links.begin(), new_v->consistency_links.end(),
                    std::make_pair(same->tree_size, new_size)) != new_v->consistency_links.end();
      if (same->root_raw != oc.root_raw) {
        link.push_back(absl::StrCat("NEW's checkpoint at tree_size ", oc.tree_size,
                                    " has another root_hash than OLD's last checkpoint: the "
                                    "ledger was rewritten"));
      } else if (!proven) {
        link.push_back(absl::StrCat("NEW is not complete and has no consistency proof from "
                                    "tree_size ",
                                    oc.tree_size, " to its last checkpoint (tree_size ",
                                    new_size, "): cannot link them"));
      }
    } else if (new_v->complete) {
      auto it = new_v->prefix_roots.find(oc.tree_size);
      if (it == new_v->prefix_roots.end()) {
        link.push_back(absl::StrCat("NEW has fewer than ", oc.tree_size, " events"));
      } else if (it->second != oc.root_raw) {
        link.push_back(absl::StrCat("the first ", oc.tree_size,
                                    " events of NEW do not have the root_hash of OLD's last "
                                    "checkpoint: the ledger was rewritten"));
      }
    } else {
      link.push_back(absl::StrCat("NEW has no checkpoint at tree_size ", oc.tree_size,
                                  " and is not complete: cannot link them"));
    }
  }
  for (const std::string& l : link) out << "link: " << l << "\n";
  problems += link.size();
  if (problems == 0) {
    out << "consistent: NEW (tree_size " << new_size << ") extends OLD (tree_size " << old_size
        << "): OK\n";
    return 0;
  }
  out << "FAILED: " << Plural(static_cast<int64_t>(problems), "problem") << "\n";
  return 1;
}

}  // namespace redress::cli
