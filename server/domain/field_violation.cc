#include "server/domain/field_violation.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace redress::domain {

absl::Status InvalidField(absl::string_view field, absl::string_view description) {
  std::string path = field.empty() ? std::string("request") : std::string(field);
  std::replace(path.begin(), path.end(), '\0', '?');
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(path, ": ", description));
  std::string payload = path;
  payload.push_back('\0');
  payload.append(description.data(), description.size());
  status.SetPayload(kFieldViolationPayloadUrl, absl::Cord(payload));
  return status;
}

std::optional<FieldViolation> GetFieldViolation(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return std::nullopt;
  const auto payload = status.GetPayload(kFieldViolationPayloadUrl);  // absl::optional
  if (!payload.has_value()) return std::nullopt;
  const std::string flat(*payload);
  const size_t nul = flat.find('\0');
  if (nul == std::string::npos || nul == 0) return std::nullopt;
  return FieldViolation{flat.substr(0, nul), flat.substr(nul + 1)};
}

}  // namespace redress::domain
