// The strict JSON reader and the quoting used by the audit export/verifier.
#include "clients/cli/json.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace redress::cli {
namespace {

TEST(JsonTest, ParsesObjectsKeepingIntegerText) {
  auto v = ParseJson(
      R"( {"a":9223372036854775807,"b":-0,"c":"x\u00e9\ud83d\ude00\n","d":[true,false,null],"e":{},"f":1.5e3} )");
  ASSERT_TRUE(v.has_value());
  ASSERT_EQ(v->kind, JsonValue::Kind::kObject);
  EXPECT_EQ(v->Find("a")->kind, JsonValue::Kind::kInteger);
  EXPECT_EQ(v->Find("a")->text, "9223372036854775807");
  EXPECT_EQ(v->Find("a")->AsInt(0, INT64_MAX), INT64_MAX);
  EXPECT_EQ(v->Find("b")->AsInt(0, 5), 0);
  EXPECT_EQ(v->Find("c")->text, "x\xc3\xa9\xf0\x9f\x98\x80\n");
  EXPECT_EQ(v->Find("d")->items.size(), 3u);
  EXPECT_EQ(v->Find("e")->kind, JsonValue::Kind::kObject);
  EXPECT_EQ(v->Find("f")->kind, JsonValue::Kind::kFloat);
  EXPECT_FALSE(v->Find("f")->AsInt(INT64_MIN, INT64_MAX).has_value());
  EXPECT_EQ(v->Find("zz"), nullptr);
}

TEST(JsonTest, IntegerRanges) {
  auto big = ParseJson("[9223372036854775808,-9223372036854775808,-1,7]");
  ASSERT_TRUE(big.has_value());
  EXPECT_FALSE(big->items[0].AsInt(INT64_MIN, INT64_MAX).has_value());
  EXPECT_EQ(big->items[1].AsInt(INT64_MIN, INT64_MAX), INT64_MIN);
  EXPECT_FALSE(big->items[2].AsInt(0, 10).has_value());
  EXPECT_FALSE(big->items[3].AsInt(0, 6).has_value());
  EXPECT_EQ(big->items[3].AsInt(7, 7), 7);
}

TEST(JsonTest, RejectsEverythingNotStrictlyValid) {
  for (const char* bad : {
           "",
           " ",
           "{",
           "{}{}",
           "{\"a\":1,}",
           "[1,]",
           "{\"a\":1,\"a\":2}",       // duplicate key
           "{\"a\":01}",              // leading zero
           "{\"a\":+1}",
           "{\"a\":1.}",
           "{\"a\":.5}",
           "{\"a\":1e}",
           "{\"a\":NaN}",
           "{\"a\":Infinity}",
           "{\"a\":-Infinity}",
           "{\"a\":tru}",
           "{'a':1}",
           "{\"a\":\"\t\"}",          // raw control character
           "{\"a\":\"\\x41\"}",       // unknown escape
           "{\"a\":\"\\u12\"}",
           "{\"a\":\"\\ud800\"}",     // lone high surrogate
           "{\"a\":\"\\udc00\"}",     // lone low surrogate
           "{\"a\":\"\\ud800\\u0041\"}",
           "{\"a\":\"\xff\"}",        // invalid UTF-8
           "{\"a\":\"\xc0\xaf\"}",    // overlong
           "{\"a\":\"\xed\xa0\x80\"}",  // encoded surrogate
           "\xef\xbb\xbf{}",          // byte order mark
           "{\"a\":1}\x0b",           // vertical tab is not JSON whitespace
       }) {
    EXPECT_FALSE(ParseJson(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseJson("\t\r\n {\"a\" : [ 1 , -2 ] } \r").has_value());
}

TEST(JsonTest, NestingIsLimited) {
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(ok).has_value());
  std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  EXPECT_FALSE(ParseJson(deep).has_value());
}

TEST(JsonTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xed\xb0\x80"));      // surrogate
}

TEST(JsonTest, JsonStringRoundTrips) {
  for (const std::string& s : {std::string("plain"), std::string("a\"b\\c\n\r\t\b\f"),
                               std::string("\x01\x1f\x7f \xc3\xa9\xe2\x82\xac"),
                               std::string("nul\0inside", 10)}) {
    const std::string quoted = JsonString(s);
    auto v = ParseJson(quoted);
    ASSERT_TRUE(v.has_value()) << quoted;
    EXPECT_EQ(v->text, s);
  }
  EXPECT_EQ(JsonString("\x01"), "\"\\u0001\"");
  // DEL, C1 and bidi controls too: an export file printed on a terminal
  // cannot drive it (issue 14). Other non-ASCII text stays as it is.
  EXPECT_EQ(JsonString("a\x7f\xc2\x9b" "31m\xe2\x80\xae\xe2\x81\xa6\xc3\xa9"),
            "\"a\\u007f\\u009b31m\\u202e\\u2066\xc3\xa9\"");
  const std::string hostile = "x\xc2\x85\xc2\x9f\xe2\x80\xaa\xe2\x81\xa9y";
  auto v = ParseJson(JsonString(hostile));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->text, hostile);
}

TEST(JsonTest, QuoteAsciiMatchesPythonJsonDumps) {
  // Expected values printed by Python's json.dumps (ensure_ascii=True).
  EXPECT_EQ(JsonQuoteAscii("a\"b\\\\c\n\t\x01\x7f"), R"("a\"b\\\\c\n\t\u0001\u007f")");
  EXPECT_EQ(JsonQuoteAscii("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
            R"("\u00e9\u20ac\ud83d\ude00")");
  EXPECT_EQ(JsonQuoteAscii("plain"), "\"plain\"");
}

}  // namespace
}  // namespace redress::cli
