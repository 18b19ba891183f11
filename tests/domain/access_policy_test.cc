#include "server/domain/access_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "redress/v1/event_service.pb.h"
#include "server/domain/access_control_doc.h"
#include "server/domain/sha256.h"

namespace redress::domain {
namespace {

namespace v1 = redress::v1;
using ::testing::HasSubstr;

constexpr const char* kRoleColumns[] = {"intake", "handler", "supervisor", "auditor", "admin", "portal"};
constexpr v1::Role kRoles[] = {v1::ROLE_INTAKE, v1::ROLE_HANDLER, v1::ROLE_SUPERVISOR,
                               v1::ROLE_AUDITOR, v1::ROLE_ADMIN, v1::ROLE_PORTAL};

// service/rpc -> one cell per role ("yes", "assigned", "own", "-").
std::map<std::string, std::vector<std::string>> ReadDocumentedMatrix() {
  std::ifstream in(std::string(REDRESS_SOURCE_DIR) + "/compliance-docs/access-control.md");
  EXPECT_TRUE(in) << "compliance-docs/access-control.md is missing";
  std::map<std::string, std::vector<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells = absl::StrSplit(line, '|');
    if (cells.size() != 10) continue;  // "| service | RPC | 6 roles |" -> 10 pieces
    for (auto& c : cells) c = std::string(absl::StripAsciiWhitespace(c));
    if (cells[1] == "service" || cells[1].rfind("---", 0) == 0) continue;
    out["redress.v1." + cells[1] + "/" + cells[2]] =
        std::vector<std::string>(cells.begin() + 3, cells.begin() + 9);
  }
  return out;
}

TEST(AccessPolicyTest, EveryRpcOfEveryServiceHasARow) {
  v1::SubmitComplaintRequest a;
  v1::ExportAuditTrailRequest b;
  v1::WatchComplaintEventsRequest c;
  (void)a, (void)b, (void)c;
  int rpcs = 0;
  for (const char* name : {"redress.v1.ComplaintService", "redress.v1.AuditService",
                           "redress.v1.EventService"}) {
    const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      ++rpcs;
      bool found = false;
      for (const RpcRule& r : AccessTable()) {
        found |= (r.service == name && r.rpc == service->method(i)->name());
      }
      EXPECT_TRUE(found) << name << "/" << service->method(i)->name() << " has no access rule";
    }
  }
  EXPECT_EQ(static_cast<size_t>(rpcs), AccessTable().size());
}

TEST(AccessPolicyTest, DocumentedMatrixMatchesTheCode) {
  const auto doc = ReadDocumentedMatrix();
  EXPECT_EQ(doc.size(), AccessTable().size());
  for (const RpcRule& rule : AccessTable()) {
    const std::string key = std::string(rule.service) + "/" + std::string(rule.rpc);
    auto it = doc.find(key);
    ASSERT_NE(it, doc.end()) << key << " is not documented";
    for (int i = 0; i < 6; ++i) {
      SCOPED_TRACE(key + " " + kRoleColumns[i]);
      PrincipalInfo p{"p", RoleBit(kRoles[i])};
      auto scope = AccessPolicy::Authorize(p, rule.service, rule.rpc);
      const std::string& cell = it->second[i];
      if (cell == "-") {
        EXPECT_EQ(scope.status().code(), absl::StatusCode::kPermissionDenied);
      } else {
        ASSERT_TRUE(scope.ok());
        const AccessScope want = cell == "assigned" ? AccessScope::kAssignedOrQueued
                                 : cell == "own"    ? AccessScope::kOwnSubmissions
                                                    : AccessScope::kAny;
        EXPECT_EQ(*scope, want) << "cell " << cell;
      }
    }
  }
}

