#include <support/fake_github/manual_clock.hpp>

namespace pw::test {

ManualClock::ManualClock(github::TimePoint start) : m_now(start) {}

github::TimePoint ManualClock::now() const {
  std::lock_guard lock(m_mutex);
  return m_now;
}

void ManualClock::sleep_for(std::chrono::milliseconds duration) {
  std::lock_guard lock(m_mutex);
  m_sleeps.push_back(duration);
  m_now += duration;
}

void ManualClock::advance(std::chrono::milliseconds duration) {
  std::lock_guard lock(m_mutex);
  m_now += duration;
}

void ManualClock::set(github::TimePoint time) {
  std::lock_guard lock(m_mutex);
  m_now = time;
}

std::vector<std::chrono::milliseconds> ManualClock::sleeps() const {
  std::lock_guard lock(m_mutex);
  return m_sleeps;
}

std::chrono::milliseconds ManualClock::slept() const {
  std::lock_guard lock(m_mutex);
  std::chrono::milliseconds total{0};
  for (auto sleep : m_sleeps) {
    total += sleep;
  }
  return total;
}

}  // namespace pw::test
