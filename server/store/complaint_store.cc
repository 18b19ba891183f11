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

constexpr int kScanChunk = 5000;

domain::Checkpoint CheckpointFrom(long long n, std::string root, long long t, std::string key,
                                  std::string sig) {
  domain::Checkpoint c;
  c.tree_size = static_cast<uint64_t>(n);
  c.root_hash_hex = std::move(root);
  c.seal_time_us = t;
  c.key_id = std::move(key);
  c.signature_b64 = std::move(sig);
  return c;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ComplaintStore>> ComplaintStore::Open(const Options& options,
                                                                     absl::Time now) {
  auto writer = OpenSession(options.url);
  if (!writer.ok()) return writer.status();
  auto version = MigrateToLatest(**writer, options.url.dialect, now);
  if (!version.ok()) return version.status();
  const bool own_checkpoints = options.url.dialect == Dialect::kSqlite &&
                               options.wal_checkpoint_interval > absl::ZeroDuration();
  auto committer =
      std::make_unique<GroupCommitter>(std::move(*writer), options.url, options.commit);
  std::unique_ptr<WalCheckpointer> checkpointer;
  if (own_checkpoints) {
    auto started =
        WalCheckpointer::Start(options.url, committer.get(), options.wal_checkpoint_interval);
    if (!started.ok()) return started.status();
    checkpointer = std::move(*started);
  }
  return std::unique_ptr<ComplaintStore>(new ComplaintStore(
      options.url, *version, std::move(committer), std::move(checkpointer), options.readers));
}

ComplaintStore::ComplaintStore(DatabaseUrl url, int schema_version,
                               std::unique_ptr<GroupCommitter> committer,
                               std::unique_ptr<WalCheckpointer> checkpointer, size_t readers)
    : url_(url),
      schema_version_(schema_version),
      committer_(std::move(committer)),
      checkpointer_(std::move(checkpointer)),
      readers_(std::move(url), readers) {}

ComplaintStore::~ComplaintStore() { Shutdown(); }

void ComplaintStore::Shutdown() {
  // The checkpointer first: it waits on the committer. What it leaves in the
  // WAL is durable there and checkpointed when the last connection closes.
  if (checkpointer_) checkpointer_->Stop();
  committer_->Stop();
}

void ComplaintStore::Write(std::string lock_key, GroupCommitter::WriteFn fn,
                           GroupCommitter::DoneFn done, bool replay_safe) {
  committer_->Submit(std::move(lock_key), std::move(fn), std::move(done), replay_safe);
}

absl::StatusOr<std::optional<StoredComplaint>> ComplaintStore::GetComplaint(const std::string& id) {
  std::optional<StoredComplaint> out;
  absl::Status st = readers_.RunPrepared("reading complaint", [&](ReadStatements& r) {
    ReadStatements::ComplaintRow row;
    if (!r.GetComplaint(id, &row)) return absl::OkStatus();
    StoredComplaint c;
    c.id = id;
    c.version = row.version;
    c.last_event_hash = std::move(row.last_event_hash);
    if (auto st = DecodeComplaintRow(row.body, row.complainant_data, &c); !st.ok()) return st;
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
      if (auto fst = DecodeComplaintRow(body, data, &c); !fst.ok()) return fst;
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
  absl::Status st = readers_.RunPrepared("listing events", [&](ReadStatements& r) {
    page = r.ListEvents(id, after_sequence, limit);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return page;
}

absl::StatusOr<int64_t> ComplaintStore::LedgerSize() {
  int64_t size = 0;
  absl::Status st = readers_.Run("reading the ledger head", [&](soci::session& s) -> absl::Status {
    long long n = 0;
    s << sql::kReadLedgerHead, soci::into(n);
    size = n;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return size;
}

absl::Status ComplaintStore::ScanLedger(
    int64_t from, int64_t to, const LedgerFilter& filter,
    absl::FunctionRef<bool(int64_t, const redress::v1::ComplaintEvent&)> fn) {
  // Filter conditions, bound by position after :from and :to.
  std::string where;
  std::vector<long long> numbers;
  std::vector<std::string> texts;
  if (filter.start_time_us != 0) {
    where += " AND e.event_time_us >= :t0";
    numbers.push_back(filter.start_time_us);
  }
  if (filter.end_time_us != 0) {
    where += " AND e.event_time_us < :t1";
    numbers.push_back(filter.end_time_us);
  }
  if (filter.state != 0) {
    where += " AND c.state = :st";
    numbers.push_back(filter.state);
  }
  if (!filter.category.empty()) {
    where += " AND c.category = :cat";
    texts.push_back(filter.category);
  }
  if (!filter.complaint_ids.empty()) {
    where += " AND e.complaint_id IN (";
    for (size_t i = 0; i < filter.complaint_ids.size(); ++i) {
      absl::StrAppend(&where, i ? ", " : "", ":c", i);
      texts.push_back(filter.complaint_ids[i]);
    }
    where += ")";
  }
  const std::string query = absl::StrCat(sql::kScanLedgerPrefix, where, sql::kScanLedgerSuffix);
  int64_t next = from;
  bool stopped = false;
  while (next < to && !stopped) {
    int rows = 0;
    absl::Status st = readers_.Run("scanning the ledger", [&](soci::session& s) -> absl::Status {
      long long lo = next, hi = to;
      int limit = kScanChunk;
      EventRow r;
      soci::statement stmt(s);
      stmt.alloc();
      stmt.prepare(query);
      stmt.exchange(soci::use(lo));
      stmt.exchange(soci::use(hi));
      size_t ni = 0, ti = 0;
      if (filter.start_time_us != 0) stmt.exchange(soci::use(numbers[ni++]));
      if (filter.end_time_us != 0) stmt.exchange(soci::use(numbers[ni++]));
      if (filter.state != 0) stmt.exchange(soci::use(numbers[ni++]));
      if (!filter.category.empty()) stmt.exchange(soci::use(texts[ti++]));
      while (ti < texts.size()) stmt.exchange(soci::use(texts[ti++]));
      stmt.exchange(soci::use(limit));
      stmt.exchange(soci::into(r.ledger_index));
      stmt.exchange(soci::into(r.complaint_id));
      stmt.exchange(soci::into(r.sequence));
      stmt.exchange(soci::into(r.type));
      stmt.exchange(soci::into(r.from));
      stmt.exchange(soci::into(r.to));
      stmt.exchange(soci::into(r.actor));
      stmt.exchange(soci::into(r.request_id));
      stmt.exchange(soci::into(r.time_us));
      stmt.exchange(soci::into(r.payload));
      stmt.exchange(soci::into(r.prev_hash));
      stmt.exchange(soci::into(r.hash));
      stmt.exchange(soci::into(r.actor_kind));
      stmt.define_and_bind();
      stmt.execute(false);
      while (stmt.fetch()) {
        ++rows;
        next = r.ledger_index + 1;
        if (!fn(r.ledger_index, r.ToProto())) {
          stopped = true;
          break;
        }
      }
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    if (rows < kScanChunk) break;  // nothing more below `to`
  }
  return absl::OkStatus();
}

absl::Status ComplaintStore::ScanLedgerHashes(int64_t from, int64_t to,
                                              absl::FunctionRef<void(int64_t, const std::string&)> fn) {
  int64_t next = from;
  while (next < to) {
    int rows = 0;
    absl::Status st = readers_.Run("reading ledger hashes", [&](soci::session& s) -> absl::Status {
      long long lo = next, hi = to, index = 0;
      int limit = kScanChunk;
      std::string hash;
      soci::statement stmt = (s.prepare << sql::kScanLedgerHashes, soci::use(lo, "from"),
                              soci::use(hi, "to"), soci::use(limit, "limit"), soci::into(index),
                              soci::into(hash));
      stmt.execute(false);
      while (stmt.fetch()) {
        if (index != next) {
          return absl::DataLossError(absl::StrCat("the ledger has a gap at index ", next));
        }
        fn(index, hash);
        ++next;
        ++rows;
      }
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    if (rows == 0) {
      return absl::DataLossError(absl::StrCat("the ledger ends at ", next, " below ", to));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<domain::Checkpoint>> ComplaintStore::ListCheckpoints(int64_t after,
                                                                                int64_t upto,
                                                                                int limit) {
  std::vector<domain::Checkpoint> out;
  absl::Status st = readers_.Run("listing checkpoints", [&](soci::session& s) -> absl::Status {
    long long a = after, u = upto, n = 0, t = 0;
    int l = limit;
    std::string root, key, sig;
    soci::statement stmt =
        (s.prepare << sql::kListCheckpoints, soci::use(a, "after"), soci::use(u, "upto"),
         soci::use(l, "limit"), soci::into(n), soci::into(root), soci::into(t), soci::into(key),
         soci::into(sig));
    stmt.execute(false);
    while (stmt.fetch()) out.push_back(CheckpointFrom(n, root, t, key, sig));
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::optional<domain::Checkpoint>> ComplaintStore::LatestCheckpoint() {
  std::optional<domain::Checkpoint> out;
  absl::Status st = readers_.Run("reading the latest checkpoint", [&](soci::session& s) -> absl::Status {
    long long n = 0, t = 0;
    std::string root, key, sig;
    s << sql::kLatestCheckpoint, soci::into(n), soci::into(root), soci::into(t), soci::into(key),
        soci::into(sig);
    if (s.got_data()) out = CheckpointFrom(n, root, t, key, sig);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::Status ComplaintStore::ScanComplainantsForExport(
    const std::vector<std::string>& ids,
    absl::FunctionRef<bool(size_t, const std::optional<ComplainantExport>&)> fn) {
  return readers_.Run("reading complainants", [&](soci::session& s) -> absl::Status {
    std::string id, data;
    long long erased = 0;
    soci::statement stmt = (s.prepare << sql::kGetComplainantForExport, soci::use(id, "id"),
                            soci::into(data), soci::into(erased));
    for (size_t i = 0; i < ids.size(); ++i) {
      id = ids[i];
      std::optional<ComplainantExport> person;
      if (stmt.execute(true)) {
        while (stmt.fetch()) {
        }
        ComplainantExport c;
        c.erased = erased != 0;
        if (!data.empty()) {
          if (auto dst = DecodeProto(data, &c.data); !dst.ok()) return dst;
        }
        person = std::move(c);
      }
      if (!fn(i, person)) break;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> ComplaintStore::ListRetentionDue(int64_t closed_before_us,
                                                                         int limit) {
  std::vector<std::string> out;
  absl::Status st = readers_.Run("listing retention", [&](soci::session& s) -> absl::Status {
    long long cutoff = closed_before_us;
    int l = limit;
    std::string id;
    soci::statement stmt = (s.prepare << sql::kRetentionDue, soci::use(cutoff, "cutoff"),
                            soci::use(l, "limit"), soci::into(id));
    stmt.execute(false);
    while (stmt.fetch()) out.push_back(id);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> ComplaintStore::CountRows() {
  std::map<std::string, int64_t> out;
  absl::Status st = readers_.Run("counting rows", [&](soci::session& s) -> absl::Status {
    for (const char* table : {"complaints", "complainants", "complaint_events",
                              "idempotency_records", "reference_counters", "schema_migrations",
                              "ledger_head", "checkpoints"}) {
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
