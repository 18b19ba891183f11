// ToGrpcStatus: codes, messages, and the machine-readable field violation
// (google.rpc.Status with a google.rpc.BadRequest in the details).
#include "server/api/status_mapping.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/domain/field_violation.h"

namespace redress::api {
namespace {

// Decodes the details of `st`; false if there are none or they do not parse.
bool Decode(const grpc::Status& st, google::rpc::Status* rpc, google::rpc::BadRequest* bad) {
  if (st.error_details().empty() || !rpc->ParseFromString(st.error_details())) return false;
  return rpc->details_size() == 1 && rpc->details(0).UnpackTo(bad);
}

TEST(StatusMappingTest, OkAndCodesMapOneToOne) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  const grpc::Status nf = ToGrpcStatus(absl::NotFoundError("complaints/x not found"));
  EXPECT_EQ(nf.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(nf.error_message(), "complaints/x not found");
  EXPECT_TRUE(nf.error_details().empty());
  const grpc::Status internal = ToGrpcStatus(absl::InternalError("database: corrupt page"));
  EXPECT_EQ(internal.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_TRUE(internal.error_details().empty());
}

TEST(StatusMappingTest, DomainViolationBecomesBadRequest) {
  const grpc::Status st =
      ToGrpcStatus(domain::InvalidField("complaint.complainant.email", "not an e-mail address"));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "complaint.complainant.email: not an e-mail address");
  google::rpc::Status rpc;
  google::rpc::BadRequest bad;
  ASSERT_TRUE(Decode(st, &rpc, &bad));
  EXPECT_EQ(rpc.code(), 3);
  EXPECT_EQ(rpc.message(), st.error_message());
  EXPECT_EQ(rpc.details(0).type_url(), "type.googleapis.com/google.rpc.BadRequest");
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "complaint.complainant.email");
  EXPECT_EQ(bad.field_violations(0).description(), "not an e-mail address");
}

TEST(StatusMappingTest, PayloadWinsOverTheMessage) {
  // A description holding ": " and a field with brackets survive intact.
  absl::Status s = domain::InvalidField("complaint.labels[team]", "bad: really");
  auto v = FieldViolationOf(s);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->first, "complaint.labels[team]");
  EXPECT_EQ(v->second, "bad: really");
}

TEST(StatusMappingTest, ConventionalMessageWithoutPayloadIsParsed) {
  struct Case {
    const char* message;
    const char* field;  // nullptr: no violation
    const char* description;
  };
  const Case cases[] = {
      {"page_token: not a valid page token", "page_token", "not a valid page token"},
      {"complaints[3]: must be a complaint name", "complaints[3]", "must be a complaint name"},
      {"a.b[x].c_d: why: because", "a.b[x].c_d", "why: because"},
      {"first_tree_size, second_tree_size: need 0 < first", nullptr, nullptr},
      {"The request is malformed", nullptr, nullptr},
      {"Field: capitalised is not a field path", nullptr, nullptr},
      {"a[]: empty index", nullptr, nullptr},
      {"a.: trailing dot", nullptr, nullptr},
      {"a:no space", nullptr, nullptr},
      {"", nullptr, nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    const absl::Status s = absl::InvalidArgumentError(c.message);
    const auto v = FieldViolationOf(s);
    const grpc::Status st = ToGrpcStatus(s);
    EXPECT_EQ(st.error_message(), c.message);
    if (c.field == nullptr) {
      EXPECT_FALSE(v.has_value());
      EXPECT_TRUE(st.error_details().empty());
      continue;
    }
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->first, c.field);
    EXPECT_EQ(v->second, c.description);
    google::rpc::Status rpc;
    google::rpc::BadRequest bad;
    ASSERT_TRUE(Decode(st, &rpc, &bad));
    EXPECT_EQ(bad.field_violations(0).field(), c.field);
  }
}

TEST(StatusMappingTest, OnlyInvalidArgumentCarriesAViolation) {
  // The same conventional message under another code has no details.
  const grpc::Status st = ToGrpcStatus(absl::FailedPreconditionError("state: not RECEIVED"));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(st.error_details().empty());
  // A payload copied onto another code is ignored as well.
  absl::Status moved(absl::StatusCode::kAborted, "x");
  moved.SetPayload(domain::kFieldViolationPayloadUrl,
                   *domain::InvalidField("etag", "stale").GetPayload(domain::kFieldViolationPayloadUrl));
  EXPECT_TRUE(ToGrpcStatus(moved).error_details().empty());
}

}  // namespace
}  // namespace redress::api
