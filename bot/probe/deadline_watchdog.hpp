#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace pw {

// One timer thread shared by every probe: calls a callback when a deadline passes, unless
// the deadline was cancelled first. Callbacks run on the timer thread and must be quick.
class DeadlineWatchdog {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using Token = std::uint64_t;

  DeadlineWatchdog();
  ~DeadlineWatchdog();
  DeadlineWatchdog(const DeadlineWatchdog&) = delete;
  DeadlineWatchdog& operator=(const DeadlineWatchdog&) = delete;

  // Schedules `on_expiry` for `deadline`; returns a token for cancel().
  Token arm(SteadyTime deadline, std::function<void()> on_expiry);
  // Cancels a deadline. When it returns, the callback is not running and will not run.
  void cancel(Token token);

 private:
  struct Entry {
    SteadyTime deadline;
    std::function<void()> on_expiry;
  };
  void run();

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::multimap<SteadyTime, Token> m_queue;
  std::map<Token, Entry> m_entries;
  Token m_next = 1;
  bool m_stopping = false;
  std::thread m_thread;
};

// Arms a deadline for the lifetime of a scope.
class ScopedDeadline {
 public:
  ScopedDeadline(DeadlineWatchdog& watchdog, DeadlineWatchdog::SteadyTime deadline, std::function<void()> on_expiry)
      : m_watchdog(watchdog), m_token(watchdog.arm(deadline, std::move(on_expiry))) {}
  ~ScopedDeadline() { m_watchdog.cancel(m_token); }
  ScopedDeadline(const ScopedDeadline&) = delete;
  ScopedDeadline& operator=(const ScopedDeadline&) = delete;

 private:
  DeadlineWatchdog& m_watchdog;
  DeadlineWatchdog::Token m_token;
};

}  // namespace pw
