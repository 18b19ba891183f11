// Conversions between stored column values and protobuf messages.
#ifndef REDRESS_SERVER_STORE_ROW_CODEC_H_
#define REDRESS_SERVER_STORE_ROW_CODEC_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "redress/v1/complaint.pb.h"
#include "server/store/records.h"

namespace redress::store {

// base64 of the deterministic binary encoding.
std::string EncodeProto(const google::protobuf::Message& m);
// DATA_LOSS when `text` is not a valid encoding of `m`'s type.
absl::Status DecodeProto(const std::string& text, google::protobuf::Message* m);

// The `body` column of a complaint: EncodeProto of the complaint without its
// complainant (stored in the complainants table) and etag (derived).
std::string EncodeComplaintBody(const redress::v1::Complaint& complaint);

// Fills `c->complaint` from a complaints row's `body` and the complainant
// row's `data` ('' when absent or erased), and sets its etag from
// `c->last_event_hash` (which the caller has read). DATA_LOSS if undecodable.
absl::Status DecodeComplaintRow(const std::string& body, const std::string& complainant_data,
                                StoredComplaint* c);

// The etag of a complaint whose newest event has hash `last_event_hash`.
std::string EtagFor(const std::string& last_event_hash);

// Column targets of one event row, and its conversion to the API message.
struct EventRow {
  long long ledger_index = 0, position = 0, sequence = 0, time_us = 0;
  int from = 0, to = 0, actor_kind = 0;
  std::string complaint_id, type, actor, request_id, payload, prev_hash, hash;

  redress::v1::ComplaintEvent ToProto() const;
};

// Event type <-> stored text ("ACKNOWLEDGED").
redress::v1::ComplaintEvent::Type EventTypeFromText(const std::string& text);


}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_ROW_CODEC_H_
