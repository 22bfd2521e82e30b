// rusage_exec: runs a program as its child and reports the child's own peak memory.
//
//   rusage_exec PROGRAM [ARGS...]      (fd 3 must be open for writing)
//
// Writes "exit=N signal=N maxrss_kib=N self_kib=N" to fd 3, then ends the way the program ended
// (same exit code, or the same signal). Why a separate, tiny program: Linux carries a process's
// memory high-water mark across fork or vfork and exec into the child's ru_maxrss, so a child
// spawned straight from a test process that holds 100 MiB reports at least 100 MiB. Spawned from
// here, the floor is this program's own peak of a few hundred KiB (reported as self_kib).
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace {

constexpr int k_report_fd = 3;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: rusage_exec PROGRAM [ARGS...] (reports to fd 3)\n");
    return 125;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, k_report_fd);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[1], &actions, nullptr, argv + 1, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    std::fprintf(stderr, "rusage_exec: cannot run %s: %s\n", argv[1], std::strerror(spawned));
    return 127;
  }
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      return 126;
    }
  }
  // This program's own peak, from its memory map (its ru_maxrss carries its parent's, see above).
  long self_kib = -1;
  if (std::FILE* status_file = std::fopen("/proc/self/status", "r")) {
    char text[256];
    while (std::fgets(text, sizeof(text), status_file) != nullptr) {
      if (std::strncmp(text, "VmHWM:", 6) == 0) {
        self_kib = std::strtol(text + 6, nullptr, 10);
      }
    }
    std::fclose(status_file);
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  char line[160];
  const int length = std::snprintf(line, sizeof(line), "exit=%d signal=%d maxrss_kib=%ld self_kib=%ld\n", code, signal,
                                   usage.ru_maxrss, self_kib);
  if (length > 0) {
    [[maybe_unused]] const ssize_t written = ::write(k_report_fd, line, static_cast<std::size_t>(length));
  }
  ::close(k_report_fd);
  if (signal != 0) {
    ::signal(signal, SIG_DFL);
    ::raise(signal);
  }
  return code < 0 ? 125 : code;
}
