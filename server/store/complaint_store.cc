#include "server/store/complaint_store.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/domain/ids.h"
#include "server/store/db_session.h"
#include "server/store/migrations.h"
#include "server/domain/time_util.h"
#include "server/store/row_codec.h"
#include "server/store/sql.h"

namespace redress::store {
namespace {

absl::Status FillComplaint(StoredComplaint* c, const std::string& body,
                           const std::string& complainant_data) {
  if (auto st = DecodeProto(body, &c->complaint); !st.ok()) return st;
  if (!complainant_data.empty()) {
    if (auto st = DecodeProto(complainant_data, c->complaint.mutable_complainant()); !st.ok()) {
      return st;
    }
  }
  c->complaint.set_etag(EtagFor(c->last_event_hash));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ComplaintStore>> ComplaintStore::Open(const Options& options,
                                                                     absl::Time now) {
  auto writer = OpenSession(options.url);
  if (!writer.ok()) return writer.status();
  auto version = MigrateToLatest(**writer, options.url.dialect, now);
  if (!version.ok()) return version.status();
  auto committer =
      std::make_unique<GroupCommitter>(std::move(*writer), options.url, options.commit);
  return std::unique_ptr<ComplaintStore>(
      new ComplaintStore(options.url, *version, std::move(committer), options.readers));
}

ComplaintStore::ComplaintStore(DatabaseUrl url, int schema_version,
                               std::unique_ptr<GroupCommitter> committer, size_t readers)
    : url_(url),
      schema_version_(schema_version),
      committer_(std::move(committer)),
      readers_(std::move(url), readers) {}

ComplaintStore::~ComplaintStore() { Shutdown(); }

void ComplaintStore::Shutdown() { committer_->Stop(); }

void ComplaintStore::Write(std::string lock_key, GroupCommitter::WriteFn fn,
                           GroupCommitter::DoneFn done, bool replay_safe) {
  committer_->Submit(std::move(lock_key), std::move(fn), std::move(done), replay_safe);
}

absl::StatusOr<std::optional<StoredComplaint>> ComplaintStore::GetComplaint(const std::string& id) {
  std::optional<StoredComplaint> out;
  absl::Status st = readers_.Run("reading complaint", [&](soci::session& s) -> absl::Status {
    StoredComplaint c;
    long long seq = 0, version = 0;
    std::string body, data;
    s << sql::kGetComplaint, soci::use(id), soci::into(seq), soci::into(body), soci::into(version),
        soci::into(c.last_event_hash), soci::into(data);
    if (!s.got_data()) return absl::OkStatus();
    c.id = id;
    c.version = version;
    if (auto st = FillComplaint(&c, body, data); !st.ok()) return st;
    out = std::move(c);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<ComplaintPage> ComplaintStore::ListComplaints(const domain::ListFilter& filter,
                                                             int64_t after_seq, int limit) {
  using Field = domain::FilterCondition::Field;
  // Values bound by position after :after; kept alive for the statement.
  std::vector<long long> numbers;
  std::vector<std::string> texts;
  std::string where;
  numbers.reserve(filter.conditions.size());
  texts.reserve(filter.conditions.size());
  for (size_t i = 0; i < filter.conditions.size(); ++i) {
    const auto& c = filter.conditions[i];
    const char* column = nullptr;
    switch (c.field) {
      case Field::kState: column = "c.state"; break;
      case Field::kChannel: column = "c.channel"; break;
      case Field::kCategory: column = "c.category"; break;
      case Field::kAssignee: column = "c.assignee"; break;
      case Field::kCreateTime: column = "c.create_time_us"; break;
    }
    absl::StrAppend(&where, " AND ", column, " ", domain::SqlOperator(c.op), " :f", i);
  }
  ComplaintPage page;
  absl::Status st = readers_.Run("listing complaints", [&](soci::session& s) -> absl::Status {
    long long after = after_seq;
    int fetch = limit + 1;  // one extra tells whether another page follows
    long long seq = 0, version = 0;
    std::string id, body, hash, data;
    const std::string query =
        absl::StrCat(sql::kListComplaintsPrefix, where, sql::kListComplaintsSuffix);
    soci::statement stmt(s);
    stmt.alloc();
    stmt.prepare(query);
    stmt.exchange(soci::use(after));
    for (const auto& c : filter.conditions) {
      if (c.field == Field::kCategory || c.field == Field::kAssignee) {
        texts.push_back(c.text);
        stmt.exchange(soci::use(texts.back()));
      } else {
        numbers.push_back(c.number);
        stmt.exchange(soci::use(numbers.back()));
      }
    }
    stmt.exchange(soci::use(fetch));
    stmt.exchange(soci::into(seq));
    stmt.exchange(soci::into(id));
    stmt.exchange(soci::into(body));
    stmt.exchange(soci::into(version));
    stmt.exchange(soci::into(hash));
    stmt.exchange(soci::into(data));
    stmt.define_and_bind();
    stmt.execute(false);
    while (stmt.fetch()) {
      if (static_cast<int>(page.complaints.size()) == limit) {
        page.more = true;
        break;
      }
      StoredComplaint c;
      c.id = id;
      c.version = version;
      c.last_event_hash = hash;
      if (auto fst = FillComplaint(&c, body, data); !fst.ok()) return fst;
      page.last_seq = seq;
      page.complaints.push_back(std::move(c));
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return page;
}

absl::StatusOr<EventPage> ComplaintStore::ListEvents(const std::string& id, int64_t after_sequence,
                                                     int limit) {
  EventPage page;
  absl::Status st = readers_.Run("listing events", [&](soci::session& s) -> absl::Status {
    long long after = after_sequence, position = 0, sequence = 0, time_us = 0;
    int fetch = limit + 1, from = 0, to = 0;
    std::string type, actor, request_id, payload, prev_hash, hash;
    soci::statement stmt =
        (s.prepare << sql::kListEvents, soci::use(id, "id"), soci::use(after, "after"),
         soci::use(fetch, "limit"), soci::into(position), soci::into(sequence), soci::into(type),
         soci::into(from), soci::into(to), soci::into(actor), soci::into(request_id),
         soci::into(time_us), soci::into(payload), soci::into(prev_hash), soci::into(hash));
    stmt.execute(false);
    while (stmt.fetch()) {
      if (static_cast<int>(page.events.size()) == limit) {
        page.more = true;
        break;
      }
      redress::v1::ComplaintEvent e;
      e.set_name(absl::StrCat(domain::ComplaintName(id), "/events/", sequence));
      e.set_sequence(sequence);
      e.set_position(position);
      e.set_type(EventTypeFromText(type));
      e.set_from_state(static_cast<redress::v1::Complaint::State>(from));
      e.set_to_state(static_cast<redress::v1::Complaint::State>(to));
      e.set_actor(actor);
      e.set_request_id(request_id);
      *e.mutable_event_time() = domain::TimestampFromMicros(time_us);
      e.set_payload(payload);
      e.set_prev_hash(prev_hash);
      e.set_hash(hash);
      page.events.push_back(std::move(e));
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return page;
}

absl::StatusOr<std::map<std::string, int64_t>> ComplaintStore::CountRows() {
  std::map<std::string, int64_t> out;
  absl::Status st = readers_.Run("counting rows", [&](soci::session& s) -> absl::Status {
    for (const char* table : {"complaints", "complainants", "complaint_events",
                              "idempotency_records", "reference_counters", "schema_migrations"}) {
      long long n = 0;
      s << absl::StrCat("SELECT COUNT(*) FROM ", table), soci::into(n);
      out[table] = n;
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace redress::store
