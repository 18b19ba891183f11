// Enum values on the command line and in tables: protobuf enum value names
// without their type prefix (CHANNEL_WEB <-> WEB, DECISION_NOT_UPHELD <->
// not-upheld).
#ifndef REDRESS_CLIENTS_CLI_ENUMS_H_
#define REDRESS_CLIENTS_CLI_ENUMS_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace redress::cli {

// How the accepted values are listed in an error message.
enum class EnumStyle {
  kUpper,        // WEB, EMAIL, SOCIAL_MEDIA
  kLowerDashed,  // upheld, partially-upheld
};

// The value-name prefix of an enum type: its name in UPPER_SNAKE_CASE plus
// "_" ("Channel" -> "CHANNEL_", "Visibility" -> "VISIBILITY_").
std::string EnumPrefix(const google::protobuf::EnumDescriptor* type);

// Parses `text` as a value of `type`, case-insensitively, with or without
// the prefix, with '-' or ' ' standing for '_'. The zero (UNSPECIFIED) value
// is refused. Errors name `flag` and list the accepted values.
absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* type,
                                   const std::string& flag, const std::string& text,
                                   EnumStyle style);

template <typename E>
absl::StatusOr<E> ParseEnum(const std::string& flag, const std::string& text,
                            EnumStyle style = EnumStyle::kUpper) {
  absl::StatusOr<int> v =
      ParseEnumValue(google::protobuf::GetEnumDescriptor<E>(), flag, text, style);
  if (!v.ok()) return v.status();
  return static_cast<E>(*v);
}

// The value's name without the prefix ("STATE_RECEIVED" -> "RECEIVED"); the
// number for a value the descriptor does not know.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value);

template <typename E>
std::string EnumLabel(E value) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_ENUMS_H_
