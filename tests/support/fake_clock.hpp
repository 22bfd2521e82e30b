#pragma once

#include <bot/core/clock.hpp>

#include <chrono>
#include <mutex>
#include <vector>

namespace pw::test {

// A clock that never sleeps: sleep_for advances time and records the wait.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27});
  TimePoint now() const override;
  void sleep_for(std::chrono::milliseconds duration) override;
  // Moves time forward without recording a sleep.
  void advance(std::chrono::milliseconds duration);
  void set(TimePoint time);
  std::vector<std::chrono::milliseconds> sleeps() const;

 private:
  mutable std::mutex m_mutex;
  TimePoint m_now;
  std::vector<std::chrono::milliseconds> m_sleeps;
};

}  // namespace pw::test
