#pragma once

#include <github_client/clock.hpp>

#include <chrono>
#include <mutex>
#include <vector>

namespace pw::test {

// A github::Clock that never sleeps: sleep_for advances time and records the wait.
class ManualClock final : public github::Clock {
 public:
  explicit ManualClock(github::TimePoint start = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27});
  // Returns the current fake time.
  github::TimePoint now() const override;
  // Advances time by `duration` and records the sleep.
  void sleep_for(std::chrono::milliseconds duration) override;
  // Moves time forward without recording a sleep.
  void advance(std::chrono::milliseconds duration);
  // Jumps to `time` without recording a sleep.
  void set(github::TimePoint time);
  // Returns every sleep_for duration, in order.
  std::vector<std::chrono::milliseconds> sleeps() const;
  // Returns the sum of every sleep_for duration.
  std::chrono::milliseconds slept() const;

 private:
  mutable std::mutex m_mutex;
  github::TimePoint m_now;
  std::vector<std::chrono::milliseconds> m_sleeps;
};

}  // namespace pw::test
