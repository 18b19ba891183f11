#include "server/domain/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace redress::domain {
namespace {

TEST(IdsTest, NewUuidIsVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = NewUuid();
    ASSERT_TRUE(IsUuid(u)) << u;
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
    EXPECT_TRUE(seen.insert(u).second);
  }
}

TEST(IdsTest, IsUuidRejectsNearMisses) {
  EXPECT_TRUE(IsUuid("0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"));
  EXPECT_FALSE(IsUuid("0b7a2f4e1c2d-4e5f-8a9b-0c1d2e3f4a5b0"));
  EXPECT_FALSE(IsUuid("0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5g"));
  EXPECT_FALSE(IsUuid(""));
}

TEST(IdsTest, ComplaintNamesRoundTrip) {
  auto id = ParseComplaintName("complaints/0B7A2F4E-1C2D-4E5F-8A9B-0C1D2E3F4A5B", "name");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(ComplaintName(*id), "complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
  auto bad = ParseComplaintName("complaints/../../etc", "parent");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().substr(0, 7), "parent:");
}

TEST(IdsTest, ReferenceFormat) {
  EXPECT_EQ(FormatReference(2026, 123), "CMP-2026-000123");
  EXPECT_EQ(FormatReference(2027, 1234567), "CMP-2027-1234567");
}

TEST(IdsTest, RandomHexLength) {
  EXPECT_EQ(RandomHex(16).size(), 32u);
  EXPECT_NE(RandomHex(16), RandomHex(16));
}

}  // namespace
}  // namespace redress::domain
