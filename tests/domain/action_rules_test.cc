#include "server/domain/action_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "redress/v1/complaint_service.pb.h"
#include "server/domain/access_policy.h"
#include "server/domain/lifecycle.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using ::testing::HasSubstr;

std::vector<DeclaredRpc> Declared() { return ReadDeclaredRpcs(RedressServices()); }

DeclaredRpc* Find(std::vector<DeclaredRpc>& rpcs, absl::string_view rpc) {
  for (DeclaredRpc& d : rpcs) {
    if (d.rpc == rpc) return &d;
  }
  ADD_FAILURE() << rpc << " is not declared";
  static DeclaredRpc none;
  return &none;
}

TEST(ActionRulesTest, EveryRpcOfEveryServiceHasAConsistentRule) {
  const auto services = RedressServices();
  ASSERT_EQ(services.size(), 3u);
  int methods = 0;
  for (const auto* s : services) {
    ASSERT_NE(s, nullptr);
    methods += s->method_count();
  }
  const std::vector<DeclaredRpc> rpcs = Declared();
  EXPECT_EQ(rpcs.size(), static_cast<size_t>(methods));
  const absl::Status st = CheckDeclaredRpcs(rpcs);
  EXPECT_TRUE(st.ok()) << st.message();
  for (const DeclaredRpc& d : rpcs) EXPECT_TRUE(d.has_rule) << d.service << "/" << d.rpc;
  EXPECT_EQ(DeclaredRpcs().size(), rpcs.size());
  ASSERT_NE(FindDeclaredRpc("redress.v1.AuditService", "EraseComplainantData"), nullptr);
  EXPECT_TRUE(FindDeclaredRpc("redress.v1.AuditService", "EraseComplainantData")->mutating());
  EXPECT_EQ(FindDeclaredRpc("redress.v1.ComplaintService", "EraseComplainantData"), nullptr);
}

TEST(ActionRulesTest, AnRpcWithoutARuleIsReported) {
  auto rpcs = Declared();
  Find(rpcs, "AcknowledgeComplaint")->has_rule = false;
  Find(rpcs, "GetSigningKey")->has_rule = false;
  const absl::Status st = CheckDeclaredRpcs(rpcs);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("redress.v1.ComplaintService/AcknowledgeComplaint: no "
                                      "(redress.v1.action) rule"));
  EXPECT_THAT(st.message(),
              HasSubstr("redress.v1.AuditService/GetSigningKey: no (redress.v1.action) rule"));
}

TEST(ActionRulesTest, UnknownRolesStatesAndEventTypesAreReported) {
  auto rpcs = Declared();
  Find(rpcs, "AssessComplaint")->rule.add_roles(static_cast<v1::Role>(42));
  Find(rpcs, "CloseComplaint")->rule.add_from_states(static_cast<v1::Complaint::State>(99));
  Find(rpcs, "CloseComplaint")->rule.set_to_state(static_cast<v1::Complaint::State>(98));
  Find(rpcs, "ReopenComplaint")->rule.set_event_type(static_cast<v1::ComplaintEvent::Type>(77));
  Find(rpcs, "EscalateComplaint")->rule.add_from_states(v1::Complaint::STATE_UNSPECIFIED);
  Find(rpcs, "ListComplaints")->rule.add_own_submissions_roles(v1::ROLE_UNSPECIFIED);
  const std::string m(CheckDeclaredRpcs(rpcs).message());
  EXPECT_THAT(m, HasSubstr("ComplaintService/AssessComplaint: roles: unknown role 42"));
  EXPECT_THAT(m, HasSubstr("ComplaintService/CloseComplaint: from_states: unknown state 99"));
  EXPECT_THAT(m, HasSubstr("ComplaintService/CloseComplaint: to_state: unknown state 98"));
  EXPECT_THAT(m, HasSubstr("ComplaintService/ReopenComplaint: event_type: unknown event type 77"));
  EXPECT_THAT(m, HasSubstr("ComplaintService/EscalateComplaint: from_states: unknown state 0"));
  EXPECT_THAT(m, HasSubstr("ComplaintService/ListComplaints: own_submissions_roles: unknown role 0"));
}

