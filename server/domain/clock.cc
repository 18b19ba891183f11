#include "server/domain/clock.h"

namespace redress::domain {

absl::Time SystemClock::Now() const {
  return absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
}

}  // namespace redress::domain
