#include "server/core/complaint_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "redress/v1/audit_service.pb.h"
#include "server/domain/event_hash.h"
#include "server/domain/ids.h"
#include "tests/testing/test_db.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;
using domain::Action;
using testing::Backend;
using testing::TestDatabase;
using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1790000000);  // 2026-09-21

// One engine over one store: a "replica".
struct Replica {
  std::unique_ptr<store::ComplaintStore> store;
  std::unique_ptr<ComplaintEngine> engine;
};

class ComplaintEngineTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->available()) GTEST_SKIP() << db_->skip_reason();
    a_ = NewReplica();
  }

  Replica NewReplica() {
    Replica r;
    store::ComplaintStore::Options o;
    o.url = db_->url();
    auto s = store::ComplaintStore::Open(o, clock_.Now());
    EXPECT_TRUE(s.ok()) << s.status();
    r.store = std::move(*s);
    r.engine = std::make_unique<ComplaintEngine>(r.store.get(), &clock_, ComplaintEngine::Options{});
    return r;
  }

  absl::StatusOr<v1::Complaint> Do(const google::protobuf::Message& req, Action action,
                                   const std::string& actor = "handler-1",
                                   ComplaintEngine* engine = nullptr) {
    std::unique_ptr<google::protobuf::Message> copy(req.New());
    copy->CopyFrom(req);
    std::promise<absl::StatusOr<v1::Complaint>> p;
    (engine ? engine : a_.engine.get())
        ->Mutate(RequestContext{actor}, action, std::move(copy),
                 [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  v1::SubmitComplaintRequest SubmitReq(const std::string& category = "billing") {
    v1::SubmitComplaintRequest r;
    auto* c = r.mutable_complaint();
    c->mutable_complainant()->set_display_name("Ada Lovelace");
    c->mutable_complainant()->set_email("ada@example.org");
    c->set_channel(v1::CHANNEL_EMAIL);
    c->set_category(category);
    c->set_description("Charged twice.");
    return r;
  }

  v1::Complaint Submit(const std::string& category = "billing") {
    auto c = Do(SubmitReq(category), Action::kSubmit);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : v1::Complaint();
  }

  std::vector<v1::ComplaintEvent> History(const std::string& name) {
    std::vector<v1::ComplaintEvent> out;
    v1::ListComplaintEventsRequest req;
    req.set_parent(name);
    req.set_page_size(3);
    for (;;) {
      auto page = a_.engine->ListEvents(req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& e : page->events()) out.push_back(e);
      if (page->next_page_token().empty()) break;
      req.set_page_token(page->next_page_token());
    }
    return out;
  }

  std::map<std::string, int64_t> Counts() { return *a_.store->CountRows(); }

  domain::FakeClock clock_{kStart};
  std::unique_ptr<TestDatabase> db_;
  Replica a_;
};

template <typename R>
R ByName(const v1::Complaint& c) {
  R r;
  r.set_name(c.name());
  return r;
}

TEST_P(ComplaintEngineTest, SubmitAssignsNameReferenceAndFirstEvent) {
  v1::Complaint c = Submit();
  EXPECT_TRUE(domain::ParseComplaintName(c.name(), "name").ok());
  EXPECT_EQ(c.reference(), "CMP-2026-000001");
  EXPECT_EQ(c.state(), v1::Complaint::STATE_RECEIVED);
  EXPECT_EQ(c.complainant().display_name(), "Ada Lovelace");
  EXPECT_EQ(c.create_time().seconds(), absl::ToUnixSeconds(kStart));
  EXPECT_EQ(c.event_count(), 1);
  EXPECT_FALSE(c.etag().empty());
  EXPECT_EQ(Submit().reference(), "CMP-2026-000002");
  auto h = History(c.name());
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].type(), v1::ComplaintEvent::TYPE_SUBMITTED);
  EXPECT_EQ(h[0].actor(), "handler-1");
  EXPECT_EQ(h[0].prev_hash(), domain::kGenesisHashHex);
  EXPECT_THAT(h[0].payload(), ::testing::Not(HasSubstr("Ada")));
  auto got = a_.engine->Get(ByName<v1::GetComplaintRequest>(c));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->SerializeAsString(), c.SerializeAsString());
}

