#include <support/app/interleaving_transport.hpp>

#include <algorithm>
#include <thread>

namespace pw::test {

std::expected<github::HttpResponse, github::TransportError> Interleaver::Lane::send(
    const github::HttpRequest& request) {
  m_owner.wait_turn(m_id);
  auto reply = m_inner.send(request);
  m_owner.done_turn();
  return reply;
}

void Interleaver::wait_turn(std::size_t lane) {
  std::unique_lock lock(m_mutex);
  m_waiting.push_back(lane);
  m_changed.notify_all();
  m_changed.wait(lock, [&] { return m_granted == lane; });
  m_granted.reset();
  m_busy = true;
  m_waiting.erase(std::find(m_waiting.begin(), m_waiting.end(), lane));
}

void Interleaver::done_turn() {
  std::lock_guard lock(m_mutex);
  m_busy = false;
  m_changed.notify_all();
}

void Interleaver::run(const std::vector<std::function<void()>>& tasks) {
  {
    std::lock_guard lock(m_mutex);
    m_running = tasks.size();
  }
  std::vector<std::thread> threads;
  threads.reserve(tasks.size());
  for (const auto& task : tasks) {
    threads.emplace_back([this, &task] {
      task();
      std::lock_guard lock(m_mutex);
      --m_running;
      m_changed.notify_all();
    });
  }
  std::unique_lock lock(m_mutex);
  while (true) {
    m_changed.wait(lock, [&] { return !m_busy && !m_granted && m_waiting.size() == m_running; });
    if (m_running == 0) {
      break;
    }
    std::vector<std::size_t> order = m_waiting;
    std::sort(order.begin(), order.end());
    m_granted = order[m_random() % order.size()];
    m_changed.notify_all();
  }
  lock.unlock();
  for (std::thread& thread : threads) {
    thread.join();
  }
}

}  // namespace pw::test
