#include "server/domain/unicode_text.h"

#include "absl/strings/str_format.h"

namespace redress::domain {

size_t DecodeUtf8(absl::string_view s, size_t i, uint32_t* cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t len;
  uint32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    len = 2, v = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3, v = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4, v = c & 0x07;
  } else {
    return 0;
  }
  if (len > s.size() - i) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    v = (v << 6) | (cc & 0x3f);
  }
  if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
      v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
    return 0;
  }
  *cp = v;
  return len;
}

bool IsControlCodePoint(uint32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

bool IsBidiControlCodePoint(uint32_t cp) {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string CodePointName(uint32_t cp) { return absl::StrFormat("U+%04X", cp); }

std::string EscapeControls(absl::string_view s, absl::string_view keep) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp = 0;
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    const bool kept = cp < 0x80 && keep.find(static_cast<char>(cp)) != absl::string_view::npos;
    if ((IsControlCodePoint(cp) || IsBidiControlCodePoint(cp)) && !kept) {
      absl::StrAppendFormat(&out, "\\u%04x", cp);
    } else {
      out.append(s.data() + i, len);
    }
    i += len;
  }
  return out;
}

}  // namespace redress::domain
