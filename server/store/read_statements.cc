#include "server/store/read_statements.h"

#include <utility>

#include "server/store/sql.h"

namespace redress::store {

struct ReadStatements::Prepared {
  std::unique_ptr<soci::statement> get, events;
  std::string id;
  ComplaintRow row;
  long long after = 0;
  int fetch = 0;
  EventRow event;
};

ReadStatements::ReadStatements(soci::session& session)
    : s_(session), p_(std::make_unique<Prepared>()) {}

ReadStatements::~ReadStatements() = default;

bool ReadStatements::GetComplaint(const std::string& id, ComplaintRow* out) {
  Prepared& q = *p_;
  if (!q.get) {
    q.get = std::make_unique<soci::statement>(
        (s_.prepare << sql::kGetComplaint, soci::use(q.id, "id"), soci::into(q.row.seq),
         soci::into(q.row.body), soci::into(q.row.version), soci::into(q.row.last_event_hash),
         soci::into(q.row.complainant_data)));
  }
  q.id = id;
  try {
    if (!q.get->execute(true)) return false;
    *out = std::move(q.row);
    while (q.get->fetch()) {
    }
  } catch (...) {
    q.get.reset();  // never re-run a statement that threw (see WriteStatements::Execute)
    throw;
  }
  return true;
}

EventPage ReadStatements::ListEvents(const std::string& id, long long after, int limit) {
  Prepared& q = *p_;
  if (!q.events) {
    EventRow& r = q.event;
    q.events = std::make_unique<soci::statement>(
        (s_.prepare << sql::kListEvents, soci::use(q.id, "id"), soci::use(q.after, "after"),
         soci::use(q.fetch, "limit"), soci::into(r.position), soci::into(r.sequence),
         soci::into(r.type), soci::into(r.from), soci::into(r.to), soci::into(r.actor),
         soci::into(r.request_id), soci::into(r.time_us), soci::into(r.payload),
         soci::into(r.prev_hash), soci::into(r.hash), soci::into(r.actor_kind)));
  }
  q.id = id;
  q.after = after;
  q.fetch = limit + 1;  // one more tells whether another page follows
  q.event.complaint_id = id;
  EventPage page;
  try {
    q.events->execute(false);
    while (q.events->fetch()) {  // to the end: at most limit + 1 rows
      if (static_cast<int>(page.events.size()) == limit) {
        page.more = true;
      } else {
        page.events.push_back(q.event.ToProto());
      }
    }
  } catch (...) {
    q.events.reset();  // never re-run a statement that threw
    throw;
  }
  return page;
}

}  // namespace redress::store
