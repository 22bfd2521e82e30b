// probe_bench: 200 local endpoints that each answer after 250 ms, probed with probe_all at
// concurrency 16 and 64, and the same 200 requests made one after another with curl (what
// a shell workflow does), all in the same run. Wall times are printed against the ideal,
// ceil(200 / concurrency) x 250 ms, and against the curl loop.
//
//   probe_bench [--endpoints N] [--delay-ms D] [--runs R] [--no-curl]
#include <bot/probe/httplib_prober.hpp>
#include <bot/probe/probe_all.hpp>

#include <support/fault_server.hpp>

#include <fmt/format.h>

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using SteadyClock = std::chrono::steady_clock;
using Ms = std::chrono::duration<double, std::milli>;

struct Options {
  int endpoints = 200;
  int delay_ms = 250;
  int runs = 3;
  bool curl = true;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (arg == "--endpoints") {
      options.endpoints = std::max(1, next());
    } else if (arg == "--delay-ms") {
      options.delay_ms = std::max(0, next());
    } else if (arg == "--runs") {
      options.runs = std::max(1, next());
    } else if (arg == "--no-curl") {
      options.curl = false;
    } else {
      fmt::print(stderr, "usage: probe_bench [--endpoints N] [--delay-ms D] [--runs R] [--no-curl]\n");
      std::exit(2);
    }
  }
  return options;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Probes every check once through probe_all; returns the wall time in ms, or -1 when any failed.
double run_probe_all(const std::vector<pw::Check>& checks, pw::Prober& prober, int concurrency) {
  pw::SystemClock clock;
  const auto start = SteadyClock::now();
  const auto results = pw::probe_all(checks, prober, clock, {concurrency});
  const double wall = Ms(SteadyClock::now() - start).count();
  for (const pw::CheckResult& result : results) {
    if (!result.ok) {
      fmt::print(stderr, "check {} failed: {}\n", result.id, result.evidence.error);
      return -1;
    }
  }
  return wall;
}

// Runs `curl -s -o /dev/null URL` for each URL, one after another; returns the wall time in ms.
double run_curl_loop(const std::vector<pw::Check>& checks) {
  const auto start = SteadyClock::now();
  for (const pw::Check& check : checks) {
    std::vector<std::string> args = {"curl", "-s", "-f", "-o", "/dev/null", "--max-time", "10", check.url};
    std::vector<char*> argv;
    for (std::string& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    int status = 0;
    if (posix_spawnp(&pid, "curl", nullptr, nullptr, argv.data(), environ) != 0 || waitpid(pid, &status, 0) != pid ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fmt::print(stderr, "curl {} failed\n", check.url);
      return -1;
    }
  }
  return Ms(SteadyClock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  pw::test::FaultServer server(pw::test::delayed_ok(std::chrono::milliseconds(options.delay_ms)));
  if (!server.wait_until_ready()) {
    fmt::print(stderr, "the delayed server did not start\n");
    return 1;
  }
  std::vector<pw::Check> checks;
  for (int i = 0; i < options.endpoints; ++i) {
    pw::Check check;
    check.id = fmt::format("endpoint-{}", i);
    check.url = server.url(fmt::format("/endpoint/{}", i));
    check.timeout = std::chrono::seconds(10);
    check.retries = 0;
    checks.push_back(std::move(check));
  }
  pw::HttplibProber prober;
  fmt::print("probe_bench: {} endpoints answering after {} ms, {} run(s) each, {} hardware threads\n\n",
             options.endpoints, options.delay_ms, options.runs, std::thread::hardware_concurrency());
  fmt::print("{:<28} {:>10} {:>10} {:>9} {:>14}\n", "", "wall ms", "ideal ms", "x ideal", "runs (ms)");

  double curl_wall = -1;
  if (options.curl) {
    curl_wall = run_curl_loop(checks);
    const double ideal = static_cast<double>(options.endpoints) * options.delay_ms;
    fmt::print("{:<28} {:>10.0f} {:>10.0f} {:>9.3f} {:>14}\n", "curl, one after another", curl_wall, ideal,
               curl_wall / ideal, fmt::format("{:.0f}", curl_wall));
  }
  int status = 0;
  for (const int concurrency : {16, 64}) {
    std::vector<double> walls;
    for (int run = 0; run < options.runs; ++run) {
      walls.push_back(run_probe_all(checks, prober, concurrency));
    }
    if (std::any_of(walls.begin(), walls.end(), [](double wall) { return wall < 0; })) {
      status = 1;
      continue;
    }
    const int waves = (options.endpoints + concurrency - 1) / concurrency;
    const double ideal = static_cast<double>(waves) * options.delay_ms;
    const double wall = median(walls);
    std::string runs;
    for (const double each : walls) {
      runs += fmt::format("{}{:.0f}", runs.empty() ? "" : " ", each);
    }
    fmt::print("{:<28} {:>10.0f} {:>10.0f} {:>9.3f} {:>14}", fmt::format("probe_all, concurrency {}", concurrency),
               wall, ideal, wall / ideal, runs);
    if (curl_wall > 0) {
      fmt::print("   {:.1f}x faster than curl", curl_wall / wall);
    }
    fmt::print("\n");
  }
  fmt::print("\nwall ms is the median over the runs; ideal = ceil(endpoints / concurrency) x delay.\n");
  return status;
}
