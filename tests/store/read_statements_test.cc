#include "server/store/read_statements.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/store/db_session.h"
#include "server/store/migrations.h"
#include "tests/testing/test_db.h"

namespace redress::store {
namespace {

using testing::Backend;
using testing::TestDatabase;

class ReadStatementsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    REDRESS_REQUIRE_DB(db_);
    auto s = OpenSession(db_.url());
    ASSERT_TRUE(s.ok()) << s.status();
    writer_ = std::move(*s);
    ASSERT_TRUE(MigrateToLatest(*writer_, db_.url().dialect, absl::FromUnixSeconds(0)).ok());
    long long ledger = 0;
    for (const char* id : {"a", "b"}) {
      std::string sid = id, ref = absl::StrCat("REF-", id), body = absl::StrCat("body-", id),
                  hash = absl::StrCat("hash-", id), data = absl::StrCat("data-", id);
      *writer_ << "INSERT INTO complaints (id, reference, state, channel, category, assignee, "
                  "create_time_us, update_time_us, version, last_event_hash, body) VALUES "
                  "(:id, :ref, 1, 1, 'c', '', 1, 1, 3, :hash, :body)",
          soci::use(sid, "id"), soci::use(ref, "ref"), soci::use(hash, "hash"),
          soci::use(body, "body");
      *writer_ << "INSERT INTO complainants (complaint_id, salt, digest, data) VALUES "
                  "(:id, 's', 'd', :data)",
          soci::use(sid, "id"), soci::use(data, "data");
      for (long long seq = 1; seq <= 5; ++seq) {
        std::string payload = absl::StrCat("{\"n\":", seq, "}"), h = absl::StrCat(id, seq);
        *writer_ << "INSERT INTO complaint_events (complaint_id, sequence, type, from_state, "
                    "to_state, actor, request_id, event_time_us, payload, prev_hash, hash, "
                    "ledger_index) VALUES (:id, :seq, 'NOTE_ADDED', 1, 1, 'x', '', 1, :p, '0', "
                    ":h, :l)",
            soci::use(sid, "id"), soci::use(seq, "seq"), soci::use(payload, "p"),
            soci::use(h, "h"), soci::use(ledger, "l");
        ++ledger;
      }
    }
    auto r = OpenSession(db_.url());
    ASSERT_TRUE(r.ok());
    reader_ = std::move(*r);
    rs_ = std::make_unique<ReadStatements>(*reader_);
  }
  void TearDown() override { rs_.reset(); }

  TestDatabase db_{GetParam()};
  std::unique_ptr<soci::session> writer_, reader_;
  std::unique_ptr<ReadStatements> rs_;
};

TEST_P(ReadStatementsTest, ReusedStatementsAnswerEachCallWithItsOwnRows) {
  for (int round = 0; round < 3; ++round) {
    for (const char* id : {"a", "b"}) {
      ReadStatements::ComplaintRow row;
      ASSERT_TRUE(rs_->GetComplaint(id, &row));
      EXPECT_EQ(row.body, absl::StrCat("body-", id));
      EXPECT_EQ(row.last_event_hash, absl::StrCat("hash-", id));
      EXPECT_EQ(row.complainant_data, absl::StrCat("data-", id));
      EXPECT_EQ(row.version, 3);
      EventPage first = rs_->ListEvents(id, 0, 2);
      ASSERT_EQ(first.events.size(), 2u);
      EXPECT_TRUE(first.more);
      EXPECT_EQ(first.events[0].sequence(), 1);
      EXPECT_EQ(first.events[1].payload(), "{\"n\":2}");
      EventPage rest = rs_->ListEvents(id, 2, 10);
      ASSERT_EQ(rest.events.size(), 3u);
      EXPECT_FALSE(rest.more);
      EXPECT_EQ(rest.events[2].sequence(), 5);
      EXPECT_EQ(rest.events[2].name(), absl::StrCat("complaints/", id, "/events/5"));
    }
  }
  ReadStatements::ComplaintRow none;
  EXPECT_FALSE(rs_->GetComplaint("missing", &none));
  EXPECT_TRUE(rs_->ListEvents("missing", 0, 10).events.empty());
}

TEST_P(ReadStatementsTest, ReadsLeaveNoSnapshotBehind) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "a SQLite WAL matter";
  ReadStatements::ComplaintRow row;
  ASSERT_TRUE(rs_->GetComplaint("a", &row));
  ASSERT_TRUE(rs_->ListEvents("a", 0, 2).more);  // a partial page
  *writer_ << "UPDATE complaints SET version = 4 WHERE id = 'a'";
  int busy = -1;
  long long log = -1, done = -1;
  *writer_ << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log),
      soci::into(done);
  EXPECT_EQ(busy, 0) << "a read statement still holds a snapshot";
  EXPECT_EQ(log, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadStatementsTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::store
