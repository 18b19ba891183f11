// The hot read statements (GetComplaint, ListComplaintEvents) of one reader
// session, prepared on first use and re-executed after that (re-preparing
// them on every call was ~14 % of redressd's CPU in the reads benchmark).
//
// Same rules as WriteStatements: buffers bound at prepare time and owned
// here; every query is run to its end so that no statement holds a read
// snapshot after it returns (on SQLite that would keep WAL checkpoints from
// completing); destroy before the session is closed or reconnected.
//
// Thread-safety: none; ReaderPool hands a session and its statements to one
// caller at a time. Errors: throws what SOCI throws.
#ifndef REDRESS_SERVER_STORE_READ_STATEMENTS_H_
#define REDRESS_SERVER_STORE_READ_STATEMENTS_H_

#include <soci/soci.h>

#include <memory>
#include <optional>
#include <string>

#include "server/store/records.h"
#include "server/store/row_codec.h"

namespace redress::store {

class ReadStatements {
 public:
  explicit ReadStatements(soci::session& session);
  ~ReadStatements();
  ReadStatements(const ReadStatements&) = delete;
  ReadStatements& operator=(const ReadStatements&) = delete;

  // The complaints row of `id` with its complainant data, undecoded; false
  // if there is none.
  struct ComplaintRow {
    long long seq = 0, version = 0;
    std::string body, last_event_hash, complainant_data;
  };
  bool GetComplaint(const std::string& id, ComplaintRow* out);

  // Up to `limit` events of `id` with sequence > `after`, in order, and
  // whether more follow.
  EventPage ListEvents(const std::string& id, long long after, int limit);

 private:
  struct Prepared;
  soci::session& s_;
  std::unique_ptr<Prepared> p_;
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_READ_STATEMENTS_H_
