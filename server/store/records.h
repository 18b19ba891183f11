// Plain records exchanged between the store and its callers. No SOCI types.
#ifndef REDRESS_SERVER_STORE_RECORDS_H_
#define REDRESS_SERVER_STORE_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "redress/v1/complaint.pb.h"

namespace redress::store {

// A complaint row plus the bookkeeping the write path needs.
struct StoredComplaint {
  // The resource. `complainant` is filled on reads (empty once erased) and
  // taken from ComplainantRecord on insert; `etag` is derived from
  // last_event_hash and never stored.
  redress::v1::Complaint complaint;
  std::string id;               // the {complaint_id} of the name
  int64_t version = 0;          // number of events; guards updates
  std::string last_event_hash;  // hex hash of the newest event
};

// The complainant's personal data, kept apart from the trail so it can be
// erased without touching events.
struct ComplainantRecord {
  std::string salt;    // hex; input of the digest carried by events
  std::string digest;  // ComplainantDigest(data, salt)
  redress::v1::Complainant data;
};

// The first successful answer to a request_id (AIP-155).
struct IdempotencyRecord {
  std::string request_id;
  std::string method;       // RPC name
  std::string fingerprint;  // hex SHA-256 of the request as received
  std::string complaint_id;
  redress::v1::Complaint response;  // without complainant personal data
  int64_t create_time_us = 0;
  std::string principal;  // the actor that made the request; '' = unknown (matches nobody)
};

struct ComplaintPage {
  std::vector<StoredComplaint> complaints;
  int64_t last_seq = 0;  // store order key of the last item
  bool more = false;     // whether another page follows
};

// Filter of a ledger scan; empty members do not filter.
struct LedgerFilter {
  std::vector<std::string> complaint_ids;
  int64_t start_time_us = 0;  // 0: unbounded
  int64_t end_time_us = 0;    // 0: unbounded (exclusive)
  int state = 0;              // current Complaint.State, 0: any
  std::string category;
  bool empty() const {
    return complaint_ids.empty() && start_time_us == 0 && end_time_us == 0 && state == 0 &&
           category.empty();
  }
};

// A complainant row as exports see it.
struct ComplainantExport {
  redress::v1::Complainant data;  // empty once erased
  bool erased = false;
};

struct EventPage {
  std::vector<redress::v1::ComplaintEvent> events;
  bool more = false;
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_RECORDS_H_
