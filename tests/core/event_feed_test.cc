#include "server/core/event_feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>
#include <set>
#include <thread>

#include "server/core/complaint_engine.h"
#include "server/domain/ids.h"
#include "tests/testing/test_db.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;
using domain::Action;
using testing::Backend;
using testing::TestDatabase;
using ::testing::HasSubstr;

class EventFeedTest : public ::testing::TestWithParam<Backend> {
 protected:
  struct Replica {
    std::unique_ptr<store::ComplaintStore> store;
    std::unique_ptr<ComplaintEngine> engine;
    std::unique_ptr<EventFeed> feed;
  };

  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->available()) GTEST_SKIP() << db_->skip_reason();
    a_ = NewReplica();
  }

  Replica NewReplica(EventFeed::Options fo = {}) {
    Replica r;
    store::ComplaintStore::Options o;
    o.url = db_->url();
    auto s = store::ComplaintStore::Open(o, clock_.Now());
    EXPECT_TRUE(s.ok()) << s.status();
    r.store = std::move(*s);
    r.engine = std::make_unique<ComplaintEngine>(r.store.get(), &clock_, ComplaintEngine::Options{});
    fo.poll = absl::Milliseconds(20);
    r.feed = std::make_unique<EventFeed>(r.store.get(), &clock_, fo);
    return r;
  }

  template <typename R>
  absl::StatusOr<v1::Complaint> Do(const R& req, Action action, ComplaintEngine* engine) {
    std::promise<absl::StatusOr<v1::Complaint>> p;
    engine->Mutate(RequestContext{"writer"}, action, std::make_unique<R>(req),
                   [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  v1::Complaint Submit(ComplaintEngine* engine, const std::string& category = "billing") {
    v1::SubmitComplaintRequest r;
    r.mutable_complaint()->mutable_complainant()->set_display_name("P");
    r.mutable_complaint()->set_channel(v1::CHANNEL_WEB);
    r.mutable_complaint()->set_category(category);
    r.mutable_complaint()->set_description("d");
    auto c = Do(r, Action::kSubmit, engine);
    EXPECT_TRUE(c.ok()) << c.status();
    return *c;
  }

  void Note(const std::string& name, ComplaintEngine* engine) {
    v1::AddComplaintNoteRequest n;
    n.set_name(name);
    n.set_text("n");
    n.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
    ASSERT_TRUE(Do(n, Action::kAddNote, engine).ok());
  }

  // Reads from `start` until `want` entries arrived (or `limit` items were
  // seen); returns the entries' ledger indexes.
  std::vector<int64_t> Read(EventFeed* feed, const v1::WatchComplaintEventsRequest& req, size_t want,
                            std::vector<v1::WatchComplaintEventsResponse>* all = nullptr) {
    std::vector<int64_t> got;
    std::atomic<bool> stop{false};
    absl::Status st = feed->Watch(
        req,
        [&](const v1::WatchComplaintEventsResponse& item) {
          if (all) all->push_back(item);
          if (item.has_entry()) got.push_back(item.entry().ledger_index());
          if (got.size() >= want) stop = true;
          return !stop.load();  // the consumer disconnects once it has enough
        },
        [&] { return stop.load(); });
    EXPECT_EQ(st.code(), absl::StatusCode::kCancelled);
    return got;
  }

  domain::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<TestDatabase> db_;
  Replica a_;
};

TEST_P(EventFeedTest, DeliversEverythingInLedgerOrderThenFollowsNewCommits) {
  auto c = Submit(a_.engine.get());
  Note(c.name(), a_.engine.get());
  auto reader = std::async(std::launch::async, [&] { return Read(a_.feed.get(), {}, 6); });
  for (int i = 0; i < 4; ++i) Note(c.name(), a_.engine.get());
  EXPECT_EQ(reader.get(), (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
}

TEST_P(EventFeedTest, RandomDisconnectsAndResumesUnderTwoWritingReplicasMissNothing) {
  Replica b = NewReplica();
  std::vector<v1::Complaint> cs = {Submit(a_.engine.get()), Submit(b.engine.get())};
  std::atomic<bool> writing{true};
  std::vector<std::thread> writers;
  for (int t = 0; t < 2; ++t) {
    writers.emplace_back([&, t] {
      ComplaintEngine* e = t == 0 ? a_.engine.get() : b.engine.get();
      for (int i = 0; i < 40; ++i) Note(cs[(t + i) % 2].name(), e);
    });
  }
  std::mt19937 rng(42);
  std::set<int64_t> received;
  int64_t cursor = 0;
  int duplicates = 0, sessions = 0;
  const size_t total = 2 + 80;
  while (received.size() < total && sessions < 500) {
    ++sessions;
    // A consumer that goes away after a random number of items.
    const int take = 1 + static_cast<int>(rng() % 7);
    int taken = 0;
    v1::WatchComplaintEventsRequest req;
    req.set_start_ledger_index(cursor);
    EventFeed* feed = (sessions % 2) ? a_.feed.get() : b.feed.get();
    absl::Status st = feed->Watch(
        req,
        [&](const v1::WatchComplaintEventsResponse& item) {
          if (!item.has_entry()) return true;
          const int64_t idx = item.entry().ledger_index();
          if (!received.insert(idx).second) ++duplicates;
          cursor = std::max(cursor, idx + 1);
          return ++taken < take;  // disconnect
        },
        [&] { return received.size() >= total; });
    EXPECT_EQ(st.code(), absl::StatusCode::kCancelled);
  }
  for (auto& w : writers) w.join();
  ASSERT_EQ(received.size(), total);
  EXPECT_EQ(*received.begin(), 0);
  EXPECT_EQ(*received.rbegin(), static_cast<int64_t>(total) - 1);  // no gaps
  EXPECT_EQ(duplicates, 0);  // resuming at last + 1 re-delivers nothing
}

TEST_P(EventFeedTest, ResumesAcrossARestart) {
  auto c = Submit(a_.engine.get());
  for (int i = 0; i < 3; ++i) Note(c.name(), a_.engine.get());
  auto first = Read(a_.feed.get(), {}, 2);
  ASSERT_EQ(first, (std::vector<int64_t>{0, 1}));
  a_ = Replica();  // "server" stops
  a_ = NewReplica();
  Note(c.name(), a_.engine.get());
  v1::WatchComplaintEventsRequest req;
  req.set_start_ledger_index(first.back() + 1);
  EXPECT_EQ(Read(a_.feed.get(), req, 3), (std::vector<int64_t>{2, 3, 4}));
}

TEST_P(EventFeedTest, HeartbeatsMoveTheCursorPastFilteredEvents) {
  auto c = Submit(a_.engine.get(), "billing");
  auto other = Submit(a_.engine.get(), "service");
  for (int i = 0; i < 3; ++i) Note(other.name(), a_.engine.get());
  v1::WatchComplaintEventsRequest req;
  req.set_category("billing");
  req.set_heartbeat_seconds(1);
  std::vector<v1::WatchComplaintEventsResponse> items;
  std::atomic<bool> stop{false};
  std::thread ticker([&] {
    while (!stop) {
      clock_.Advance(absl::Milliseconds(400));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  absl::Status st = a_.feed->Watch(
      req,
      [&](const v1::WatchComplaintEventsResponse& item) {
        items.push_back(item);
        if (item.has_heartbeat() && item.heartbeat().next_ledger_index() == 5) stop = true;
        return true;
      },
      [&] { return stop.load(); });
  ticker.join();
  EXPECT_EQ(st.code(), absl::StatusCode::kCancelled);
  ASSERT_GE(items.size(), 2u);
  EXPECT_TRUE(items[0].has_entry());
  EXPECT_EQ(items[0].entry().event().name(), c.name() + "/events/1");
  for (size_t i = 1; i < items.size(); ++i) EXPECT_TRUE(items[i].has_heartbeat());
  EXPECT_EQ(items.back().heartbeat().next_ledger_index(), 5);
}

TEST_P(EventFeedTest, FiltersByTypeStateAndComplaint) {
  auto c = Submit(a_.engine.get());
  auto d = Submit(a_.engine.get());
  Note(c.name(), a_.engine.get());
  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(d.name());
  ASSERT_TRUE(Do(ack, Action::kAcknowledge, a_.engine.get()).ok());
  std::vector<v1::WatchComplaintEventsResponse> items;
  v1::WatchComplaintEventsRequest by_type;
  by_type.add_event_types(v1::ComplaintEvent::TYPE_NOTE_ADDED);
  EXPECT_EQ(Read(a_.feed.get(), by_type, 1), (std::vector<int64_t>{2}));
  v1::WatchComplaintEventsRequest by_state;
  by_state.add_states(v1::Complaint::STATE_ACKNOWLEDGED);
  EXPECT_EQ(Read(a_.feed.get(), by_state, 1), (std::vector<int64_t>{3}));
  v1::WatchComplaintEventsRequest by_complaint;
  by_complaint.add_complaints(d.name());
  EXPECT_EQ(Read(a_.feed.get(), by_complaint, 2), (std::vector<int64_t>{1, 3}));
}

TEST_P(EventFeedTest, BadRequestsAndLaggingConsumers) {
  auto never = [] { return false; };
  auto sink = [](const auto&) { return true; };
  v1::WatchComplaintEventsRequest bad;
  bad.set_start_ledger_index(-1);
  EXPECT_EQ(a_.feed->Watch(bad, sink, never).code(), absl::StatusCode::kInvalidArgument);
  bad.set_start_ledger_index(0);
  bad.add_complaints("nope");
  EXPECT_EQ(a_.feed->Watch(bad, sink, never).code(), absl::StatusCode::kInvalidArgument);
  for (const char* hostile : {"a\x1b[2J", "a\xc2\x9b" "31m", "a\xe2\x80\xae" "b"}) {
    v1::WatchComplaintEventsRequest c;
    c.set_category(hostile);
    EXPECT_EQ(a_.feed->Watch(c, sink, never).code(), absl::StatusCode::kInvalidArgument) << hostile;
  }
  v1::WatchComplaintEventsRequest hb;
  hb.set_heartbeat_seconds(301);
  EXPECT_EQ(a_.feed->Watch(hb, sink, never).code(), absl::StatusCode::kInvalidArgument);

  EventFeed::Options tight;
  tight.max_lag = 3;
  Replica r = NewReplica(tight);
  auto c = Submit(r.engine.get());
  for (int i = 0; i < 4; ++i) Note(c.name(), r.engine.get());
  absl::Status st = r.feed->Watch({}, sink, never);
  EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(st.message()), HasSubstr("start_ledger_index=0"));
}

INSTANTIATE_TEST_SUITE_P(Backends, EventFeedTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::core
