#include "server/domain/field_violation.h"

#include <gtest/gtest.h>

#include <string>

#include "server/domain/ids.h"
#include "server/domain/list_filter.h"

namespace redress::domain {
namespace {

TEST(FieldViolationTest, InvalidFieldCarriesPathAndDescription) {
  const absl::Status s = InvalidField("complaint.attachments[2].sha256", "must be hex");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "complaint.attachments[2].sha256: must be hex");
  const auto v = GetFieldViolation(s);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "complaint.attachments[2].sha256");
  EXPECT_EQ(v->description, "must be hex");
}

TEST(FieldViolationTest, EdgeCases) {
  // Empty field: reported as the whole request.
  auto v = GetFieldViolation(InvalidField("", "empty"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "request");
  // A NUL in the path cannot split the payload.
  v = GetFieldViolation(InvalidField(std::string("a\0b", 3), "x"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "a?b");
  EXPECT_EQ(v->description, "x");
  // An empty description is kept empty.
  v = GetFieldViolation(InvalidField("etag", ""));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->description, "");
  // No payload, other codes, OK.
  EXPECT_FALSE(GetFieldViolation(absl::InvalidArgumentError("etag: stale")).has_value());
  EXPECT_FALSE(GetFieldViolation(absl::OkStatus()).has_value());
  absl::Status other(absl::StatusCode::kAborted, "x");
  other.SetPayload(kFieldViolationPayloadUrl, absl::Cord(std::string("etag\0x", 6)));
  EXPECT_FALSE(GetFieldViolation(other).has_value());
  // A malformed payload (no separator) is ignored.
  absl::Status bad = absl::InvalidArgumentError("etag: x");
  bad.SetPayload(kFieldViolationPayloadUrl, absl::Cord("etag"));
  EXPECT_FALSE(GetFieldViolation(bad).has_value());
}

TEST(FieldViolationTest, NamesAndFiltersCarryViolations) {
  auto name = ParseComplaintName("complaints/not-a-uuid", "parent");
  ASSERT_FALSE(name.ok());
  auto v = GetFieldViolation(name.status());
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "parent");
  EXPECT_EQ(v->field + ": " + v->description, name.status().message());
  v = GetFieldViolation(ParseComplaintName("", "name").status());
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "name");
  EXPECT_EQ(v->description, "required");
  auto filter = ParseListFilter("state = RECEIVED; DROP TABLE complaints");
  ASSERT_FALSE(filter.ok());
  v = GetFieldViolation(filter.status());
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "filter");
  EXPECT_EQ(v->field + ": " + v->description, filter.status().message());
}

}  // namespace
}  // namespace redress::domain
