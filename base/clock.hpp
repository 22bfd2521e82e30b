#pragma once

#include <chrono>

namespace pw::base {

using TimePoint = std::chrono::system_clock::time_point;

// The only source of time and only way to wait, for github_client and the bot alike, so tests
// never sleep.
class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current wall-clock time.
  virtual TimePoint now() const = 0;
  // Waits for `duration` (a fake clock advances instead).
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// The real clock: system time and std::this_thread::sleep_for.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  void sleep_for(std::chrono::milliseconds duration) override;
};

}  // namespace pw::base
