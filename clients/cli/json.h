// A small, strict JSON (RFC 8259) reader and the string quoting used by the
// audit export and its verifier. Strict means: exactly one value with
// optional surrounding whitespace; no duplicate object keys; no NaN or
// Infinity; strings must be valid UTF-8 with no raw control characters and
// no unpaired surrogate escapes; nesting at most kMaxJsonDepth containers.
// Numbers keep their text, so 64-bit integers are exact.
// Pure and thread-safe.
#ifndef REDRESS_CLIENTS_CLI_JSON_H_
#define REDRESS_CLIENTS_CLI_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace redress::cli {

inline constexpr int kMaxJsonDepth = 512;

struct JsonValue {
  enum class Kind { kNull, kBool, kInteger, kFloat, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;  // kInteger / kFloat: the number as written; kString: the UTF-8 value
  std::vector<JsonValue> items;                            // kArray
  std::vector<std::pair<std::string, JsonValue>> members;  // kObject, in order

  // Defined in json.cc, where JsonValue is complete: clang (with libstdc++)
  // rejects instantiating the members' destructor inside this definition.
  JsonValue();
  JsonValue(const JsonValue&);
  JsonValue(JsonValue&&) noexcept;
  JsonValue& operator=(const JsonValue&);
  JsonValue& operator=(JsonValue&&) noexcept;
  ~JsonValue();

  // The member called `key`, or null.
  const JsonValue* Find(absl::string_view key) const;
  // kInteger within [lo, hi], else nullopt.
  std::optional<int64_t> AsInt(int64_t lo, int64_t hi) const;
};

// Parses one JSON text; nullopt if it is not strictly valid (see above).
std::optional<JsonValue> ParseJson(absl::string_view text);

// True iff `s` is well-formed UTF-8 (no overlong forms, no surrogates, at
// most U+10FFFF).
bool IsValidUtf8(absl::string_view s);

// `s` (valid UTF-8) as a JSON string literal with quotes, for output files:
// '"', '\\', control characters (C0, DEL and C1) and bidirectional controls
// (U+202A-U+202E, U+2066-U+2069) escaped, everything else as is.
std::string JsonString(absl::string_view s);

// `s` as a JSON string literal with only printable ASCII (the form of
// Python's json.dumps with ensure_ascii), for messages that quote untrusted
// text. Invalid UTF-8 bytes come out as \ufffd.
std::string JsonQuoteAscii(absl::string_view s);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_JSON_H_