TEST_P(ComplaintEngineTest, FullLifecycleBuildsAVerifiableHashChain) {
  v1::Complaint c = Submit();
  ASSERT_TRUE(Do(ByName<v1::AcknowledgeComplaintRequest>(c), Action::kAcknowledge).ok());
  v1::AssessComplaintRequest assess = ByName<v1::AssessComplaintRequest>(c);
  auto* a = assess.mutable_assessment();
  a->set_severity(v1::LEVEL_HIGH);
  a->set_priority(v1::LEVEL_HIGH);
  a->set_complexity(v1::LEVEL_LOW);
  a->set_impact(v1::LEVEL_MEDIUM);
  ASSERT_TRUE(Do(assess, Action::kAssess).ok());
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(Do(ByName<v1::StartInvestigationRequest>(c), Action::kStartInvestigation).ok());
  v1::RespondToComplaintRequest respond = ByName<v1::RespondToComplaintRequest>(c);
  respond.mutable_response()->set_decision(v1::Response::DECISION_UPHELD);
  respond.mutable_response()->set_text("Refunded.");
  respond.mutable_response()->set_communicated_via(v1::CHANNEL_EMAIL);
  ASSERT_TRUE(Do(respond, Action::kRespond, "handler-2").ok());
  v1::RecordComplainantDecisionRequest decide = ByName<v1::RecordComplainantDecisionRequest>(c);
  decide.mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_ACCEPTED);
  auto closed = Do(decide, Action::kRecordDecision);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->state(), v1::Complaint::STATE_CLOSED);
  EXPECT_EQ(closed->event_count(), 6);
  EXPECT_EQ(closed->response().responder(), "handler-2");
  EXPECT_EQ(closed->complainant().email(), "ada@example.org");

  auto h = History(c.name());
  ASSERT_EQ(h.size(), 6u);
  EXPECT_TRUE(domain::VerifyEventChain(h).ok());
  EXPECT_EQ(h[3].event_time().seconds(), absl::ToUnixSeconds(kStart + absl::Hours(1)));
  EXPECT_EQ(h[4].actor(), "handler-2");
  EXPECT_EQ(h[5].from_state(), v1::Complaint::STATE_RESPONDED);
  EXPECT_EQ(h[5].to_state(), v1::Complaint::STATE_CLOSED);
  for (size_t i = 1; i < h.size(); ++i) EXPECT_GT(h[i].position(), h[i - 1].position());
}

TEST_P(ComplaintEngineTest, IllegalTransitionWritesNothing) {
  v1::Complaint c = Submit();
  const auto before = Counts();
  v1::CloseComplaintRequest close = ByName<v1::CloseComplaintRequest>(c);
  close.set_reason("no");
  close.set_request_id(domain::NewUuid());
  auto r = Do(close, Action::kClose);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("RECEIVED"));
  EXPECT_EQ(Counts(), before);
}

TEST_P(ComplaintEngineTest, RetryWithSameRequestIdReturnsFirstAnswerAndWritesNothing) {
  v1::SubmitComplaintRequest submit = SubmitReq();
  submit.set_request_id(domain::NewUuid());
  auto first = Do(submit, Action::kSubmit);
  ASSERT_TRUE(first.ok());
  const auto after_first = Counts();
  clock_.Advance(absl::Minutes(5));
  auto again = Do(submit, Action::kSubmit);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Counts(), after_first);

  v1::AcknowledgeComplaintRequest ack = ByName<v1::AcknowledgeComplaintRequest>(*first);
  ack.set_request_id(domain::NewUuid());
  auto a1 = Do(ack, Action::kAcknowledge);
  ASSERT_TRUE(a1.ok());
  // The complaint moves on; the retry still gets the first answer.
  ASSERT_TRUE(Do(ByName<v1::EscalateComplaintRequest>(*first), Action::kEscalate).status().code() ==
              absl::StatusCode::kInvalidArgument);  // reason missing
  v1::EscalateComplaintRequest esc = ByName<v1::EscalateComplaintRequest>(*first);
  esc.set_reason("priority customer");
  ASSERT_TRUE(Do(esc, Action::kEscalate).ok());
  const auto before_retry = Counts();
  auto a2 = Do(ack, Action::kAcknowledge);
  ASSERT_TRUE(a2.ok()) << a2.status();
  EXPECT_EQ(a2->etag(), a1->etag());
  EXPECT_EQ(a2->escalation_level(), 0);
  EXPECT_EQ(Counts(), before_retry);
}

