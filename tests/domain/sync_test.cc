#include "server/domain/sync.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/time/clock.h"

namespace redress::domain {
namespace {

TEST(NotificationTest, WaitReturnsOnlyAfterNotify) {
  Notification n;
  EXPECT_FALSE(n.HasBeenNotified());
  EXPECT_FALSE(n.WaitForNotificationWithTimeout(absl::Milliseconds(20)));
  std::atomic<bool> notified{false};
  std::thread t([&] {
    absl::SleepFor(absl::Milliseconds(20));
    notified = true;
    n.Notify();
  });
  n.WaitForNotification();
  EXPECT_TRUE(notified.load());
  EXPECT_TRUE(n.HasBeenNotified());
  t.join();
}

TEST(NotificationTest, TimedWaitWakesOnNotifyAndNotifyIsIdempotent) {
  Notification n;
  std::thread t([&] {
    absl::SleepFor(absl::Milliseconds(20));
    n.Notify();
  });
  const absl::Time start = absl::Now();
  EXPECT_TRUE(n.WaitForNotificationWithTimeout(absl::Seconds(60)));
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
  t.join();
  n.Notify();  // a second Notify is allowed (absl::Notification would abort)
  EXPECT_TRUE(n.WaitForNotificationWithTimeout(absl::ZeroDuration()));
  EXPECT_TRUE(n.WaitForNotificationWithTimeout(absl::InfiniteDuration()));
}

TEST(WaitWithTimeoutTest, TimesOutWhenPredicateStaysFalse) {
  std::mutex mu;
  std::condition_variable cv;
  std::unique_lock<std::mutex> lock(mu);
  const absl::Time start = absl::Now();
  EXPECT_FALSE(WaitWithTimeout(cv, lock, absl::Milliseconds(30), [] { return false; }));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(30));
  EXPECT_FALSE(WaitWithTimeout(cv, lock, -absl::Seconds(1), [] { return false; }));
  EXPECT_TRUE(WaitWithTimeout(cv, lock, absl::ZeroDuration(), [] { return true; }));
}

TEST(WaitWithTimeoutTest, InfiniteTimeoutWaitsForTheNotifiedPredicate) {
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;  // guarded by mu
  std::thread t([&] {
    absl::SleepFor(absl::Milliseconds(20));
    std::lock_guard<std::mutex> lock(mu);
    ready = true;
    cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu);
  EXPECT_TRUE(WaitWithTimeout(cv, lock, absl::InfiniteDuration(), [&] { return ready; }));
  lock.unlock();
  t.join();
}

}  // namespace
}  // namespace redress::domain
