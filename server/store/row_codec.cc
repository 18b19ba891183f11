#include "server/store/row_codec.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/domain/ids.h"
#include "server/domain/time_util.h"

namespace redress::store {

std::string EncodeProto(const google::protobuf::Message& m) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream sos(&bytes);
    google::protobuf::io::CodedOutputStream cos(&sos);
    cos.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&cos);
  }
  return absl::Base64Escape(bytes);
}

std::string EncodeComplaintBody(const redress::v1::Complaint& complaint) {
  redress::v1::Complaint body = complaint;
  body.clear_complainant();
  body.clear_etag();
  return EncodeProto(body);
}

absl::Status DecodeProto(const std::string& text, google::protobuf::Message* m) {
  std::string bytes;
  if (!absl::Base64Unescape(text, &bytes) || !m->ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("stored ", m->GetTypeName(), " cannot be decoded"));
  }
  return absl::OkStatus();
}

absl::Status DecodeComplaintRow(const std::string& body, const std::string& complainant_data,
                                StoredComplaint* c) {
  if (auto st = DecodeProto(body, &c->complaint); !st.ok()) return st;
  if (!complainant_data.empty()) {
    if (auto st = DecodeProto(complainant_data, c->complaint.mutable_complainant()); !st.ok()) {
      return st;
    }
  }
  c->complaint.set_etag(EtagFor(c->last_event_hash));
  return absl::OkStatus();
}

std::string EtagFor(const std::string& last_event_hash) {
  return last_event_hash.substr(0, 20);
}

redress::v1::ComplaintEvent::Type EventTypeFromText(const std::string& text) {
  redress::v1::ComplaintEvent::Type t = redress::v1::ComplaintEvent::TYPE_UNSPECIFIED;
  redress::v1::ComplaintEvent::Type_Parse(absl::StrCat("TYPE_", text), &t);
  return t;
}


redress::v1::ComplaintEvent EventRow::ToProto() const {
  redress::v1::ComplaintEvent e;
  e.set_name(absl::StrCat(domain::ComplaintName(complaint_id), "/events/", sequence));
  e.set_sequence(sequence);
  e.set_position(position);
  e.set_type(EventTypeFromText(type));
  e.set_from_state(static_cast<redress::v1::Complaint::State>(from));
  e.set_to_state(static_cast<redress::v1::Complaint::State>(to));
  e.set_actor(actor);
  e.set_actor_kind(static_cast<redress::v1::ComplaintEvent::ActorKind>(actor_kind));
  e.set_request_id(request_id);
  *e.mutable_event_time() = domain::TimestampFromMicros(time_us);
  e.set_payload(payload);
  e.set_prev_hash(prev_hash);
  e.set_hash(hash);
  return e;
}

}  // namespace redress::store
