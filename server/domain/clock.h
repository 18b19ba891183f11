// Time source for everything that records or compares times. Injected so that
// tests control time; production uses SystemClock.
#ifndef REDRESS_SERVER_DOMAIN_CLOCK_H_
#define REDRESS_SERVER_DOMAIN_CLOCK_H_

#include <mutex>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace redress::domain {

// Thread-safe source of the current time. Times are truncated to whole
// microseconds everywhere (the store's resolution).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// Wall clock, truncated to microseconds.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override;
};

// Manually driven clock for tests. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = t;
  }

 private:
  mutable std::mutex mu_;
  absl::Time now_;  // guarded by mu_
};

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_CLOCK_H_
