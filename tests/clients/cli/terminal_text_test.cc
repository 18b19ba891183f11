// redressctl never writes a raw control character to a terminal.
#include "clients/cli/terminal_text.h"

#include <string>

#include "clients/cli/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace redress::cli {
namespace {

TEST(TerminalTextTest, ControlCharactersBecomeVisibleEscapes) {
  EXPECT_EQ(TerminalSafe("a\x1b[31mred"), "a\\u001b[31mred");
  EXPECT_EQ(TerminalSafe("a\xc2\x9b" "31mRED"), "a\\u009b31mRED");  // C1 CSI
  EXPECT_EQ(TerminalSafe("\xc2\x80|\xc2\x85|\xc2\x9f"), "\\u0080|\\u0085|\\u009f");
  EXPECT_EQ(TerminalSafe(std::string("nul\0bel\x07" "del\x7f", 12)), "nul\\u0000bel\\u0007del\\u007f");
  EXPECT_EQ(TerminalSafe("a\nb\tc\rd"), "a\\u000ab\\u0009c\\u000dd");
}

TEST(TerminalTextTest, BidiControlsBecomeVisibleEscapes) {
  EXPECT_EQ(TerminalSafe("x\xe2\x80\xaay\xe2\x80\xaez"), "x\\u202ay\\u202ez");
  EXPECT_EQ(TerminalSafe("\xe2\x81\xa6" "a" "\xe2\x81\xa9"), "\\u2066a\\u2069");
}

TEST(TerminalTextTest, KeptWhitespaceAndOrdinaryTextAreUnchanged) {
  EXPECT_EQ(TerminalSafe("line one\nline two", "\n"), "line one\nline two");
  EXPECT_EQ(TerminalSafe("a\tb\x1b", "\n\t"), "a\tb\\u001b");
  // e-acute, an emoji, a no-break space, Hebrew, the RLM mark, a backslash.
  const std::string ordinary =
      "caf\xc3\xa9 \xf0\x9f\x98\x80\xc2\xa0\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xe2\x80\x8f C:\\x";
  EXPECT_EQ(TerminalSafe(ordinary), ordinary);
  EXPECT_EQ(TerminalSafe(""), "");
}

TEST(TerminalTextTest, MalformedUtf8BytesAreEscaped) {
  // A lone 0x9b byte is the CSI of an 8-bit terminal.
  EXPECT_EQ(TerminalSafe("a\x9b" "31m"), "a\\x9b31m");
  EXPECT_EQ(TerminalSafe("\xc0\xaf"), "\\xc0\\xaf");      // overlong
  EXPECT_EQ(TerminalSafe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(TerminalSafe("\xe2\x80"), "\\xe2\\x80");      // truncated
}

TEST(TerminalTextTest, JsonStaysTheSameJsonWithoutRawControls) {
  const std::string json =
      "{\n \"a\": \"x\xc2\x9by\",\n\t\"b\": \"\xe2\x81\xa6q\xe2\x81\xa9\",\r\n \"c\": \"caf\xc3\xa9\\u001b\"\n}\n";
  const std::string safe = TerminalSafeJson(json);
  EXPECT_EQ(safe,
            "{\n \"a\": \"x\\u009by\",\n\t\"b\": \"\\u2066q\\u2069\",\r\n \"c\": \"caf\xc3\xa9\\u001b\"\n}\n");
  const auto before = ParseJson(json);
  const auto after = ParseJson(safe);
  ASSERT_TRUE(before.has_value());
  ASSERT_TRUE(after.has_value());
  ASSERT_EQ(after->members.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(after->members[i].second.text, before->members[i].second.text);
  EXPECT_EQ(TerminalSafeJson("\"a\xff\""), "\"a\\ufffd\"");
}

}  // namespace
}  // namespace redress::cli
