#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <ostream>
#include <thread>

namespace pw {

// The shortest --interval watch takes.
inline constexpr std::chrono::milliseconds k_watch_min_interval{1000};
// How often watch lists the issues again, to notice people's edits, closes and mutes (README).
inline constexpr std::chrono::milliseconds k_watch_relist{5 * 60 * 1000};
// How long a stop waits for the write in flight before it gives up on it.
inline constexpr std::chrono::milliseconds k_watch_stop_grace{4500};

// How watch stops on SIGTERM or SIGINT (a cancelled job, the runner shutting down). While a cycle
// probes or waits, nothing is half done: the process exits at once. While it writes, the step in
// flight finishes (the sync stops before the next one) and the process exits when the cycle ends,
// or after k_watch_stop_grace with exit code 3. The exit code is the last finished cycle's.
class WatchSignals {
 public:
  // When `enabled`, catches SIGTERM and SIGINT and acts on them from a thread of its own (a 20 ms
  // poll); disabled, it never stops.
  WatchSignals(bool enabled, std::ostream& out, std::ostream& err);
  ~WatchSignals();
  WatchSignals(const WatchSignals&) = delete;
  WatchSignals& operator=(const WatchSignals&) = delete;

  bool stopping() const { return m_stop.load(); }
  void begin_cycle() { m_phase.store(Phase::probing); }
  // Called before a cycle's first tracker request: false (and no writes) once a stop is asked.
  bool begin_writes();
  // Records how the cycle ended (nullopt: it stopped before filing).
  void end_cycle(std::optional<int> exit_code);
  // Returns the exit code of the last finished cycle (0 before any).
  int exit_code() const { return m_exit_code.load(); }

 private:
  enum class Phase { idle, probing, writing };
  void wait_for_signals();
  [[noreturn]] void stop_now(int signal);

  std::ostream& m_out;
  std::ostream& m_err;
  std::atomic<bool> m_stop{false};
  std::atomic<bool> m_done{false};
  std::atomic<Phase> m_phase{Phase::idle};
  std::atomic<int> m_exit_code{0};
  std::atomic<int> m_cycles{0};
  bool m_enabled = false;
  std::thread m_thread;
};

}  // namespace pw
