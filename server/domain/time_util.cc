#include "server/domain/time_util.h"

namespace redress::domain {

int64_t ToUnixMicros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

google::protobuf::Timestamp TimestampFromMicros(int64_t us) {
  google::protobuf::Timestamp t;
  int64_t s = us / 1000000, r = us % 1000000;
  if (r < 0) {
    r += 1000000;
    --s;
  }
  t.set_seconds(s);
  t.set_nanos(static_cast<int32_t>(r * 1000));
  return t;
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimestampFromMicros(absl::ToUnixMicros(t));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

google::protobuf::Duration ToDurationProto(absl::Duration d) {
  const int64_t us = absl::ToInt64Microseconds(d);
  google::protobuf::Duration out;
  out.set_seconds(us / 1000000);
  out.set_nanos(static_cast<int32_t>(us % 1000000) * 1000);
  return out;
}

}  // namespace redress::domain
