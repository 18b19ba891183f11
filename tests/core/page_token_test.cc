#include "server/core/page_token.h"

#include <gtest/gtest.h>

namespace redress::core {
namespace {

TEST(PageTokenTest, RoundTripsForTheSameQuery) {
  const std::string t = EncodePageToken(12345, "complaints?state=1");
  auto after = DecodePageToken(t, "complaints?state=1");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, 12345);
  EXPECT_EQ(*DecodePageToken("", "anything"), 0);
}

TEST(PageTokenTest, RefusesATokenFromAnotherQuery) {
  const std::string t = EncodePageToken(7, "complaints?state=1");
  auto after = DecodePageToken(t, "complaints?state=2");
  EXPECT_EQ(after.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(after.status().message().substr(0, 11), "page_token:");
}

TEST(PageTokenTest, RefusesGarbage) {
  for (const char* bad : {"!!!", "djE=", "djF8LTF8YWJj", "x"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(DecodePageToken(bad, "q").status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_FALSE(DecodePageToken(std::string(300, 'a'), "q").ok());
}

TEST(PageTokenTest, IsOpaqueText) {
  const std::string t = EncodePageToken(99, "q");
  EXPECT_EQ(t.find('|'), std::string::npos);
  EXPECT_EQ(t.find('+'), std::string::npos);  // URL-safe alphabet
}

}  // namespace
}  // namespace redress::core
