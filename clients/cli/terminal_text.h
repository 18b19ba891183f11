// Text from the server made safe to write to a terminal. Complaint text is
// untrusted: since issue 14 the server refuses control characters, but data
// stored before that (or sent by another server) may still hold ESC, the C1
// CSI U+009B or bidirectional overrides, which a terminal would obey. Pure
// functions, thread-safe.
#ifndef REDRESS_CLIENTS_CLI_TERMINAL_TEXT_H_
#define REDRESS_CLIENTS_CLI_TERMINAL_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace redress::cli {

// `s` with every control character (Unicode general category Cc: C0, DEL
// and C1, U+0080-U+009F) and every bidirectional embedding, override or
// isolate control (U+202A-U+202E, U+2066-U+2069) replaced by a visible
// escape in the form "\u009b", and every byte that is not part of
// well-formed UTF-8 by "\xff" (domain::EscapeControls, the escaping the
// server uses when it quotes text). The ASCII control characters in `keep`
// (e.g. "\n" for a multi-line block) are left as they are. Everything else,
// backslashes included, is unchanged.
std::string TerminalSafe(absl::string_view s, absl::string_view keep = "");

// JSON text (from the protobuf printer) with the same code points, where
// they appear raw inside strings, replaced by their JSON escapes ("\u2066"):
// the same JSON value, but nothing a terminal would act on. Whitespace
// between tokens (space, tab, CR, LF) is kept; a malformed UTF-8 byte, which
// a valid JSON text cannot hold, becomes "\ufffd".
std::string TerminalSafeJson(absl::string_view json);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_TERMINAL_TEXT_H_
