#include "clients/cli/terminal_text.h"

#include <cstdint>

#include "absl/strings/str_format.h"
#include "server/domain/unicode_text.h"

namespace redress::cli {
namespace {

bool Unsafe(uint32_t cp) {
  return domain::IsControlCodePoint(cp) || domain::IsBidiControlCodePoint(cp);
}

}  // namespace

std::string TerminalSafe(absl::string_view s, absl::string_view keep) {
  return domain::EscapeControls(s, keep);
}

std::string TerminalSafeJson(absl::string_view json) {
  std::string out;
  out.reserve(json.size());
  size_t i = 0;
  while (i < json.size()) {
    uint32_t cp = 0;
    const size_t len = domain::DecodeUtf8(json, i, &cp);
    if (len == 0) {
      out.append("\\ufffd");
      ++i;
      continue;
    }
    if (Unsafe(cp) && cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r') {
      absl::StrAppendFormat(&out, "\\u%04x", cp);
    } else {
      out.append(json.data() + i, len);
    }
    i += len;
  }
  return out;
}

}  // namespace redress::cli
