#include <bot/probe/deadline_watchdog.hpp>

#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("deadline_watchdog: fires passed deadlines in order, never cancelled ones") {
  pw::DeadlineWatchdog watchdog;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> fired;
  auto record = [&](int id) {
    return [&, id] {
      const std::lock_guard lock(mutex);
      fired.push_back(id);
      changed.notify_all();
    };
  };
  const auto now = std::chrono::steady_clock::now();
  const auto far = now + 1h;
  const auto cancelled = watchdog.arm(far, record(99));
  // Armed out of order, a little ahead so both are queued before either fires.
  watchdog.arm(now + 200ms, record(2));
  watchdog.arm(now + 100ms, record(1));
  { const pw::ScopedDeadline scoped(watchdog, far, record(98)); }
  watchdog.cancel(cancelled);
  watchdog.cancel(12345);  // unknown tokens are ignored
  std::unique_lock lock(mutex);
  // A real-time wait, bounded: the two deadlines are 100 and 200 ms away.
  CHECK(changed.wait_for(lock, 5s, [&] { return fired.size() >= 2; }));
  CHECK(fired == std::vector<int>{1, 2});
}