TEST(ActionRulesTest, InconsistentRulesAreReported) {
  auto rpcs = Declared();
  Find(rpcs, "WithdrawComplaint")->rule.set_event_type(v1::ComplaintEvent::TYPE_CLOSED);
  Find(rpcs, "AssignComplaint")->rule.add_assigned_or_queued_roles(v1::ROLE_HANDLER);
  Find(rpcs, "AddComplaintNote")->request = v1::GetComplaintRequest::descriptor();
  Find(rpcs, "RespondToComplaint")->rule.clear_from_states();
  Find(rpcs, "RespondToComplaint")->rule.set_keeps_state(true);
  Find(rpcs, "GetComplaint")->rule.set_touches_clocks(true);
  Find(rpcs, "ListComplaints")->rule.set_cli_verb("get");
  Find(rpcs, "GetComplaintStatistics")->rule.clear_cli_help();
  const std::string m(CheckDeclaredRpcs(rpcs).message());
  EXPECT_THAT(m, HasSubstr("WithdrawComplaint: event_type TYPE_CLOSED is already recorded by "
                           "redress.v1.ComplaintService/CloseComplaint"));
  EXPECT_THAT(m, HasSubstr("AssignComplaint: a scope role is not among roles"));
  EXPECT_THAT(m, HasSubstr("AddComplaintNote: the request has no string field `etag`"));
  EXPECT_THAT(m, HasSubstr("RespondToComplaint: from_states: none"));
  EXPECT_THAT(m, HasSubstr("RespondToComplaint: both to_state and keeps_state"));
  EXPECT_THAT(m, HasSubstr("GetComplaint: lifecycle fields on an RPC without event_type"));
  EXPECT_THAT(m, HasSubstr("ListComplaints: cli_verb \"get\" used twice"));
  EXPECT_THAT(m, HasSubstr("GetComplaintStatistics: cli_verb and cli_help go together"));
}

TEST(ActionRulesTest, MutatingRequestsCarryTheMutationHeader) {
  for (const DeclaredRpc& d : DeclaredRpcs()) {
    if (!d.mutating()) continue;
    SCOPED_TRACE(d.rpc);
    EXPECT_NE(d.request->FindFieldByName("request_id"), nullptr);
    EXPECT_EQ(d.response, v1::Complaint::descriptor());
  }
}

// The lifecycle and access tables are the declarations. (Before the hand-written
// tables were deleted these two tests compared them with the declarations.)
TEST(ActionRulesTest, LifecycleTableIsBuiltFromTheDeclarations) {
  std::set<std::string> declared;
  for (const DeclaredRpc& d : DeclaredRpcs()) {
    if (d.mutating()) declared.insert(d.rpc);
  }
  EXPECT_EQ(declared.size(), ActionTable().size());
  for (const ActionSpec& spec : ActionTable()) {
    SCOPED_TRACE(std::string(spec.rpc));
    const DeclaredRpc* d = nullptr;
    for (const DeclaredRpc& c : DeclaredRpcs()) {
      if (c.rpc == spec.rpc) d = &c;
    }
    ASSERT_NE(d, nullptr) << spec.rpc << " has no declaration";
    EXPECT_TRUE(d->mutating());
    EXPECT_EQ(d->rule.event_type(), spec.event_type);
    EXPECT_EQ(d->FromStateBits(), spec.from_states);
    EXPECT_EQ(d->rule.target(), spec.to_states);
  }
}

TEST(ActionRulesTest, AccessTableIsBuiltFromTheDeclarations) {
  EXPECT_EQ(DeclaredRpcs().size(), AccessTable().size());
  for (const RpcRule& rule : AccessTable()) {
    const DeclaredRpc* d = FindDeclaredRpc(rule.service, rule.rpc);
    ASSERT_NE(d, nullptr) << rule.service << "/" << rule.rpc << " has no declaration";
    SCOPED_TRACE(d->rpc);
    EXPECT_EQ(d->RoleBits(), rule.roles);
    for (int r = v1::Role_MIN + 1; r <= v1::Role_MAX; ++r) {
      if (!(rule.roles & (1u << r))) continue;
      const AccessScope want = (d->AssignedOrQueuedBits() & (1u << r)) ? AccessScope::kAssignedOrQueued
                               : (d->OwnSubmissionsBits() & (1u << r)) ? AccessScope::kOwnSubmissions
                                                                       : AccessScope::kAny;
      EXPECT_EQ(ScopeFor(static_cast<v1::Role>(r), rule), want) << "role " << r;
    }
  }
}

}  // namespace
}  // namespace redress::domain
