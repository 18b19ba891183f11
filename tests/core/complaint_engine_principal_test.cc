// ComplaintEngine: an idempotency record belongs to the principal that made
// the request (issue #14, defect 1). For every mutating action, a second
// principal presenting the same request_id gets ALREADY_EXISTS, learns
// nothing of the first answer, and writes nothing; the first principal's
// retry still gets its answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "server/core/complaint_engine.h"
#include "server/domain/clock.h"
#include "server/domain/ids.h"
#include "server/domain/lifecycle.h"
#include "tests/testing/every_mutation.h"
#include "tests/testing/test_db.h"

namespace redress::core {
namespace {

namespace v1 = redress::v1;
using domain::Action;
using testing::Backend;
using testing::TestDatabase;
using ::testing::HasSubstr;
using ::testing::Not;

// Tuesday 2026-03-03 10:00 UTC (business days for the policies' clocks).
const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2026, 3, 3, 10, 0, 0),
                                          absl::UTCTimeZone());

class ComplaintEnginePrincipalTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (!db_->available()) GTEST_SKIP() << db_->skip_reason();
    registry_ = std::make_unique<domain::PolicyRegistry>(testing::EveryMutationPolicies(kStart));
    store::ComplaintStore::Options o;
    o.url = db_->url();
    auto s = store::ComplaintStore::Open(o, clock_.Now());
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    ComplaintEngine::Options eo;
    eo.policies = registry_.get();
    engine_ = std::make_unique<ComplaintEngine>(store_.get(), &clock_, eo);
  }

  absl::StatusOr<v1::Complaint> Do(const google::protobuf::Message& req, Action action,
                                   const std::string& actor) {
    std::unique_ptr<google::protobuf::Message> copy(req.New());
    copy->CopyFrom(req);
    std::promise<absl::StatusOr<v1::Complaint>> p;
    engine_->Mutate(RequestContext{actor}, action, std::move(copy),
                    [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  domain::FakeClock clock_{kStart};
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<domain::PolicyRegistry> registry_;
  std::unique_ptr<store::ComplaintStore> store_;
  std::unique_ptr<ComplaintEngine> engine_;
};

void SetRequestId(google::protobuf::Message* m, const std::string& id) {
  const auto* f = m->GetDescriptor()->FindFieldByName("request_id");
  ASSERT_NE(f, nullptr);
  m->GetReflection()->SetString(m, f, id);
}

TEST_P(ComplaintEnginePrincipalTest, AnotherPrincipalsRequestIdIsRefusedForEveryAction) {
  const auto paths = testing::EveryMutationPath();
  ASSERT_EQ(paths.size(), domain::ActionTable().size());
  for (const auto& path : paths) {
    const std::string rpc = testing::RpcName(path.action);
    SCOPED_TRACE(rpc);
    std::string name;
    for (size_t i = 0; i + 1 < path.steps.size(); ++i) {
      clock_.Advance(path.steps[i].advance_before);
      auto r = Do(*path.steps[i].request(name), path.steps[i].action, "setup-handler");
      ASSERT_TRUE(r.ok()) << testing::RpcName(path.steps[i].action) << ": " << r.status();
      name = r->name();
    }
    const auto& last = path.steps.back();
    clock_.Advance(last.advance_before);
    auto req = last.request(name);
    const std::string rid = domain::NewUuid();
    SetRequestId(req.get(), rid);
    auto first = Do(*req, path.action, "principal-a");
    ASSERT_TRUE(first.ok()) << first.status();
    const auto before = *store_->CountRows();

    auto other = Do(*req, path.action, "principal-b");
    EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists) << other.status();
    const std::string msg(other.status().message());
    EXPECT_THAT(msg, HasSubstr("request_id"));
    EXPECT_THAT(msg, Not(HasSubstr(first->name())));
    EXPECT_THAT(msg, Not(HasSubstr(first->reference())));
    EXPECT_THAT(msg, Not(HasSubstr(rpc)));
    EXPECT_EQ(*store_->CountRows(), before);

    // The owner's faithful retry still gets the first answer.
    auto retry = Do(*req, path.action, "principal-a");
    ASSERT_TRUE(retry.ok()) << retry.status();
    EXPECT_EQ(retry->etag(), first->etag());
    EXPECT_EQ(*store_->CountRows(), before);
  }
}

TEST_P(ComplaintEnginePrincipalTest, AnotherPrincipalCannotReuseARequestIdForADifferentRequest) {
  // Not even a different RPC on a complaint of its own tells B what the
  // request_id was first used for.
  const auto path = testing::EveryMutationPath()[0];  // SubmitComplaint
  auto submit = path.steps[0].request("");
  const std::string rid = domain::NewUuid();
  SetRequestId(submit.get(), rid);
  auto a = Do(*submit, Action::kSubmit, "principal-a");
  ASSERT_TRUE(a.ok()) << a.status();
  auto mine = Do(*path.steps[0].request(""), Action::kSubmit, "principal-b");
  ASSERT_TRUE(mine.ok());
  v1::AcknowledgeComplaintRequest ack;
  ack.set_name(mine->name());
  ack.set_request_id(rid);
  auto r = Do(ack, Action::kAcknowledge, "principal-b");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(r.status().message()), Not(HasSubstr("SubmitComplaint")));
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintEnginePrincipalTest,
                         ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace redress::core
