#include "server/domain/tlog_checkpoint.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"

namespace redress::domain {
namespace {

TEST(TlogCheckpointTest, FormatAndParseRoundTrip) {
  TlogCheckpoint c;
  c.origin = "complaints.example.com/redress";
  c.tree_size = 1234;
  c.root_hash = std::string(32, '\x01');
  const std::string body = FormatTlogCheckpoint(c);
  EXPECT_EQ(body, "complaints.example.com/redress\n1234\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n");
  auto back = ParseTlogCheckpoint(body);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->origin, c.origin);
  EXPECT_EQ(back->tree_size, 1234u);
  EXPECT_EQ(back->root_hash, c.root_hash);
  EXPECT_TRUE(back->extensions.empty());
  auto ext = ParseTlogCheckpoint(body + "extra line\n");
  ASSERT_TRUE(ext.ok());
  EXPECT_EQ(ext->extensions, std::vector<std::string>{"extra line"});
}

TEST(TlogCheckpointTest, MalformedBodiesNameTheLine) {
  const std::string root = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
  for (const std::string& bad : std::vector<std::string>{"", "o\n1\n" + root, "o\n1\n", "\n1\n" + root + "\n",
                                 "o\n01\n" + root + "\n", "o\n-1\n" + root + "\n", "o\n1x\n" + root + "\n",
                                 "o\n99999999999999999999999\n" + root + "\n", "o\n1\nAQEB\n",
                                 "o\n1\n" + root.substr(0, 43) + "\n", "o\n1\n" + root + "\n\n",
                                 " o\n1\n" + root + "\n", "o\x01\n1\n" + root + "\n"}) {
    EXPECT_EQ(ParseTlogCheckpoint(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(ParseTlogCheckpoint("o\n0\n" + root + "\n").ok());
}

}  // namespace
}  // namespace redress::domain
