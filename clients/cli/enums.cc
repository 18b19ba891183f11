#include "clients/cli/enums.h"

#include <cctype>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace redress::cli {

std::string EnumPrefix(const google::protobuf::EnumDescriptor* type) {
  std::string out;
  const std::string& name = type->name();
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c)) &&
        std::islower(static_cast<unsigned char>(name[i - 1]))) {
      out.push_back('_');
    }
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  out.push_back('_');
  return out;
}

absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* type,
                                   const std::string& flag, const std::string& text,
                                   EnumStyle style) {
  const std::string prefix = EnumPrefix(type);
  std::string key = absl::AsciiStrToUpper(
      absl::StrReplaceAll(absl::StripAsciiWhitespace(text), {{"-", "_"}, {" ", "_"}}));
  if (!key.empty()) {
    const google::protobuf::EnumValueDescriptor* v = nullptr;
    if (absl::StartsWith(key, prefix)) v = type->FindValueByName(key);
    if (v == nullptr) v = type->FindValueByName(prefix + key);
    if (v != nullptr && v->number() != 0) return v->number();
  }
  std::vector<std::string> choices;
  for (int i = 0; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = type->value(i);
    if (v->number() == 0) continue;
    std::string label = EnumLabel(type, v->number());
    if (style == EnumStyle::kLowerDashed) {
      label = absl::AsciiStrToLower(absl::StrReplaceAll(label, {{"_", "-"}}));
    }
    choices.push_back(label);
  }
  return absl::InvalidArgumentError(absl::StrCat("invalid value \"", text, "\" for --", flag,
                                                 ": expected one of ",
                                                 absl::StrJoin(choices, ", ")));
}

std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value) {
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  const std::string prefix = EnumPrefix(type);
  const std::string& name = v->name();
  if (absl::StartsWith(name, prefix)) return name.substr(prefix.size());
  return name;
}

}  // namespace redress::cli