TEST_P(ComplaintEngineTest, SameRequestIdWithDifferentRequestIsRefused) {
  v1::Complaint c = Submit();
  const std::string rid = domain::NewUuid();
  v1::AssignComplaintRequest assign = ByName<v1::AssignComplaintRequest>(c);
  assign.set_assignee("alice");
  assign.set_request_id(rid);
  ASSERT_TRUE(Do(assign, Action::kAssign).ok());
  const auto before = Counts();
  assign.set_assignee("bob");
  auto r = Do(assign, Action::kAssign);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("request_id"));
  v1::SubmitComplaintRequest other = SubmitReq();
  other.set_request_id(rid);
  EXPECT_EQ(Do(other, Action::kSubmit).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Counts(), before);
}

TEST_P(ComplaintEngineTest, StaleEtagIsAbortedAndCurrentEtagSucceeds) {
  v1::Complaint c = Submit();
  v1::AssignComplaintRequest assign = ByName<v1::AssignComplaintRequest>(c);
  assign.set_assignee("alice");
  assign.set_etag(c.etag());
  auto updated = Do(assign, Action::kAssign);
  ASSERT_TRUE(updated.ok());
  EXPECT_NE(updated->etag(), c.etag());
  const auto before = Counts();
  assign.set_assignee("bob");  // still carries the old etag
  auto stale = Do(assign, Action::kAssign);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Counts(), before);
  assign.set_etag(updated->etag());
  EXPECT_TRUE(Do(assign, Action::kAssign).ok());
}

TEST_P(ComplaintEngineTest, EtagConflictAcrossTwoReplicas) {
  Replica b = NewReplica();
  v1::Complaint c = Submit();
  auto seen_by_a = a_.engine->Get(ByName<v1::GetComplaintRequest>(c));
  auto seen_by_b = b.engine->Get(ByName<v1::GetComplaintRequest>(c));
  ASSERT_TRUE(seen_by_a.ok() && seen_by_b.ok());
  EXPECT_EQ(seen_by_a->etag(), seen_by_b->etag());
  v1::AssignComplaintRequest by_a = ByName<v1::AssignComplaintRequest>(c);
  by_a.set_assignee("alice");
  by_a.set_etag(seen_by_a->etag());
  ASSERT_TRUE(Do(by_a, Action::kAssign, "handler-a", a_.engine.get()).ok());
  v1::AssignComplaintRequest by_b = by_a;
  by_b.set_assignee("bob");
  auto r = Do(by_b, Action::kAssign, "handler-b", b.engine.get());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(a_.engine->Get(ByName<v1::GetComplaintRequest>(c))->assignee(), "alice");
}

TEST_P(ComplaintEngineTest, ConcurrentWritersOnTwoReplicasKeepEachChainLinear) {
  Replica b = NewReplica();
  std::vector<v1::Complaint> complaints;
  for (int i = 0; i < 4; ++i) complaints.push_back(Submit());
  constexpr int kThreads = 8, kPerThread = 15;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ComplaintEngine* engine = (t % 2 == 0) ? a_.engine.get() : b.engine.get();
      for (int i = 0; i < kPerThread; ++i) {
        v1::AddComplaintNoteRequest note;
        note.set_name(complaints[(t + i) % complaints.size()].name());
        note.set_text("note " + std::to_string(t) + "/" + std::to_string(i));
        note.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_INTERNAL);
        note.set_request_id(domain::NewUuid());
        auto r = Do(note, Action::kAddNote, "handler-" + std::to_string(t), engine);
        if (r.ok()) ok++;
        else ADD_FAILURE() << r.status();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  int total = 0;
  for (const auto& c : complaints) {
    auto h = History(c.name());
    EXPECT_TRUE(domain::VerifyEventChain(h).ok()) << domain::VerifyEventChain(h);
    total += static_cast<int>(h.size());
    auto now = a_.engine->Get(ByName<v1::GetComplaintRequest>(c));
    EXPECT_EQ(now->event_count(), static_cast<int64_t>(h.size()));
  }
  EXPECT_EQ(total, 4 + kThreads * kPerThread);
}

