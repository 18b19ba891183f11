#include "server/store/complaint_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "server/domain/event_hash.h"
#include "server/domain/ids.h"
#include "server/store/db_session.h"
#include "server/store/migrations.h"
#include "server/domain/time_util.h"
#include "server/store/row_codec.h"
#include "tests/testing/test_db.h"

namespace redress::store {
namespace {

namespace v1 = redress::v1;
using testing::Backend;
using testing::TestDatabase;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

absl::Status WriteSync(ComplaintStore& store, GroupCommitter::WriteFn fn) {
  std::promise<absl::Status> p;
  store.Write("k", std::move(fn), [&p](absl::Status st) { p.set_value(std::move(st)); });
  return p.get_future().get();
}

StoredComplaint NewComplaint(const std::string& id, const std::string& ref) {
  StoredComplaint c;
  c.id = id;
  c.complaint.set_name(domain::ComplaintName(id));
  c.complaint.set_reference(ref);
  c.complaint.set_state(v1::Complaint::STATE_RECEIVED);
  c.complaint.set_channel(v1::CHANNEL_WEB);
  c.complaint.set_category("billing");
  c.complaint.set_description("desc");
  *c.complaint.mutable_create_time() = domain::TimestampFromMicros(absl::ToUnixMicros(kNow));
  c.version = 1;
  c.last_event_hash = std::string(64, 'b');
  return c;
}

v1::ComplaintEvent FirstEvent(const std::string& id) {
  v1::ComplaintEvent e;
  e.set_name(domain::ComplaintName(id) + "/events/1");
  e.set_sequence(1);
  e.set_type(v1::ComplaintEvent::TYPE_SUBMITTED);
  e.set_to_state(v1::Complaint::STATE_RECEIVED);
  e.set_actor("alice");
  *e.mutable_event_time() = domain::TimestampFromMicros(absl::ToUnixMicros(kNow));
  e.set_payload("{}");
  e.set_prev_hash(domain::kGenesisHashHex);
  e.set_hash(domain::ComputeEventHash(e));
  return e;
}

ComplainantRecord Person() {
  ComplainantRecord p;
  p.salt = "00";
  p.digest = "dd";
  p.data.set_display_name("Ada Lovelace");
  return p;
}

class ComplaintStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->available()) GTEST_SKIP() << db_->skip_reason();
    ComplaintStore::Options o;
    o.url = db_->url();
    auto s = ComplaintStore::Open(o, kNow);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }

  std::map<std::string, int64_t> Counts() {
    auto c = store_->CountRows();
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : std::map<std::string, int64_t>{};
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<ComplaintStore> store_;
};

TEST_P(ComplaintStoreTest, MigratesAnEmptyDatabaseToTheLatestVersion) {
  EXPECT_EQ(store_->schema_version(), LatestSchemaVersion(db_->url().dialect));
  auto counts = Counts();
  EXPECT_EQ(counts["schema_migrations"], LatestSchemaVersion(db_->url().dialect));
  EXPECT_EQ(counts["complaints"], 0);
  // Opening again is a no-op.
  store_.reset();
  ComplaintStore::Options o;
  o.url = db_->url();
  auto again = ComplaintStore::Open(o, kNow);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->schema_version(), LatestSchemaVersion(db_->url().dialect));
}

