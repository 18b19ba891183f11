#include "server/domain/list_filter.h"

#include "server/domain/field_violation.h"
#include "server/domain/unicode_text.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "redress/v1/complaint.pb.h"

namespace redress::domain {
namespace {

using Field = FilterCondition::Field;
using Op = FilterCondition::Op;

absl::Status Bad(absl::string_view why) {
  return InvalidField("filter", why);
}

struct Token {
  enum Kind { kWord, kString, kOp } kind;
  std::string text;
};

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '"') {
      std::string v;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          v.push_back(s[i + 1]);
          i += 2;
        } else if (s[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          v.push_back(s[i++]);
        }
      }
      if (!closed) return Bad("unterminated string");
      out.push_back({Token::kString, std::move(v)});
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      std::string op(1, c);
      if (i + 1 < s.size() && s[i + 1] == '=') op.push_back('=');
      if (op == "!") return Bad("expected != ");
      out.push_back({Token::kOp, op});
      i += op.size();
    } else if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
               c == '.' || c == ':' || c == '/' || c == '@') {
      size_t j = i;
      while (j < s.size() && (absl::ascii_isalnum(static_cast<unsigned char>(s[j])) ||
                              s[j] == '_' || s[j] == '-' || s[j] == '.' || s[j] == ':' ||
                              s[j] == '/' || s[j] == '@')) {
        ++j;
      }
      out.push_back({Token::kWord, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      return Bad(absl::StrCat("unexpected character at offset ", i));
    }
  }
  return out;
}

absl::StatusOr<Op> ParseOp(const std::string& t) {
  if (t == "=") return Op::kEq;
  if (t == "!=") return Op::kNe;
  if (t == "<") return Op::kLt;
  if (t == "<=") return Op::kLe;
  if (t == ">") return Op::kGt;
  if (t == ">=") return Op::kGe;
  return Bad(absl::StrCat("unknown operator ", t));
}

// Looks up an enum value by name with or without its prefix.
template <typename EnumDescriptorFn>
absl::StatusOr<int> EnumValue(EnumDescriptorFn descriptor, absl::string_view prefix,
                              const std::string& text, absl::string_view field) {
  const std::string upper = absl::AsciiStrToUpper(text);
  const auto* d = descriptor();
  const auto* v = d->FindValueByName(upper);
  if (v == nullptr) v = d->FindValueByName(absl::StrCat(prefix, upper));
  if (v == nullptr || v->number() == 0) {
    return Bad(absl::StrCat("unknown ", field, " value ", EscapeControls(text)));
  }
  return v->number();
}

}  // namespace

absl::string_view SqlOperator(Op op) {
  switch (op) {
    case Op::kEq: return "=";
    case Op::kNe: return "<>";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
  }
  return "=";
}

std::string ListFilter::Fingerprint() const {
  std::string out;
  for (const auto& c : conditions) {
    absl::StrAppend(&out, static_cast<int>(c.field), ",", static_cast<int>(c.op), ",", c.number,
                    ",", c.text.size(), ":", c.text, ";");
  }
  return out;
}

absl::StatusOr<ListFilter> ParseListFilter(absl::string_view filter) {
  ListFilter f;
  if (filter.size() > 4096) return Bad("longer than 4096 bytes");
  auto tokens_or = Tokenize(filter);
  if (!tokens_or.ok()) return tokens_or.status();
  const auto& tokens = *tokens_or;
  size_t i = 0;
  while (i < tokens.size()) {
    if (!f.conditions.empty()) {
      if (tokens[i].kind != Token::kWord || tokens[i].text != "AND") {
        return Bad("conditions must be joined by AND");
      }
      ++i;
    }
    if (i + 3 > tokens.size()) return Bad("incomplete condition");
    const Token& name = tokens[i];
    const Token& op_tok = tokens[i + 1];
    const Token& value = tokens[i + 2];
    i += 3;
    if (name.kind != Token::kWord || op_tok.kind != Token::kOp || value.kind == Token::kOp) {
      return Bad("expected `field operator value`");
    }
    auto op = ParseOp(op_tok.text);
    if (!op.ok()) return op.status();
    FilterCondition c{Field::kState, *op, 0, ""};
    const bool equality = (*op == Op::kEq || *op == Op::kNe);
    if (name.text == "state" || name.text == "channel") {
      if (!equality) return Bad(absl::StrCat(name.text, " supports only = and !="));
      absl::StatusOr<int> v =
          name.text == "state"
              ? EnumValue(&redress::v1::Complaint::State_descriptor, "STATE_", value.text, "state")
              : EnumValue(&redress::v1::Channel_descriptor, "CHANNEL_", value.text, "channel");
      if (!v.ok()) return v.status();
      c.field = name.text == "state" ? Field::kState : Field::kChannel;
      c.number = *v;
    } else if (name.text == "category" || name.text == "assignee") {
      if (!equality) return Bad(absl::StrCat(name.text, " supports only = and !="));
      c.field = name.text == "category" ? Field::kCategory : Field::kAssignee;
      c.text = value.text;
    } else if (name.text == "create_time") {
      absl::Time t;
      std::string err;
      if (!absl::ParseTime(absl::RFC3339_full, value.text, &t, &err)) {
        return Bad(absl::StrCat("create_time needs an RFC 3339 time: ", EscapeControls(err)));
      }
      c.field = Field::kCreateTime;
      c.number = absl::ToUnixMicros(t);
    } else {
      return Bad(absl::StrCat("unknown field ", name.text,
                              " (state, channel, category, assignee, create_time)"));
    }
    f.conditions.push_back(std::move(c));
  }
  return f;
}

}  // namespace redress::domain
