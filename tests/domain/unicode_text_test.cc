#include "server/domain/unicode_text.h"

#include <gtest/gtest.h>

#include <string>

namespace redress::domain {
namespace {

TEST(UnicodeTextTest, DecodesWellFormedSequences) {
  uint32_t cp = 0;
  EXPECT_EQ(DecodeUtf8("a", 0, &cp), 1u);
  EXPECT_EQ(cp, 0x61u);
  EXPECT_EQ(DecodeUtf8("\xc2\x9b", 0, &cp), 2u);
  EXPECT_EQ(cp, 0x9bu);
  EXPECT_EQ(DecodeUtf8("x\xe2\x81\xa6", 1, &cp), 3u);
  EXPECT_EQ(cp, 0x2066u);
  EXPECT_EQ(DecodeUtf8("\xf4\x8f\xbf\xbf", 0, &cp), 4u);
  EXPECT_EQ(cp, 0x10ffffu);
}

TEST(UnicodeTextTest, RefusesMalformedSequences) {
  uint32_t cp = 0;
  for (const char* s : {"\x80", "\x9b", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                              "\xc2", "\xe2\x81", "\xc2\x41", "\xff", "\xf8\x88\x80\x80\x80"}) {
    EXPECT_EQ(DecodeUtf8(s, 0, &cp), 0u) << absl::string_view(s).size();
  }
}

TEST(UnicodeTextTest, ControlAndBidiSets) {
  for (uint32_t cp : {0x00u, 0x09u, 0x0au, 0x1bu, 0x1fu, 0x7fu, 0x80u, 0x85u, 0x9bu, 0x9fu}) {
    EXPECT_TRUE(IsControlCodePoint(cp)) << cp;
  }
  for (uint32_t cp : {0x20u, 0x7eu, 0xa0u, 0xe9u, 0x200eu, 0x2028u, 0x202au, 0x1f600u}) {
    EXPECT_FALSE(IsControlCodePoint(cp)) << cp;
  }
  for (uint32_t cp : {0x202au, 0x202bu, 0x202cu, 0x202du, 0x202eu, 0x2066u, 0x2067u, 0x2068u, 0x2069u}) {
    EXPECT_TRUE(IsBidiControlCodePoint(cp)) << cp;
  }
  for (uint32_t cp : {0x200eu, 0x200fu, 0x061cu, 0x2029u, 0x202fu, 0x2065u, 0x206au, 0x9bu}) {
    EXPECT_FALSE(IsBidiControlCodePoint(cp)) << cp;
  }
  EXPECT_EQ(CodePointName(0x9b), "U+009B");
  EXPECT_EQ(CodePointName(0x202e), "U+202E");
  EXPECT_EQ(CodePointName(0x1f600), "U+1F600");
}

TEST(UnicodeTextTest, EscapeControls) {
  EXPECT_EQ(EscapeControls("a\x1b[2J\xc2\x9b\xe2\x80\xae\x7f"), "a\\u001b[2J\\u009b\\u202e\\u007f");
  EXPECT_EQ(EscapeControls("a\nb\tc", "\n"), "a\nb\\u0009c");
  EXPECT_EQ(EscapeControls("bad \x9b byte"), "bad \\x9b byte");
  const std::string ordinary = "caf\xc3\xa9 \xf0\x9f\x98\x80\xc2\xa0 \\u009b";
  EXPECT_EQ(EscapeControls(ordinary), ordinary);
}

}  // namespace
}  // namespace redress::domain