TEST_P(ComplaintEngineTest, SameRequestIdRacingOnTwoReplicasWritesOnce) {
  Replica b = NewReplica();
  v1::Complaint c = Submit();
  v1::AddComplaintNoteRequest note = ByName<v1::AddComplaintNoteRequest>(c);
  note.set_text("only once");
  note.set_visibility(v1::AddComplaintNoteRequest::VISIBILITY_EXTERNAL);
  note.set_request_id(domain::NewUuid());
  auto fa = std::async(std::launch::async, [&] { return Do(note, Action::kAddNote, "h", a_.engine.get()); });
  auto fb = std::async(std::launch::async, [&] { return Do(note, Action::kAddNote, "h", b.engine.get()); });
  auto ra = fa.get(), rb = fb.get();
  ASSERT_TRUE(ra.ok()) << ra.status();
  ASSERT_TRUE(rb.ok()) << rb.status();
  EXPECT_EQ(ra->etag(), rb->etag());
  EXPECT_EQ(History(c.name()).size(), 2u);
}

TEST_P(ComplaintEngineTest, RetryOnAnotherReplicaWithEtagGetsTheFirstAnswerNotAConflict) {
  // A client times out on replica A and resends the same conditional request
  // (same request_id, same etag) to replica B while A is still committing.
  // B must wait for A's row lock and then replay A's answer -- not report a
  // stale etag or an illegal transition for a write that succeeded.
  Replica b = NewReplica();
  for (int round = 0; round < 10; ++round) {
    v1::Complaint c = Submit();
    v1::AcknowledgeComplaintRequest ack = ByName<v1::AcknowledgeComplaintRequest>(c);
    ack.set_etag(c.etag());
    ack.set_request_id(domain::NewUuid());
    auto fa = std::async(std::launch::async,
                         [&] { return Do(ack, Action::kAcknowledge, "h", a_.engine.get()); });
    auto fb = std::async(std::launch::async,
                         [&] { return Do(ack, Action::kAcknowledge, "h", b.engine.get()); });
    auto ra = fa.get(), rb = fb.get();
    ASSERT_TRUE(ra.ok()) << ra.status();
    ASSERT_TRUE(rb.ok()) << rb.status();
    EXPECT_EQ(ra->etag(), rb->etag());
    EXPECT_EQ(History(c.name()).size(), 2u);
  }
}

