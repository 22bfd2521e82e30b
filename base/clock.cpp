#include <base/clock.hpp>

#include <thread>

namespace pw::base {

TimePoint SystemClock::now() const { return std::chrono::system_clock::now(); }

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
  if (duration.count() > 0) {
    std::this_thread::sleep_for(duration);
  }
}

}  // namespace pw::base
