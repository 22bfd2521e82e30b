#include <bot/probe/deadline_watchdog.hpp>

namespace pw {

DeadlineWatchdog::DeadlineWatchdog() : m_thread([this] { run(); }) {}

DeadlineWatchdog::~DeadlineWatchdog() {
  {
    const std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

DeadlineWatchdog::Token DeadlineWatchdog::arm(SteadyTime deadline, std::function<void()> on_expiry) {
  const std::lock_guard lock(m_mutex);
  const Token token = m_next++;
  const bool earliest = m_queue.empty() || deadline < m_queue.begin()->first;
  m_entries.emplace(token, Entry{deadline, std::move(on_expiry)});
  m_queue.emplace(deadline, token);
  if (earliest) {
    m_wake.notify_all();
  }
  return token;
}

void DeadlineWatchdog::cancel(Token token) {
  // Callbacks run while m_mutex is held, so taking it here waits out a running callback.
  const std::lock_guard lock(m_mutex);
  const auto entry = m_entries.find(token);
  if (entry == m_entries.end()) {
    return;
  }
  const auto [first, last] = m_queue.equal_range(entry->second.deadline);
  for (auto it = first; it != last; ++it) {
    if (it->second == token) {
      m_queue.erase(it);
      break;
    }
  }
  m_entries.erase(entry);
}

void DeadlineWatchdog::run() {
  std::unique_lock lock(m_mutex);
  while (!m_stopping) {
    if (m_queue.empty()) {
      m_wake.wait(lock);
      continue;
    }
    const SteadyTime next = m_queue.begin()->first;
    if (std::chrono::steady_clock::now() < next) {
      m_wake.wait_until(lock, next);
      continue;
    }
    const Token token = m_queue.begin()->second;
    m_queue.erase(m_queue.begin());
    const auto entry = m_entries.find(token);
    if (entry != m_entries.end()) {
      const std::function<void()> on_expiry = std::move(entry->second.on_expiry);
      m_entries.erase(entry);
      on_expiry();
    }
  }
}

}  // namespace pw
