// Conversions between absl::Time, Unix microseconds and
// google.protobuf.Timestamp. Redress keeps every time at microsecond
// precision (the store's resolution). Pure, thread-safe.
#ifndef REDRESS_SERVER_DOMAIN_TIME_UTIL_H_
#define REDRESS_SERVER_DOMAIN_TIME_UTIL_H_

#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace redress::domain {

// seconds * 1e6 + nanos / 1000 (nanos below a microsecond are dropped).
int64_t ToUnixMicros(const google::protobuf::Timestamp& t);
google::protobuf::Timestamp TimestampFromMicros(int64_t us);

google::protobuf::Timestamp ToTimestamp(absl::Time t);  // truncated to microseconds
absl::Time FromTimestamp(const google::protobuf::Timestamp& t);

// Truncated to microseconds; seconds and nanos have the same sign.
google::protobuf::Duration ToDurationProto(absl::Duration d);

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_TIME_UTIL_H_
