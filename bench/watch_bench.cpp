// watch_bench: `probewatch watch` (200 checks every 30 s for 10 minutes) against the same 10
// minutes done by `probewatch run` on a 5-minute schedule. Both in process (the real CLI and
// GitHub client over the fake GitHub, a fake clock that the waits advance, probes answered from a
// table), each in a forked child so its CPU time and peak memory are its own (wait4's rusage).
// 10 of the checks are down from minute 2 to minute 7, so both modes open and close incidents.
#include <support/app/app_harness.hpp>
#include <support/fake_github/fake_transport.hpp>

#include <bot/cli/app.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace std::chrono_literals;

namespace {

constexpr int k_checks = 200;
constexpr int k_down = 10;

bool down_at(int check, std::chrono::seconds since_start) {
  return check < k_down && since_start >= 2min && since_start < 7min;
}

// Answers by the fake clock: the checks below k_down fail with 503 while down_at says so.
class OutageProber final : public pw::Prober {
 public:
  OutageProber(pw::Clock& clock, pw::TimePoint start) : m_clock(clock), m_start(start) {}
  pw::Evidence attempt(const pw::Check& check) override {
    const int index = std::stoi(check.id.substr(4));
    pw::Evidence evidence;
    evidence.url = check.url;
    evidence.status =
        down_at(index, std::chrono::duration_cast<std::chrono::seconds>(m_clock.now() - m_start)) ? 503 : 200;
    evidence.response_time = 20ms;
    evidence.body = "ok";
    return evidence;
  }

 private:
  pw::Clock& m_clock;
  pw::TimePoint m_start;
};

std::string config_yaml() {
  std::string yaml = "defaults: { retries: 0 }\nchecks:\n";
  for (int i = 0; i < k_checks; ++i) {
    yaml += fmt::format("  - id: svc-{}\n    url: http://svc{}.test/health\n", i, i);
  }
  return yaml;
}

// Runs `args` in process against `app`'s fake GitHub with the outage prober.
int run_with(pw::test::AppHarness& app, OutageProber& prober, const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  pw::DiskFiles files;
  pw::AppContext context{
      app.env, app.clock, files, prober, [&] { return std::make_unique<pw::test::FakeTransport>(app.github); },
      out,     err};
  context.write_spacing = 0ms;  // the fake clock would skip the waits anyway
  return pw::run_app(args, context);
}

// One mode's work; returns the GitHub requests it made.
std::size_t work(bool watch) {
  pw::test::AppHarness app;
  app.write_config(config_yaml());
  OutageProber prober(app.clock, app.clock.now());
  const std::string config = app.path("probewatch.yml").string();
  if (watch) {
    run_with(app, prober, {"watch", "--config", config, "--interval", "30s", "--duration", "10m", "--no-progress"});
  } else {
    for (int run = 0; run < 3; ++run) {  // at 0, 5 and 10 minutes: the 10 minutes and the run that closes
      run_with(app, prober, {"run", "--config", config, "--no-progress"});
      app.clock.advance(5min);
    }
  }
  return app.github.requests().size();
}

struct Figures {
  double cpu_seconds = 0;
  long peak_rss_kib = 0;
  std::size_t requests = 0;
};

Figures measure(bool watch) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  const pid_t child = fork();
  if (child == 0) {
    close(pipe_ends[0]);
    const std::size_t requests = work(watch);
    const ssize_t written = write(pipe_ends[1], &requests, sizeof requests);
    _exit(written == sizeof requests ? 0 : 1);
  }
  close(pipe_ends[1]);
  Figures figures;
  if (read(pipe_ends[0], &figures.requests, sizeof figures.requests) != sizeof figures.requests) {
    std::cerr << "watch_bench: the child reported nothing\n";
  }
  close(pipe_ends[0]);
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  figures.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                        static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  figures.peak_rss_kib = usage.ru_maxrss;
  return figures;
}

}  // namespace

int main() {
  const Figures run = measure(false);
  const Figures watch = measure(true);
  std::cout << fmt::format("{} checks, {} down from minute 2 to 7; 10 minutes of monitoring\n", k_checks, k_down);
  std::cout << fmt::format("  {:<44} {:>9} {:>12} {:>9}\n", "", "CPU s", "peak RSS MiB", "requests");
  std::cout << fmt::format("  {:<44} {:>9.2f} {:>12.1f} {:>9}\n", "run every 5 min (3 runs: 0, 5, 10 min)",
                           run.cpu_seconds, static_cast<double>(run.peak_rss_kib) / 1024, run.requests);
  std::cout << fmt::format("  {:<44} {:>9.2f} {:>12.1f} {:>9}\n", "watch --interval 30s --duration 10m (20 cycles)",
                           watch.cpu_seconds, static_cast<double>(watch.peak_rss_kib) / 1024, watch.requests);
  return 0;
}