// The table in the document is the one generated from the declarations.
TEST(AccessPolicyTest, GeneratedTableIsCommitted) {
  const std::string path = std::string(REDRESS_SOURCE_DIR) + "/compliance-docs/access-control.md";
  std::string doc;
  {
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " is missing";
    std::stringstream buf;
    buf << in.rdbuf();
    doc = buf.str();
  }
  const size_t begin = doc.find(kAccessTableBegin);
  ASSERT_NE(begin, std::string::npos) << "no '" << kAccessTableBegin << "' line in " << path;
  const size_t first = doc.find('\n', begin) + 1;
  const size_t end = doc.find(kAccessTableEnd, first);
  ASSERT_NE(end, std::string::npos) << "no '" << kAccessTableEnd << "' line in " << path;
  const std::string generated = AccessTableMarkdown();
  if (doc.compare(first, end - first, generated) == 0) return;
  const char* update = std::getenv("REDRESS_UPDATE_DOCS");
  if (update != nullptr && std::string(update) == "1") {
    doc.replace(first, end - first, generated);
    std::ofstream out(path, std::ios::trunc);
    out << doc;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    GTEST_SKIP() << "rewrote the access table of " << path;
  }
  ADD_FAILURE() << path << ": the access table differs from the (redress.v1.action) "
                << "declarations; run this test with REDRESS_UPDATE_DOCS=1 to rewrite it. "
                << "Generated:\n" << generated << "Committed:\n" << doc.substr(first, end - first);
}

TEST(AccessPolicyTest, UnknownRpcIsDeniedToEveryone) {
  PrincipalInfo all{"root", 0xff};
  EXPECT_EQ(AccessPolicy::Authorize(all, "redress.v1.ComplaintService", "DropAllTables").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicyTest, SupervisorAndHandlerTogetherIsUnrestricted) {
  PrincipalInfo p{"lead", RoleBit(v1::ROLE_HANDLER) | RoleBit(v1::ROLE_SUPERVISOR)};
  EXPECT_EQ(*AccessPolicy::Authorize(p, "redress.v1.ComplaintService", "RespondToComplaint"),
            AccessScope::kAny);
}

TEST(AccessPolicyTest, ParsesTokensAndSubjects) {
  const std::string digest = Sha256Hex("s3cret-token");
  auto policy = AccessPolicy::Parse(
      "principals { name: \"svc-intake\" roles: ROLE_INTAKE token_sha256: \"" + digest + "\" }\n"
      "principals { name: \"alice\" roles: ROLE_HANDLER grants: GRANT_READ_PERSONAL_DATA "
      "client_cert_subjects: \"CN=alice,O=Bank\" rate_limit_per_second: 5 }");
  ASSERT_TRUE(policy.ok()) << policy.status();
  const PrincipalInfo* p = (*policy)->FindByToken("s3cret-token");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "svc-intake");
  EXPECT_FALSE(p->read_personal_data);
  EXPECT_EQ((*policy)->FindByToken("s3cret-tokeN"), nullptr);
  EXPECT_EQ((*policy)->FindByToken(""), nullptr);
  const PrincipalInfo* a = (*policy)->FindByCertSubject("CN=alice,O=Bank");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->read_personal_data);
  EXPECT_EQ(a->rate_limit_per_second, 5);
}

TEST(AccessPolicyTest, RejectsBadConfigsNamingThePrincipal) {
  const std::string d = Sha256Hex("t");
  for (const auto& [text, why] : std::vector<std::pair<std::string, std::string>>{
           {"principals { name: \"a\" token_sha256: \"" + d + "\" }", "at least one role"},
           {"principals { name: \"a\" roles: ROLE_UNSPECIFIED token_sha256: \"" + d + "\" }", "unknown role"},
           {"principals { name: \"a\" roles: ROLE_ADMIN }", "needs a token_sha256"},
           {"principals { name: \"a\" roles: ROLE_ADMIN token_sha256: \"abc\" }", "64 lower-case hex"},
           {"principals { name: \"a b\" roles: ROLE_ADMIN token_sha256: \"" + d + "\" }", "name"},
           {"principals { name: \"a\" roles: ROLE_ADMIN token_sha256: \"" + d + "\" }"
            "principals { name: \"a\" roles: ROLE_ADMIN client_cert_subjects: \"CN=x\" }", "duplicate name"},
           {"principals { name: \"a\" roles: ROLE_ADMIN token_sha256: \"" + d + "\" }"
            "principals { name: \"b\" roles: ROLE_ADMIN token_sha256: \"" + d + "\" }", "two principals"},
           {"principals { nme: \"a\" }", "text format"},
       }) {
    auto p = AccessPolicy::Parse(text);
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()), HasSubstr(why)) << text;
  }
}

}  // namespace
}  // namespace redress::domain