TEST_P(ComplaintEngineTest, ExpiredCallerDeadlineWritesNothing) {
  v1::SubmitComplaintRequest submit = SubmitReq();
  RequestContext ctx{"handler-1"};
  ctx.deadline = std::chrono::system_clock::now() - std::chrono::seconds(1);
  std::promise<absl::StatusOr<v1::Complaint>> p;
  a_.engine->Mutate(ctx, Action::kSubmit, std::make_unique<v1::SubmitComplaintRequest>(submit),
                    [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
  EXPECT_EQ(p.get_future().get().status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(Counts()["complaints"], 0);
}

TEST_P(ComplaintEngineTest, CallerGoneBeforeTheWriteRanWritesNothingAndRetryWorks) {
  const v1::Complaint c = Submit();
  auto before = Counts();
  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(c.name());
  ack.set_request_id("0b6e3c1e-3f0a-4b8e-9a51-7a2a4d1c2e33");
  RequestContext ctx{"handler-1"};
  ctx.cancelled = [] { return true; };
  std::promise<absl::StatusOr<v1::Complaint>> p;
  a_.engine->Mutate(ctx, Action::kAcknowledge, std::make_unique<v1::AcknowledgeComplaintRequest>(ack),
                    [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
  EXPECT_EQ(p.get_future().get().status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(Counts(), before);
  // The retry (same request_id, e.g. on another replica) is the first write.
  auto retry = Do(ack, Action::kAcknowledge);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->state(), v1::Complaint::STATE_ACKNOWLEDGED);
}

TEST_P(ComplaintEngineTest, RequestIdIsCaseInsensitive) {
  v1::SubmitComplaintRequest submit = SubmitReq();
  const std::string rid = domain::NewUuid();
  submit.set_request_id(rid);
  auto first = Do(submit, Action::kSubmit);
  ASSERT_TRUE(first.ok());
  submit.set_request_id(absl::AsciiStrToUpper(rid));
  auto again = Do(submit, Action::kSubmit);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(Counts()["complaints"], 1);
}

TEST(ComplaintEngineRequestsTest, EveryMutatingRpcIsInTheTableAndHasTheFieldsTheEngineReads) {
  // The engine reads name / etag / request_id by reflection; a renamed field
  // would silently switch off etag or idempotency checks for that RPC.
  v1::SubmitComplaintRequest link_the_descriptors;
  (void)link_the_descriptors;
  v1::EraseComplainantDataRequest link_audit_descriptors;
  (void)link_audit_descriptors;
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      "redress.v1.ComplaintService");
  const auto* audit = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      "redress.v1.AuditService");
  ASSERT_NE(service, nullptr);
  ASSERT_NE(audit, nullptr);
  std::vector<const google::protobuf::MethodDescriptor*> methods;
  for (int i = 0; i < service->method_count(); ++i) methods.push_back(service->method(i));
  // AuditService: the methods that change a complaint.
  for (int i = 0; i < audit->method_count(); ++i) {
    if (audit->method(i)->output_type()->full_name() == "redress.v1.Complaint") {
      methods.push_back(audit->method(i));
    }
  }
  int mutating = 0;
  for (const auto* m : methods) {
    if (absl::StartsWith(m->name(), "Get") || absl::StartsWith(m->name(), "List")) continue;
    ++mutating;
    SCOPED_TRACE(m->name());
    bool in_table = false;
    for (const auto& spec : domain::ActionTable()) in_table |= (spec.rpc == m->name());
    EXPECT_TRUE(in_table);
    EXPECT_EQ(m->output_type()->full_name(), "redress.v1.Complaint");
    const auto* in = m->input_type();
    auto has_string = [&](const char* f) {
      const auto* fd = in->FindFieldByName(f);
      return fd != nullptr && fd->type() == google::protobuf::FieldDescriptor::TYPE_STRING;
    };
    EXPECT_TRUE(has_string("request_id"));
    if (m->name() != "SubmitComplaint") {
      EXPECT_TRUE(has_string("name"));
      EXPECT_TRUE(has_string("etag"));
    }
  }
  EXPECT_EQ(mutating, static_cast<int>(domain::ActionTable().size()));
}

TEST_P(ComplaintEngineTest, ErrorsForUnknownComplaintMissingActorAndBadInput) {
  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(domain::ComplaintName(domain::NewUuid()));
  EXPECT_EQ(Do(ack, Action::kAcknowledge).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Do(ack, Action::kAcknowledge, "").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Do(ack, Action::kAcknowledge, "two words").status().code(),
            absl::StatusCode::kUnauthenticated);
  ack.set_name("complaints/nope");
  auto bad = Do(ack, Action::kAcknowledge);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("name"));
  v1::GetComplaintRequest get;
  get.set_name(domain::ComplaintName(domain::NewUuid()));
  EXPECT_EQ(a_.engine->Get(get).status().code(), absl::StatusCode::kNotFound);
  v1::ListComplaintEventsRequest events;
  events.set_parent(get.name());
  EXPECT_EQ(a_.engine->ListEvents(events).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Counts()["complaints"], 0);
}

TEST_P(ComplaintEngineTest, ListFiltersAndPaginatesInStableOrder) {
  std::vector<std::string> names;
  for (int i = 0; i < 7; ++i) {
    names.push_back(Submit(i % 2 == 0 ? "billing" : "service").name());
    clock_.Advance(absl::Hours(24));
  }
  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(names[2]);
  ASSERT_TRUE(Do(ack, Action::kAcknowledge).ok());

  v1::ListComplaintsRequest req;
  req.set_page_size(3);
  std::vector<std::string> seen;
  for (;;) {
    auto page = a_.engine->List(req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& c : page->complaints()) seen.push_back(c.name());
    if (page->next_page_token().empty()) break;
    req.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(seen, names);

  v1::ListComplaintsRequest billing;
  billing.set_filter("category = billing");
  auto b = a_.engine->List(billing);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->complaints_size(), 4);

  v1::ListComplaintsRequest acked;
  acked.set_filter("state = ACKNOWLEDGED");
  auto a = a_.engine->List(acked);
  ASSERT_EQ(a->complaints_size(), 1);
  EXPECT_EQ(a->complaints(0).name(), names[2]);

  v1::ListComplaintsRequest range;
  range.set_filter(absl::StrCat("create_time >= \"", absl::FormatTime(kStart + absl::Hours(48)),
                                "\" AND create_time < \"",
                                absl::FormatTime(kStart + absl::Hours(96)), "\" AND channel = EMAIL"));
  auto r = a_.engine->List(range);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->complaints_size(), 2);
  EXPECT_EQ(r->complaints(0).name(), names[2]);

  v1::ListComplaintsRequest injected;
  injected.set_filter("category = \"x' OR '1'='1\"");
  auto inj = a_.engine->List(injected);
  ASSERT_TRUE(inj.ok());
  EXPECT_EQ(inj->complaints_size(), 0);

  // A token is bound to its filter.
  billing.set_page_size(1);
  auto first = a_.engine->List(billing);
  ASSERT_FALSE(first->next_page_token().empty());
  acked.set_page_token(first->next_page_token());
  EXPECT_EQ(a_.engine->List(acked).status().code(), absl::StatusCode::kInvalidArgument);
  v1::ListComplaintsRequest negative;
  negative.set_page_size(-1);
  EXPECT_EQ(a_.engine->List(negative).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(ComplaintEngineTest, ReopenAfterCloseAndWithdrawIsTerminal) {
  v1::Complaint c = Submit();
  ASSERT_TRUE(Do(ByName<v1::AcknowledgeComplaintRequest>(c), Action::kAcknowledge).ok());
  v1::AssessComplaintRequest assess = ByName<v1::AssessComplaintRequest>(c);
  assess.mutable_assessment()->set_severity(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_priority(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_complexity(v1::LEVEL_LOW);
  assess.mutable_assessment()->set_impact(v1::LEVEL_LOW);
  ASSERT_TRUE(Do(assess, Action::kAssess).ok());
  v1::RespondToComplaintRequest respond = ByName<v1::RespondToComplaintRequest>(c);
  respond.mutable_response()->set_decision(v1::Response::DECISION_NOT_UPHELD);
  respond.mutable_response()->set_text("No error found.");
  respond.mutable_response()->set_communicated_via(v1::CHANNEL_LETTER);
  auto responded = Do(respond, Action::kRespond);
  ASSERT_TRUE(responded.ok());
  EXPECT_TRUE(responded->response().summary_resolution());
  v1::CloseComplaintRequest close = ByName<v1::CloseComplaintRequest>(c);
  close.set_reason("final decision issued");
  ASSERT_TRUE(Do(close, Action::kClose).ok());
  clock_.Advance(absl::Hours(24 * 57));  // past the default 56-day reopen window
  v1::ReopenComplaintRequest reopen = ByName<v1::ReopenComplaintRequest>(c);
  reopen.set_reason("new evidence");
  EXPECT_EQ(Do(reopen, Action::kReopen).status().code(), absl::StatusCode::kFailedPrecondition);

  v1::Complaint w = Submit();
  ASSERT_TRUE(Do(ByName<v1::WithdrawComplaintRequest>(w), Action::kWithdraw).ok());
  EXPECT_EQ(Do(ByName<v1::AcknowledgeComplaintRequest>(w), Action::kAcknowledge).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintEngineTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::core
