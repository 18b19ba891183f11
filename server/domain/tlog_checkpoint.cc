#include "server/domain/tlog_checkpoint.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace redress::domain {
namespace {

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("checkpoint: ", what));
}

}  // namespace

bool IsValidLogOrigin(absl::string_view origin) {
  if (origin.empty() || origin.size() > 255) return false;
  if (origin.front() == ' ' || origin.back() == ' ') return false;
  for (char c : origin) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string FormatTlogCheckpoint(const TlogCheckpoint& c) {
  std::string out = absl::StrCat(c.origin, "\n", c.tree_size, "\n",
                                 absl::Base64Escape(c.root_hash), "\n");
  for (const std::string& e : c.extensions) absl::StrAppend(&out, e, "\n");
  return out;
}

absl::StatusOr<TlogCheckpoint> ParseTlogCheckpoint(absl::string_view body) {
  if (body.empty() || body.back() != '\n') return Bad("the body must end in a newline");
  body.remove_suffix(1);
  const std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');
  if (lines.size() < 3) return Bad("expected origin, tree size and root hash lines");
  TlogCheckpoint c;
  if (!IsValidLogOrigin(lines[0])) return Bad("line 1: not a valid origin");
  c.origin = std::string(lines[0]);
  const absl::string_view size = lines[1];
  if (size.empty() || (size.size() > 1 && size[0] == '0') ||
      size.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(size, &c.tree_size)) {
    return Bad("line 2: the tree size must be a decimal number without leading zeros");
  }
  std::string root;
  if (!absl::Base64Unescape(lines[2], &root) || absl::Base64Escape(root) != lines[2] ||
      root.size() != 32) {
    return Bad("line 3: the root hash must be the base64 of 32 bytes");
  }
  c.root_hash = std::move(root);
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return Bad(absl::StrCat("line ", i + 1, ": empty extension line"));
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

}  // namespace redress::domain
