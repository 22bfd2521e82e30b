#include <support/process.hpp>
#include <support/os.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace pw::test {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The helper writes "exit=N signal=N maxrss_kib=N" here (see tests/tools/rusage_exec.cpp).
constexpr int k_report_fd = 3;
// Our pipe ends are moved above the fds the child gets, so dup2 never meets itself.
constexpr int k_high_fd = 10;

// A pipe whose both ends are close-on-exec and numbered at or above k_high_fd.
std::array<int, 2> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw_errno("pipe2");
  }
  std::array<int, 2> high{};
  for (int i = 0; i < 2; ++i) {
    high[static_cast<std::size_t>(i)] = ::fcntl(fds[i], F_DUPFD_CLOEXEC, k_high_fd);
    ::close(fds[i]);
    if (high[static_cast<std::size_t>(i)] < 0) {
      throw_errno("fcntl");
    }
  }
  return high;
}

void close_fd(int& fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

long field_of(const std::string& text, const std::string& key) {
  const std::size_t at = text.find(key + "=");
  if (at == std::string::npos) {
    return -1;
  }
  return std::strtol(text.c_str() + at + key.size() + 1, nullptr, 10);
}

}  // namespace

std::string ProcessResult::describe() const {
  if (timed_out) {
    return "timed out after " + std::to_string(wall.count()) + " ms";
  }
  if (signal != 0) {
    return "signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  }
  return "exit " + std::to_string(exit_code);
}

struct Process::State {
  ProcessSpec spec;
  pid_t pid = -1;
  int out = -1;
  int err = -1;
  int report = -1;
  int pidfd = -1;  // readable once the child has ended
  SteadyClock::time_point start;
  std::thread reader;
  ProcessResult result;
  std::string report_text;
  std::atomic<bool> finished{false};

  // Drains the pipes until every writer is gone and the child has ended, killing the group at
  // the deadline; then reaps it.
  void pump() {
    const auto deadline = start + spec.timeout;
    bool killed = false;
    bool ended = pidfd < 0;
    for (;;) {
      if (out < 0 && err < 0 && report < 0 && ended) {
        break;
      }
      std::array<pollfd, 4> fds{
          {{out, POLLIN, 0}, {err, POLLIN, 0}, {report, POLLIN, 0}, {ended ? -1 : pidfd, POLLIN, 0}}};
      int wait_ms = -1;
      if (!killed) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
        wait_ms = static_cast<int>(std::max<long long>(0, std::min<long long>(left, 60'000)));
      }
      const int ready = ::poll(fds.data(), fds.size(), wait_ms);
      if (ready < 0 && errno != EINTR) {
        break;
      }
      if (!killed && SteadyClock::now() >= deadline) {
        ::kill(-pid, SIGKILL);
        killed = true;
        result.timed_out = true;
      }
      std::array<std::pair<int*, std::string*>, 3> sinks{
          {{&out, &result.out}, {&err, &result.err}, {&report, &report_text}}};
      for (std::size_t i = 0; i < sinks.size(); ++i) {
        if (*sinks[i].first < 0 || fds[i].revents == 0) {
          continue;
        }
        char buffer[65536];
        const ssize_t got = ::read(*sinks[i].first, buffer, sizeof(buffer));
        if (got > 0) {
          sinks[i].second->append(buffer, static_cast<std::size_t>(got));
        } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
          close_fd(*sinks[i].first);
        }
      }
      if (fds[3].revents != 0) {
        ended = true;
      }
    }
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    if (killed) {
      ::kill(-pid, SIGKILL);  // the helper's child, had the helper died first
    }
    close_fd(pidfd);
    finished = true;
    result.wall = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
    if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.signal = WTERMSIG(status);
    }
    if (spec.rusage_exec.empty()) {
      result.peak_rss_kib = usage.ru_maxrss;
    } else {
      result.peak_rss_kib = field_of(report_text, "maxrss_kib");
    }
  }
};

Process::Process(ProcessSpec spec) : m_state(std::make_unique<State>()) {
  State& state = *m_state;
  state.spec = std::move(spec);
  if (state.spec.argv.empty()) {
    throw std::invalid_argument("Process: empty argv");
  }
  std::vector<std::string> argv = state.spec.argv;
  const bool helper = !state.spec.rusage_exec.empty();
  if (helper) {
    argv.insert(argv.begin(), state.spec.rusage_exec);
  }
  std::vector<std::string> env;
  for (const auto& [name, value] : state.spec.env) {
    env.push_back(name + "=" + value);
  }
  std::vector<char*> argv_pointers;
  for (std::string& arg : argv) {
    argv_pointers.push_back(arg.data());
  }
  argv_pointers.push_back(nullptr);
  std::vector<char*> env_pointers;
  for (std::string& entry : env) {
    env_pointers.push_back(entry.data());
  }
  env_pointers.push_back(nullptr);

  const auto out = make_pipe();
  const auto err = make_pipe();
  std::array<int, 2> report{-1, -1};
  if (helper) {
    report = make_pipe();
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  if (helper) {
    posix_spawn_file_actions_adddup2(&actions, report[1], k_report_fd);
  }
  // Nothing else of ours (listening sockets, other pipes) reaches the child.
  posix_spawn_file_actions_addclosefrom_np(&actions, helper ? k_report_fd + 1 : k_report_fd);
  if (!state.spec.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, state.spec.cwd.c_str());
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int signal : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGCHLD}) {
    sigaddset(&defaults, signal);
  }
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);  // its own group, so a timeout kills everything it started
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  state.start = SteadyClock::now();
  const int spawned =
      ::posix_spawn(&state.pid, argv[0].c_str(), &actions, &attributes, argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(out[1]);
  ::close(err[1]);
  if (helper) {
    ::close(report[1]);
  }
  state.out = out[0];
  state.err = err[0];
  state.report = report[0];
  if (spawned == 0) {
    state.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, state.pid, 0));
  }
  if (spawned != 0) {
    close_fd(state.out);
    close_fd(state.err);
    close_fd(state.report);
    throw std::system_error(spawned, std::generic_category(), "posix_spawn " + argv[0]);
  }
  state.reader = std::thread([&state] { state.pump(); });
}

Process::~Process() {
  if (m_state->reader.joinable()) {
    if (!m_state->finished) {
      ::kill(-m_state->pid, SIGKILL);
    }
    m_state->reader.join();
  }
  close_fd(m_state->out);
  close_fd(m_state->err);
  close_fd(m_state->report);
}

ProcessResult Process::wait() {
  if (m_state->reader.joinable()) {
    m_state->reader.join();
  }
  return m_state->result;
}

int Process::pid() const { return m_state->pid; }

ProcessResult run_process(ProcessSpec spec) {
  Process process(std::move(spec));
  return process.wait();
}

std::map<std::string, std::string> inherited_environment() {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) {
      env[name] = value;
    }
  }
  if (env.count("PATH") == 0) {
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin";
  }
  return env;
}

}  // namespace pw::test
