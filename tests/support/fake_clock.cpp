#include <support/fake_clock.hpp>

namespace pw::test {

FakeClock::FakeClock(TimePoint start) : m_now(start) {}

TimePoint FakeClock::now() const {
  std::lock_guard lock(m_mutex);
  return m_now;
}

void FakeClock::sleep_for(std::chrono::milliseconds duration) {
  std::lock_guard lock(m_mutex);
  m_sleeps.push_back(duration);
  m_now += duration;
}

void FakeClock::advance(std::chrono::milliseconds duration) {
  std::lock_guard lock(m_mutex);
  m_now += duration;
}

void FakeClock::set(TimePoint time) {
  std::lock_guard lock(m_mutex);
  m_now = time;
}

std::vector<std::chrono::milliseconds> FakeClock::sleeps() const {
  std::lock_guard lock(m_mutex);
  return m_sleeps;
}

}  // namespace pw::test
