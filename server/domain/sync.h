// Synchronization helpers over the standard library's primitives.
//
// Redress synchronizes with std::mutex / std::condition_variable, not
// absl::Mutex: Debian's Abseil is not built with ThreadSanitizer, so TSan
// cannot see absl::Mutex's lock/unlock and `make test-tsan` would report every
// access guarded by one as a race (the std primitives are intercepted by TSan).
#ifndef REDRESS_SERVER_DOMAIN_SYNC_H_
#define REDRESS_SERVER_DOMAIN_SYNC_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/time/time.h"

namespace redress::domain {

// Waits on `cv` (with `lock` held) until `pred()` is true or `timeout` has
// passed; returns pred() at the end. absl::InfiniteDuration() waits without a
// time limit; a timeout <= 0 only evaluates `pred`. Like
// absl::Mutex::AwaitWithTimeout -- except that whoever changes what `pred`
// reads must notify `cv`.
template <typename Lock, typename Pred>
bool WaitWithTimeout(std::condition_variable& cv, Lock& lock, absl::Duration timeout, Pred pred) {
  // Past a century the deadline could overflow steady_clock: wait unbounded.
  if (timeout >= absl::Hours(24 * 365 * 100)) {
    cv.wait(lock, pred);
    return true;
  }
  if (timeout <= absl::ZeroDuration()) return pred();
  return cv.wait_until(lock, std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(timeout),
                       pred);
}

// A one-shot event, like absl::Notification (which TSan cannot see through,
// see above). Unlike absl::Notification, Notify() may be called more than once.
//
// Thread-safe. The object may be destroyed as soon as a waiter returns
// (Notify() signals while it still holds the mutex).
class Notification {
 public:
  Notification() = default;
  Notification(const Notification&) = delete;
  Notification& operator=(const Notification&) = delete;

  void Notify() {
    std::lock_guard<std::mutex> lock(mu_);
    notified_ = true;
    cv_.notify_all();
  }
  bool HasBeenNotified() const {
    std::lock_guard<std::mutex> lock(mu_);
    return notified_;
  }
  void WaitForNotification() const {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return notified_; });
  }
  // True if notified (before or within `timeout`).
  bool WaitForNotificationWithTimeout(absl::Duration timeout) const {
    std::unique_lock<std::mutex> lock(mu_);
    return WaitWithTimeout(cv_, lock, timeout, [this] { return notified_; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool notified_ = false;  // guarded by mu_
};

}  // namespace redress::domain

#endif  // REDRESS_SERVER_DOMAIN_SYNC_H_
