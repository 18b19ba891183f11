// The code points that text fields refuse (server/domain/validation.cc) and
// that redressctl escapes before writing text to a terminal
// (clients/cli/terminal_text.h): one definition for both. Pure functions,
// thread-safe.
#ifndef REDRESS_SERVER_DOMAIN_UNICODE_TEXT_H_
#define REDRESS_SERVER_DOMAIN_UNICODE_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace redress::domain {

// Decodes the UTF-8 sequence starting at s[i] (i < s.size()) into *cp and
// returns its length, 1-4; returns 0 when it is malformed: a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate
// (U+D800-U+DFFF) or a code point above U+10FFFF.
size_t DecodeUtf8(absl::string_view s, size_t i, uint32_t* cp);

// Unicode general category Cc: U+0000-U+001F, U+007F (DEL) and the C1
// controls U+0080-U+009F (U+009B is the 8-bit terminal CSI).
bool IsControlCodePoint(uint32_t cp);

// The bidirectional embedding, override and isolate controls: U+202A-U+202E
// (LRE, RLE, PDF, LRO, RLO) and U+2066-U+2069 (LRI, RLI, FSI, PDI). They
// reorder how the surrounding text is displayed. (The marks U+200E, U+200F
// and U+061C are not among them.)
bool IsBidiControlCodePoint(uint32_t cp);

// "U+009B": at least four upper-case hex digits.
std::string CodePointName(uint32_t cp);

// `s` with every control character (IsControlCodePoint) and bidirectional
// control (IsBidiControlCodePoint) replaced by a visible escape in the form
// "\u009b", and every byte that is not part of well-formed UTF-8 by "\xff":
// for quoting untrusted text in messages and on terminals. The ASCII control
// characters in `keep` (e.g. "\n") are left as they are; everything else,
// backslashes included, is unchanged.
std::string EscapeControls(absl::string_view s, absl::string_view keep = "");

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_UNICODE_TEXT_H_