TEST_P(ComplaintStoreTest, InsertReadBackWithComplainantAndEtag) {
  const std::string id = domain::NewUuid();
  ASSERT_TRUE(WriteSync(*store_, [&](WriteTxn& txn) {
                auto st = txn.InsertComplaint(NewComplaint(id, "CMP-2026-000001"), Person());
                if (!st.ok()) return st;
                return txn.AppendEvent(FirstEvent(id), id);
              }).ok());
  auto got = store_->GetComplaint(id);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->complaint.reference(), "CMP-2026-000001");
  EXPECT_EQ((*got)->complaint.complainant().display_name(), "Ada Lovelace");
  EXPECT_EQ((*got)->complaint.etag(), EtagFor(std::string(64, 'b')));
  EXPECT_EQ((*got)->version, 1);
  auto events = store_->ListEvents(id, 0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->events.size(), 1u);
  EXPECT_EQ(events->events[0].hash(), FirstEvent(id).hash());
  EXPECT_GT(events->events[0].position(), 0);
  EXPECT_TRUE(domain::VerifyEventChain(events->events).ok());
  auto missing = store_->GetComplaint(domain::NewUuid());
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(ComplaintStoreTest, FailedWriteLeavesNothingBehind) {
  const auto before = Counts();
  const std::string id = domain::NewUuid();
  // Complaint row written, then the function fails: all rolled back.
  absl::Status st = WriteSync(*store_, [&](WriteTxn& txn) {
    auto s = txn.InsertComplaint(NewComplaint(id, "CMP-2026-000002"), Person());
    if (!s.ok()) return s;
    return absl::FailedPreconditionError("domain said no");
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  // A database error half-way (duplicate event sequence) rolls back too.
  st = WriteSync(*store_, [&](WriteTxn& txn) {
    auto s = txn.InsertComplaint(NewComplaint(id, "CMP-2026-000003"), Person());
    if (!s.ok()) return s;
    s = txn.AppendEvent(FirstEvent(id), id);
    if (!s.ok()) return s;
    return txn.AppendEvent(FirstEvent(id), id);  // same (complaint, sequence)
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Counts(), before);
}

TEST_P(ComplaintStoreTest, ConcurrentWritesShareCommitsAndAllSucceed) {
  constexpr int kWriters = 64;
  std::vector<std::promise<absl::Status>> done(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    const std::string id = domain::NewUuid();
    store_->Write(
        id,
        [id, i](WriteTxn& txn) {
          auto s = txn.InsertComplaint(NewComplaint(id, "CMP-2026-1" + std::to_string(1000 + i)),
                                       Person());
          if (!s.ok()) return s;
          return txn.AppendEvent(FirstEvent(id), id);
        },
        [&done, i](absl::Status st) { done[i].set_value(st); });
  }
  for (auto& d : done) EXPECT_TRUE(d.get_future().get().ok());
  EXPECT_EQ(Counts()["complaints"], kWriters);
  const auto stats = store_->commit_stats();
  EXPECT_EQ(stats.items, static_cast<uint64_t>(kWriters));
  EXPECT_LE(stats.batches, static_cast<uint64_t>(kWriters));
}

TEST_P(ComplaintStoreTest, OneFailingItemDoesNotFailItsBatch) {
  // Many items queued at once land in shared batches; the bad ones (duplicate
  // reference: a constraint error inside the database) fail alone.
  constexpr int kItems = 40;
  std::vector<std::promise<absl::Status>> done(kItems);
  for (int i = 0; i < kItems; ++i) {
    const std::string id = domain::NewUuid();
    const std::string ref = (i % 10 == 9) ? "CMP-DUPLICATE" : "CMP-2026-2" + std::to_string(i);
    store_->Write(
        id,
        [id, ref](WriteTxn& txn) {
          auto s = txn.InsertComplaint(NewComplaint(id, ref), Person());
          if (!s.ok()) return s;
          return txn.AppendEvent(FirstEvent(id), id);
        },
        [&done, i](absl::Status st) { done[i].set_value(st); });
  }
  int ok = 0, failed = 0;
  for (auto& d : done) (d.get_future().get().ok() ? ok : failed)++;
  EXPECT_EQ(ok, kItems - 3);  // the first "CMP-DUPLICATE" wins
  EXPECT_EQ(failed, 3);
  EXPECT_EQ(Counts()["complaints"], kItems - 3);
  EXPECT_EQ(Counts()["complaint_events"], kItems - 3);
}

TEST_P(ComplaintStoreTest, DatabaseErrorsCarryNoBoundValues) {
  // SOCI appends bound values to what(); none of them may reach a status
  // message (they hold complainant data and complaint text).
  const std::string id = domain::NewUuid();
  StoredComplaint c = NewComplaint(id, "CMP-SECRET-REFERENCE");
  c.complaint.set_description("Ada Lovelace's private account details");
  ASSERT_TRUE(WriteSync(*store_, [&](WriteTxn& txn) { return txn.InsertComplaint(c, Person()); }).ok());
  StoredComplaint dup = c;
  dup.id = domain::NewUuid();  // same reference: unique violation
  absl::Status st = WriteSync(*store_, [&](WriteTxn& txn) { return txn.InsertComplaint(dup, Person()); });
  ASSERT_FALSE(st.ok());
  const std::string msg(st.message());
  EXPECT_THAT(msg, ::testing::Not(HasSubstr("CMP-SECRET-REFERENCE")));
  EXPECT_THAT(msg, ::testing::Not(HasSubstr(dup.id)));
  EXPECT_THAT(msg, ::testing::Not(HasSubstr("with :")));
  redress::v1::Complaint body = dup.complaint;
  body.clear_etag();
  EXPECT_THAT(msg, ::testing::Not(HasSubstr(EncodeProto(body).substr(0, 24))));
}

TEST_P(ComplaintStoreTest, StaleVersionUpdateIsAbortedAndRetryable) {
  const std::string id = domain::NewUuid();
  ASSERT_TRUE(WriteSync(*store_, [&](WriteTxn& txn) {
                return txn.InsertComplaint(NewComplaint(id, "CMP-2026-000009"), Person());
              }).ok());
  bool retryable = false;
  absl::Status st = WriteSync(*store_, [&](WriteTxn& txn) {
    StoredComplaint c = NewComplaint(id, "CMP-2026-000009");
    c.version = 3;
    auto s = txn.UpdateComplaint(c, /*expected_version=*/2);  // row is at 1
    retryable = txn.retryable();
    return s;
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(retryable);
}

TEST_P(ComplaintStoreTest, EventsAreAppendOnlyInTheDatabase) {
  const std::string id = domain::NewUuid();
  ASSERT_TRUE(WriteSync(*store_, [&](WriteTxn& txn) {
                auto s = txn.InsertComplaint(NewComplaint(id, "CMP-2026-000010"), Person());
                if (!s.ok()) return s;
                return txn.AppendEvent(FirstEvent(id), id);
              }).ok());
  auto raw = OpenSession(db_->url());
  ASSERT_TRUE(raw.ok());
  EXPECT_THROW((**raw) << "UPDATE complaint_events SET actor = 'mallory'", soci::soci_error);
  EXPECT_THROW((**raw) << "DELETE FROM complaint_events", soci::soci_error);
  auto events = store_->ListEvents(id, 0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->events.size(), 1u);
  EXPECT_EQ(events->events[0].actor(), "alice");
}

TEST_P(ComplaintStoreTest, ReferenceCountersAreSequentialPerYear) {
  std::vector<int64_t> got;
  ASSERT_TRUE(WriteSync(*store_, [&](WriteTxn& txn) {
                for (int year : {2026, 2026, 2027, 2026}) {
                  auto n = txn.NextReferenceNumber(year);
                  if (!n.ok()) return n.status();
                  got.push_back(*n);
                }
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 1, 3}));
}

TEST_P(ComplaintStoreTest, IdempotencyRecordsRoundTripWithoutPersonalData) {
  IdempotencyRecord r;
  r.request_id = domain::NewUuid();
  r.method = "AcknowledgeComplaint";
  r.fingerprint = std::string(64, 'f');
  r.complaint_id = domain::NewUuid();
  r.response.set_reference("CMP-2026-000777");
  r.create_time_us = 42;
  ASSERT_TRUE(WriteSync(*store_, [&](WriteTxn& txn) { return txn.PutIdempotency(r); }).ok());
  std::optional<IdempotencyRecord> found;
  ASSERT_TRUE(WriteSync(*store_, [&](WriteTxn& txn) {
                auto f = txn.FindIdempotency(r.request_id);
                if (!f.ok()) return f.status();
                found = *f;
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->method, "AcknowledgeComplaint");
  EXPECT_EQ(found->response.reference(), "CMP-2026-000777");
  // A second record with the same request_id is refused by the database.
  EXPECT_FALSE(WriteSync(*store_, [&](WriteTxn& txn) { return txn.PutIdempotency(r); }).ok());
}

TEST_P(ComplaintStoreTest, ShutdownFinishesQueuedWritesThenRefuses) {
  constexpr int kItems = 20;
  std::vector<std::promise<absl::Status>> done(kItems);
  for (int i = 0; i < kItems; ++i) {
    const std::string id = domain::NewUuid();
    store_->Write(
        id,
        [id, i](WriteTxn& txn) {
          return txn.InsertComplaint(NewComplaint(id, "CMP-2026-3" + std::to_string(i)), Person());
        },
        [&done, i](absl::Status st) { done[i].set_value(st); });
  }
  store_->Shutdown();
  for (auto& d : done) EXPECT_TRUE(d.get_future().get().ok());
  std::promise<absl::Status> late;
  store_->Write("x", [](WriteTxn&) { return absl::OkStatus(); },
                [&late](absl::Status st) { late.set_value(st); });
  EXPECT_EQ(late.get_future().get().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Counts()["complaints"], kItems);
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintStoreTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::store
