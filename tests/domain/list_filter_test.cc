#include "server/domain/list_filter.h"

#include <gtest/gtest.h>

#include <string>

#include "redress/v1/complaint.pb.h"

namespace redress::domain {
namespace {

using Field = FilterCondition::Field;
using Op = FilterCondition::Op;

TEST(ListFilterTest, EmptyFilterHasNoConditions) {
  auto f = ParseListFilter("  ");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->conditions.empty());
}

TEST(ListFilterTest, ParsesEveryFieldAndOperator) {
  auto f = ParseListFilter(
      R"(state = RECEIVED AND channel != CHANNEL_EMAIL AND category = "billing cards" AND )"
      R"(assignee = bob AND create_time >= "2026-01-01T00:00:00Z" AND create_time < "2026-02-01T00:00:00Z")");
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->conditions.size(), 6u);
  EXPECT_EQ(f->conditions[0].field, Field::kState);
  EXPECT_EQ(f->conditions[0].number, redress::v1::Complaint::STATE_RECEIVED);
  EXPECT_EQ(f->conditions[1].op, Op::kNe);
  EXPECT_EQ(f->conditions[1].number, redress::v1::CHANNEL_EMAIL);
  EXPECT_EQ(f->conditions[2].text, "billing cards");
  EXPECT_EQ(f->conditions[3].text, "bob");
  EXPECT_EQ(f->conditions[4].op, Op::kGe);
  EXPECT_EQ(f->conditions[4].number, 1767225600LL * 1000000);
  EXPECT_EQ(f->conditions[5].op, Op::kLt);
}

TEST(ListFilterTest, EnumNamesAreCaseInsensitiveAndPrefixOptional) {
  auto a = ParseListFilter("state = investigating");
  auto b = ParseListFilter("state = STATE_INVESTIGATING");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Fingerprint(), b->Fingerprint());
}

TEST(ListFilterTest, QuotedStringsKeepEscapes) {
  auto f = ParseListFilter(R"(category = "a \"quoted\" \\ value")");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->conditions[0].text, R"(a "quoted" \ value)");
}

TEST(ListFilterTest, RejectsMalformedFilters) {
  for (const char* bad : {"state", "state =", "state = NOPE", "state = UNSPECIFIED",
                          "colour = red", "state < RECEIVED", "category > \"a\"",
                          "state = RECEIVED OR state = CLOSED", "state = RECEIVED state = CLOSED",
                          "create_time >= yesterday", "category = \"unterminated",
                          "state ! RECEIVED", "category = a; DROP TABLE complaints"}) {
    SCOPED_TRACE(bad);
    auto f = ParseListFilter(bad);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(f.status().message().substr(0, 7), "filter:");
  }
}

// A refused filter's message quotes what it refuses, never raw control or
// bidi characters (they would reach logs and terminals): escaped instead.
TEST(ListFilterTest, ErrorsDoNotEchoControlCharacters) {
  for (const char* bad : {"state = \"\x1b[2J\"", "channel = \"a\xc2\x9b" "31m\"",
                                "state = \"\xe2\x80\xae" "x\"", "create_time >= \"\x1b[2J\""}) {
    SCOPED_TRACE(bad);
    auto f = ParseListFilter(bad);
    ASSERT_FALSE(f.ok());
    const std::string m(f.status().message());
    for (const char* raw : {"\x1b", "\xc2\x9b", "\xe2\x80\xae"}) {
      EXPECT_EQ(m.find(raw), std::string::npos) << m;
    }
  }
  auto f = ParseListFilter("state = \"\x1b[2J\xc2\x9b\"");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(), "filter: unknown state value \\u001b[2J\\u009b");
}

TEST(ListFilterTest, FingerprintDistinguishesFilters) {
  EXPECT_NE(ParseListFilter("assignee = a")->Fingerprint(),
            ParseListFilter("category = a")->Fingerprint());
  EXPECT_NE(ParseListFilter("assignee = a")->Fingerprint(),
            ParseListFilter("assignee != a")->Fingerprint());
}

TEST(ListFilterTest, SqlOperators) {
  EXPECT_EQ(SqlOperator(Op::kNe), "<>");
  EXPECT_EQ(SqlOperator(Op::kLe), "<=");
}

}  // namespace
}  // namespace redress::domain
