#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pw::test {

// What to run: the program and its arguments, the whole environment, the working folder and a
// wall-clock limit after which the child (and its process group) is killed.
struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0] is the program's path
  std::map<std::string, std::string> env;  // the child's entire environment (nothing is inherited)
  std::filesystem::path cwd;               // empty: the current folder
  std::chrono::milliseconds timeout{60'000};
  // A program that runs `argv` as its own child and reports that child's rusage (see
  // tests/tools/rusage_exec.cpp). Without it, peak_rss_kib includes this process's peak memory: Linux
  // carries the parent's high-water mark across fork/vfork and exec into the child's ru_maxrss.
  std::string rusage_exec;
};

// How it ended.
struct ProcessResult {
  int exit_code = -1;      // -1 when killed by a signal or not started
  int signal = 0;          // the signal that ended it, 0 when it exited
  bool timed_out = false;  // killed because `timeout` passed
  std::string out;
  std::string err;
  long peak_rss_kib = -1;  // ru_maxrss of the program, -1 when unknown (killed before reporting)
  std::chrono::milliseconds wall{0};

  // "exit 1", "signal 9", "timed out after 20000 ms", for messages.
  std::string describe() const;
};

// A child process with its stdout and stderr captured. Started by the constructor (which throws
// when it cannot spawn); the destructor kills the process group if it still runs, and reaps it.
class Process {
 public:
  explicit Process(ProcessSpec spec);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Waits until the child has ended (or was killed at its timeout) and returns how it ended.
  ProcessResult wait();
  int pid() const;

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

// Runs `spec` to completion.
ProcessResult run_process(ProcessSpec spec);

// Returns the variables worth passing through to a child from this process's environment:
// PATH, HOME and the sanitizer settings (ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS) when set.
std::map<std::string, std::string> inherited_environment();

}  // namespace pw::test
