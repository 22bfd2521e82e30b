#include <bot/cli/watch_signals.hpp>

#include <bot/cli/app.hpp>

#include <fmt/format.h>

#include <csignal>
#include <cstdlib>

namespace pw {

namespace {

// The handler only records the signal; threads that started before watch (the probers' watchdog)
// may be the one it runs on, so nothing else happens there.
std::atomic<int> g_signal{0};

extern "C" void record_signal(int signal) { g_signal.store(signal); }

}  // namespace

WatchSignals::WatchSignals(bool enabled, std::ostream& out, std::ostream& err)
    : m_out(out), m_err(err), m_enabled(enabled) {
  if (!m_enabled) {
    return;
  }
  g_signal.store(0);
  struct sigaction action {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  m_thread = std::thread([this] { wait_for_signals(); });
}

WatchSignals::~WatchSignals() {
  if (!m_enabled) {
    return;
  }
  m_done.store(true);
  m_thread.join();
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
}

bool WatchSignals::begin_writes() {
  // Dekker-style with stop_now: either this sees the stop and writes nothing, or the signal thread
  // sees the writing phase and waits for it.
  m_phase.store(Phase::writing);
  if (m_stop.load()) {
    m_phase.store(Phase::probing);
    return false;
  }
  return true;
}

void WatchSignals::end_cycle(std::optional<int> exit_code) {
  if (exit_code) {
    m_exit_code.store(*exit_code);
    m_cycles.fetch_add(1);
  }
  m_phase.store(Phase::idle);
}

void WatchSignals::wait_for_signals() {
  while (!m_done.load()) {
    if (const int signal = g_signal.load(); signal != 0) {
      stop_now(signal);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void WatchSignals::stop_now(int signal) {
  m_stop.store(true);
  const auto deadline = std::chrono::steady_clock::now() + k_watch_stop_grace;
  bool finished = true;
  while (m_phase.load() == Phase::writing) {
    if (std::chrono::steady_clock::now() >= deadline) {
      finished = false;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const char* name = signal == SIGTERM ? "SIGTERM" : "SIGINT";
  const int code = finished ? m_exit_code.load() : k_exit_tracker;
  m_out.flush();
  if (finished) {
    m_err << fmt::format("probewatch: {}: stopped after {} cycle(s), nothing left half done; exit code {}\n", name,
                         m_cycles.load(), code);
  } else {
    m_err << fmt::format(
        "probewatch: {}: a GitHub request was still in flight after {}; stopping anyway (the next run finishes "
        "the step); exit code {}\n",
        name, "4.5s", code);
  }
  m_err.flush();
  std::_Exit(code);
}

}  // namespace pw
